"""Excel workbooks of the reports: one sheet per annex, built with the shared Excel layer
(bold frozen headers, number formats, every text cell escaped against formulas)."""

from django.utils.translation import gettext as _

from dankhoeo import spreadsheets as xl
from reports.gathering import Summary

XLSX_CONTENT_TYPE = xl.XLSX_CONTENT_TYPE
MONEY = '#,##0 "đ"'


def _resource_columns(first: str) -> list[xl.Column]:
    return [
        xl.Column("label", first, width=40),
        xl.Column("cash", _("Cash (đồng)"), kind="integer", number_format=MONEY, width=18),
        xl.Column("goods", _("Goods (đồng)"), kind="integer", number_format=MONEY, width=18),
        xl.Column("money", _("Total (đồng)"), kind="integer", number_format=MONEY, width=18),
        xl.Column("work_days", _("Work-days"), kind="integer"),
        xl.Column("households", _("Households benefiting"), kind="integer"),
    ]


def _titles(context: dict, sheet: str) -> list[str]:
    """The lines above every sheet's header: plan, year, scope, the rule, the demo mark."""
    report, header, facts = context["report"], context["header"], context["facts"]
    lines = [
        f"{header.subtitle}: {sheet}",
        _("Plan %(plan)s, year %(year)s, scope: %(scope)s")
        % {
            "plan": report.plan.number,
            "year": report.year,
            "scope": report.scope.label or _("the whole plan"),
        },
        _("Only approved values count."),
    ]
    if len(facts.years) > 1:  # the tổng kết: said on the line of the rule, the rows stay put
        lines[-1] += " " + _("Activities, resources and proposals are counted %(period)s.") % {
            "period": facts.period
        }
    if facts.demo:
        lines.append(_("DEMO DATA: not official figures"))
    return lines


def _sheet(context, title, columns, rows, *, total=None, frozen=1) -> xl.SheetSpec:
    return xl.SheetSpec(
        title,
        columns,
        rows,
        title_rows=_titles(context, str(title)),
        total=total,
        frozen_columns=frozen,
        for_print=True,
    )


def matrix_sheet(context: dict) -> xl.SheetSpec:
    report, facts = context["report"], context["facts"]
    columns = [
        xl.Column("number", _("No."), kind="integer", width=6),
        xl.Column("village", _("Village"), width=24),
        xl.Column("district", _("District"), width=18),
        xl.Column("commune", _("Commune"), width=30),
        xl.Column("agency", _("Agency in charge"), width=30),
        *[
            xl.Column(f"c{criterion.pk}", f"{criterion.number}. {criterion.name}", width=8)
            for criterion in report.criteria
        ],
        xl.Column("met_last", _("Met %(year)s") % {"year": report.previous_year}, kind="integer"),
        xl.Column("met", _("Met %(year)s") % {"year": report.year}, kind="integer"),
        xl.Column("standard", _("Meets the standard"), kind="integer"),
    ]
    rows, subtotals = [], set()
    for group in facts.groups:
        for row in group.rows:
            values = {
                "number": row.number,
                "village": row.village.name,
                "district": group.district,
                "commune": group.commune,
                "agency": row.lead_agency,
                "met_last": row.met_last_year,
                "met": row.met,
                "standard": 1 if row.reaches_standard else 0,
            }
            for criterion, cell in zip(report.criteria, row.cells, strict=True):
                values[f"c{criterion.pk}"] = cell.symbol
            rows.append(values)
        subtotals.add(len(rows))
        rows.append(  # the commune's subtotal: its villages meeting the standard
            {
                "village": _("Subtotal"),
                "district": group.district,
                "commune": group.commune,
                "standard": group.reaching,
            }
        )
    total = {"village": _("Total"), "standard": report.totals.reaching}
    for criterion, met in zip(report.criteria, facts.met_per_criterion, strict=True):
        total[f"c{criterion.pk}"] = met  # a number, under the symbols
    return xl.SheetSpec(
        _("Criteria"),
        columns,
        rows,
        title_rows=_titles(context, str(_("Criteria"))),
        total=total,
        bold_rows=frozenset(subtotals),
        frozen_columns=2,
        for_print=True,
    )


def communes_sheet(context: dict) -> xl.SheetSpec:
    """The villages by commune after the 2025 reform, with the total once."""
    report, facts = context["report"], context["facts"]
    columns = [
        xl.Column("label", _("Commune (now)"), width=30),
        xl.Column("villages", _("Villages"), kind="integer"),
        xl.Column("approved", _("Approved surveys"), kind="integer"),
        xl.Column(
            "reaching",
            _("Meeting the standard in %(year)s") % {"year": report.year},
            kind="integer",
        ),
        xl.Column(
            "reaching_last_year",
            _("Meeting the standard in %(year)s") % {"year": report.previous_year},
            kind="integer",
        ),
    ]
    keys = ("villages", "approved", "reaching", "reaching_last_year")
    rows = [
        {"label": c.label or "—", **{key: getattr(c, key) for key in keys}}
        for c in facts.communes_now
    ]
    total = {"label": _("Total"), **{key: getattr(facts.communes_total, key) for key in keys}}
    return _sheet(context, _("By commune (now)"), columns, rows, total=total)


def duties_sheet(context: dict) -> xl.SheetSpec:
    columns = [
        xl.Column("agency", _("Agency"), width=34),
        xl.Column("villages", _("Villages it leads"), width=40),
        xl.Column("disseminations", _("Dissemination sessions"), kind="integer"),
        xl.Column("attendance", _("Attendance"), kind="integer"),
        xl.Column("surveyed", _("Surveyed with the commune"), kind="integer"),
        xl.Column("common_plans", _("Common plan with the commune"), kind="integer"),
        xl.Column("guidance", _("Propaganda, production guidance"), kind="integer"),
        xl.Column("customs_activities", _("Activities on outdated customs"), kind="integer"),
        xl.Column("customs", _("Customs addressed"), kind="integer"),
        xl.Column("money", _("Resources (đồng)"), kind="integer", number_format=MONEY, width=18),
        xl.Column("work_days", _("Work-days"), kind="integer"),
        xl.Column("proposals", _("Proposals raised"), kind="integer"),
        xl.Column("answered", _("Proposals answered"), kind="integer"),
        xl.Column("teams", _("Support teams"), kind="integer"),
        xl.Column("missing", _("Not shown by the data"), width=40),
    ]
    rows = [
        {
            "agency": d.agency.name,
            "villages": ", ".join(d.villages),
            "disseminations": d.disseminations,
            "attendance": d.attendance,
            "surveyed": d.surveyed_with_commune,
            "common_plans": d.common_plans,
            "guidance": d.guidance,
            "customs_activities": d.customs_activities,
            "customs": len(d.customs),
            "money": d.money,
            "work_days": d.work_days,
            "proposals": d.proposals,
            "answered": d.answered,
            "teams": d.teams,
            "missing": ", ".join(d.missing),
        }
        for d in context["facts"].duties
    ]
    summed = [c.key for c in columns if c.kind == "integer" and c.key != "customs"]
    total = {"agency": _("Total"), **{k: sum(r[k] for r in rows) for k in summed}}
    return _sheet(context, _("Duties by agency"), columns, rows, total=total)


def review_sheets(context: dict) -> list[xl.SheetSpec]:
    report = context["report"]
    teams = [
        {
            "village": row.village.name,
            "leader": row.leader.full_name if row.leader else "",
            "members": "; ".join(m.full_name for m in row.members),
            "count": len(row.members) + (1 if row.leader else 0),
            "decision": row.team.decision if row.team else "",
        }
        for row in report.teams
    ]
    models = [
        {
            "name": m.name,
            "village": m.village.name,
            "agency": m.agency.name,
            "field": m.get_field_display(),
            "stage": m.get_stage_display(),
            "registered_on": m.registered_on,
            "standards": m.standards_met,
        }
        for m in report.models
    ]
    proposals = [
        {
            "title": p.title,
            "village": p.village.name,
            "agency": p.agency.name,
            "content": p.content,
            "addressed_to": p.addressee_in_full,
            "status": p.get_status_display(),
            "raised_on": p.raised_on,
            "closed_on": p.closed_on,
            "answer": p.answer,
        }
        for p in report.proposals
    ]
    return [
        matrix_sheet(context),
        communes_sheet(context),
        duties_sheet(context),
        _sheet(
            context,
            _("Resources by agency"),
            _resource_columns(_("Agency")),
            report.resources_by_agency,
            total={**report.resources, "label": _("Total")},
        ),
        _sheet(
            context,
            _("Resources by source"),
            _resource_columns(_("Source")),
            report.resources_by_source,
            total={**report.resources, "label": _("Total")},
        ),
        _sheet(
            context,
            _("Support teams"),
            [
                xl.Column("village", _("Village"), width=24),
                xl.Column("leader", _("Team leader"), width=26),
                xl.Column("members", _("Members"), width=60),
                xl.Column("count", _("Number of members"), kind="integer"),
                xl.Column("decision", _("Decision"), width=30),
            ],
            teams,
            total={"village": _("Total"), "count": sum(t["count"] for t in teams)},
        ),
        _sheet(
            context,
            _("Models"),
            [
                xl.Column("name", _("Model"), width=40),
                xl.Column("village", _("Village"), width=24),
                xl.Column("agency", _("Agency"), width=30),
                xl.Column("field", _("Field"), width=24),
                xl.Column("stage", _("Stage"), width=20),
                xl.Column("registered_on", _("Registered on"), kind="date"),
                xl.Column("standards", _("Standards met"), kind="integer"),
            ],
            models,
            total=dict(zip(("name", "stage"), context["facts"].models_total, strict=True)),
        ),
        _sheet(
            context,
            _("Difficulties"),
            [
                xl.Column("title", _("Difficulty or proposal"), width=40),
                xl.Column("village", _("Village"), width=24),
                xl.Column("agency", _("Agency"), width=30),
                xl.Column("content", _("Content"), width=50),
                xl.Column("addressed_to", _("Addressed to"), width=20),
                xl.Column("status", _("Status"), width=16),
                xl.Column("raised_on", _("Raised on"), kind="date"),
                xl.Column("closed_on", _("Closed on"), kind="date"),
                xl.Column("answer", _("How it was handled"), width=50),
            ],
            proposals,
            total=dict(zip(("title", "status"), context["facts"].proposals_total, strict=True)),
        ),
    ]


def review_workbook(context: dict) -> bytes:
    return xl.build_workbook(review_sheets(context))


def _group_columns(first: str) -> list[xl.Column]:
    return [
        xl.Column("label", first, width=36),
        xl.Column("villages", _("Villages"), kind="integer"),
        xl.Column("approved", _("Approved surveys"), kind="integer"),
        xl.Column("reaching", _("Meet the standard"), kind="integer"),
        xl.Column("average", _("Average criteria met"), kind="decimal"),
        xl.Column("pending", _("Surveys not yet approved"), kind="integer"),
    ]


def _group_rows(groups) -> list[dict]:
    return [
        {
            "label": g.label or "—",
            "villages": g.villages,
            "approved": g.approved,
            "reaching": g.reaching,
            "average": g.average_met,
            "pending": g.pending,
        }
        for g in groups
    ]


def dashboard_workbook(report: Summary) -> bytes:
    """The dashboard's progress tables (the village × criterion matrix is in the review's
    annex workbook)."""
    trend = [
        {
            "label": str(row.year),
            "villages": report.totals.villages,
            "approved": row.approved,
            "reaching": row.reaching,
            "average": row.average_met,
            "pending": row.pending,
        }
        for row in report.trend
    ]
    return xl.build_workbook(
        [
            xl.SheetSpec(
                _("By district"), _group_columns(_("District")), _group_rows(report.by_district)
            ),
            xl.SheetSpec(
                _("By commune"), _group_columns(_("Commune")), _group_rows(report.by_commune)
            ),
            xl.SheetSpec(
                _("By agency"), _group_columns(_("Agency")), _group_rows(report.by_agency)
            ),
            xl.SheetSpec(_("By year"), _group_columns(_("Year")), trend),
        ]
    )

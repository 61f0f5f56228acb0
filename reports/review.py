"""What every rendering of the yearly review shows (page, PDF, DOCX, workbook): the gathered
numbers, the review's own facts (``reports.duties``), the Party-format header
(``reports.documents``) and the body I–VI (``reports.sections``).

A report asked for by a scoped user (a liaison, a commune officer) is that scope's report: it
never shows the document staff wrote for the whole plan.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.models import Membership
from reports import charts, documents, duties, sections
from reports.gathering import Counts, GroupRow, Report, is_final
from reports.models import ReportDocument


@dataclass
class Facts:
    report: Report
    duties: list[duties.AgencyDuties]
    coverage: duties.Coverage
    missed: list[duties.Missed]
    met_per_criterion: list[int]
    groups: list[duties.PlaceGroup]
    communes_now: list[GroupRow]  # the villages by commune after the 2025 reform
    communes_total: Counts
    final: bool
    years: list[int]  # the years whose work is counted: the period for a tổng kết
    demo: bool

    @property
    def duties_total(self) -> duties.AgencyDuties:
        return duties.duties_total(self.duties)

    @property
    def period(self) -> str:
        """ "năm 2025", or "giai đoạn 2022–2025" for a tổng kết."""
        return sections.period_label(self.years)

    @property
    def models_total(self) -> tuple[str, str]:
        """The models annex's total row: "Tổng cộng: 4 mô hình" and the models per stage."""
        models = self.report.models
        label = ngettext("Total: %(n)s model", "Total: %(n)s models", len(models))
        return label % {"n": len(models)}, by_label(m.get_stage_display() for m in models)

    @property
    def proposals_total(self) -> tuple[str, str]:
        """The proposals annex's total row: "Tổng cộng: 6 khó khăn, kiến nghị" and the
        proposals per status."""
        proposals = self.report.proposals
        label = ngettext(
            "Total: %(n)s difficulty or proposal",
            "Total: %(n)s difficulties or proposals",
            len(proposals),
        )
        return label % {"n": len(proposals)}, by_label(p.get_status_display() for p in proposals)


def by_label(labels) -> str:
    """ "Đăng ký: 2; Đã ra mắt: 1", in the order first met: what a list's total row says
    under its stage or status."""
    return "; ".join(f"{label}: {n}" for label, n in Counter(str(x) for x in labels).items())


def facts_for(report: Report, village_ids) -> Facts:
    plan, year = report.plan, report.year
    groups = duties.matrix_groups(report)  # the rows come in this order, numbered in it
    return Facts(
        report=report,
        duties=duties.agency_duties(plan, year, village_ids),
        coverage=duties.coverage(plan, year, village_ids),
        missed=duties.criteria_missed(report),
        met_per_criterion=duties.met_per_criterion(report),
        groups=groups,
        communes_now=report.by_commune,
        communes_total=Counts.total(report.by_commune),
        final=is_final(plan, year),
        years=report.years,
        demo=duties.counts_demo(plan, village_ids),
    )


def scope_label(params) -> str:
    """What the subtitle names after the subject: the scope, or the places a scoped user
    sees when they asked for the whole plan."""
    if not params.scope.is_whole_plan:
        return params.scope.label
    if params.reports_whole_plan:
        return ""
    places = [
        str(m.agency or m.commune)
        for m in Membership.objects.filter(user=params.user).select_related("agency", "commune")
    ]
    return _("the villages of %(places)s") % {"places": ", ".join(places) or "—"}


def audience(params) -> str:
    """What a review shows of its reader besides the villages they see: whether it is the
    committee's whole-plan report (with the narrative staff wrote) and the places its subtitle
    names. A cached review is filed under this as well as under the villages."""
    label = hashlib.sha256(scope_label(params).encode()).hexdigest()[:16]
    return f"{params.reports_whole_plan}-{label}"


def review_context(params, report: Report) -> dict:
    whole_for_user = params.scope.is_whole_plan and not params.reports_whole_plan
    if whole_for_user:  # never the whole plan's document under a scoped user's tables
        document = ReportDocument(plan=params.plan, year=params.year, scope="")
    else:
        document = documents.document_for(params.plan, params.year, params.scope)
    facts = facts_for(report, params.village_ids)
    return {
        "report": report,
        "facts": facts,
        "document": document,
        "header": documents.header(document, params.plan, scope_label(params)),
        "parts": sections.outline(document, facts),
        "coverage_text": sections.coverage_sentence(facts),
        "trend": charts.trend_chart(
            "trend",
            _("Villages meeting the standard, by year"),
            [row for row in report.trend if row.year <= report.year],
            report.totals.villages,
        ),
        "params": params,
    }

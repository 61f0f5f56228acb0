"""The annexes of the Word review, each on new landscape pages: the same tables as the PDF's
(``reports/_annexes.html``), with a wide name column, narrow criterion columns, numbers
right-aligned and totals in bold."""

from django.utils.translation import gettext as _

from reports.docx_parts import CENTER, new_landscape_section, para, table


def _title(document, text) -> None:
    new_landscape_section(document)
    para(document, text, bold=True, align=CENTER, keep_with_next=True)


def _matrix(document, context) -> None:
    report, facts = context["report"], context["facts"]
    _title(
        document,
        _("Annex 1. Criteria met by each village in %(year)s against %(last)s")
        % {"year": report.year, "last": report.previous_year},
    )
    legend = (
        _(
            "x: criterion met; x+: met this year, not met last year; 0: not met; "
            "-: no approved survey. Only approved surveys count."
        )
        + " "
        + _(  # the PDF's legend, word for word
            "The total row counts the villages meeting each criterion, and under “Standard” the "
            "villages meeting the standard."
        )
    )
    para(document, legend, italic=True, size=10, space_after=0, keep_with_next=True)
    para(
        document,
        "; ".join(f"{c.number}. {c.name}" for c in report.criteria),
        size=10,
        keep_with_next=True,
    )
    count = len(report.criteria)
    headers = [
        _("No."),
        _("Village"),
        *[str(c.number) for c in report.criteria],
        _("Met %(year)s") % {"year": report.previous_year},
        _("Met %(year)s") % {"year": report.year},
        _("Standard"),
    ]
    rows, district = [], None
    for group in facts.groups:
        if group.district and group.district != district:
            rows.append({"merge": group.district})
        district = group.district
        rows.append({"merge": group.commune})
        for row in group.rows:
            rows.append(
                [
                    row.number,
                    row.village.name,
                    *[cell.symbol for cell in row.cells],
                    "-" if row.met_last_year is None else row.met_last_year,
                    "-" if row.met is None else f"{row.met}/{row.this_year.count}",
                    _("Met") if row.reaches_standard else "",
                ]
            )
        rows.append(  # the PDF's words, over the name and criterion columns
            {
                "cells": ["", group.subtotal_label, *[""] * count, "", "", group.reaching],
                "bold": True,
                "span": (1, count + 3),
            }
        )
    rows.append(
        {
            "cells": ["", _("Total"), *facts.met_per_criterion, "", "", report.totals.reaching],
            "bold": True,
        }
    )
    criterion_width = min(10, 120 / max(count, 1))
    table(
        document,
        headers,
        rows,
        widths=(10, 70, *[criterion_width] * count, 22, 22, 22),
        numeric=(0, *range(2, count + 5)),
        size=10,
    )
    _communes_now(document, report, facts)


def _communes_now(document, report, facts) -> None:
    """The villages by commune after the 2025 reform, with the total once."""
    para(
        document,
        _("Villages by commune after the 2025 reorganisation"),
        bold=True,
        space_before=12,
        keep_with_next=True,
    )
    total = facts.communes_total
    table(
        document,
        [
            _("No."),
            _("Commune (now)"),
            _("Villages"),
            _("Approved surveys"),
            _("Meeting the standard in %(year)s") % {"year": report.year},
            _("Meeting the standard in %(year)s") % {"year": report.previous_year},
        ],
        [
            *(
                [n, c.label or "—", c.villages, c.approved, c.reaching, c.reaching_last_year]
                for n, c in enumerate(facts.communes_now, 1)
            ),
            {
                "cells": [
                    "",
                    _("Total"),
                    total.villages,
                    total.approved,
                    total.reaching,
                    total.reaching_last_year,
                ],
                "bold": True,
            },
        ],
        widths=(10, 80, 30, 30, 35, 35),
        numeric=(0, 2, 3, 4, 5),
        size=10,
        together=True,
    )


def _duties(document, context) -> None:
    report, facts = context["report"], context["facts"]
    if facts.final:
        title = _(
            "Annex 2. The agencies' work against each duty of the plan, %(start)s–%(end)s"
        ) % {"start": facts.years[0], "end": report.year}
    else:
        title = _("Annex 2. The agencies' work against each duty of the plan in %(year)s") % {
            "year": report.year
        }
    _title(document, title)
    table(
        document,
        [
            _("No."),
            _("Agency and the villages it leads"),
            _("Dissemination: sessions (people)"),
            _("Surveyed with the commune"),
            _("Common plan with the commune"),
            _("Propaganda, production guidance"),
            _("Outdated customs: activities (customs)"),
            _("Resources (đồng)"),
            _("Work-days"),
            _("Proposals: raised / answered"),
            _("Support teams"),
            _("Not shown by the data"),
        ],
        [
            [
                n,
                f"{row.agency.name}: {', '.join(row.villages)}",
                f"{row.disseminations} ({row.attendance})",
                f"{row.surveyed_with_commune}/{len(row.villages)}",
                f"{row.common_plans}/{len(row.villages)}",
                row.guidance,
                f"{row.customs_activities} ({len(row.customs)})",
                row.money,
                row.work_days,
                f"{row.proposals} / {row.answered}",
                f"{row.teams}/{len(row.villages)}",
                ", ".join(row.missing),
            ]
            for n, row in enumerate(facts.duties, 1)
        ]
        + ([_duties_total(facts.duties_total)] if facts.duties else []),
        widths=(10, 56, 20, 18, 18, 18, 20, 26, 16, 20, 16, 30),
        numeric=(0, 2, 3, 4, 5, 6, 7, 8, 9, 10),
        size=9,
    )


def _duties_total(total) -> dict:
    villages = len(total.villages)
    return {
        "cells": [
            "",
            _("Total"),
            f"{total.disseminations} ({total.attendance})",
            f"{total.surveyed_with_commune}/{villages}",
            f"{total.common_plans}/{villages}",
            total.guidance,
            f"{total.customs_activities} ({len(total.customs)})",
            total.money,
            total.work_days,
            f"{total.proposals} / {total.answered}",
            f"{total.teams}/{villages}",
            "",
        ],
        "bold": True,
    }


def _resources(document, report, facts) -> None:
    _title(document, _("Annex 3. Resources mobilised %(period)s") % {"period": facts.period})
    keys = ("cash", "goods", "money", "work_days", "households")
    for heading, first, rows in (
        (_("By agency"), _("Agency"), report.resources_by_agency),
        (_("By source"), _("Source"), report.resources_by_source),
    ):
        para(document, heading, bold=True, keep_with_next=True)
        body = [[n, row["label"], *(row[k] for k in keys)] for n, row in enumerate(rows, 1)]
        total = {"cells": ["", _("Total"), *(report.resources[k] for k in keys)], "bold": True}
        table(
            document,
            [
                _("No."),
                first,
                _("Cash (đồng)"),
                _("Goods (đồng)"),
                _("Total (đồng)"),
                _("Work-days"),
                _("Households benefiting"),
            ],
            [*body, total],
            widths=(12, 90, 32, 32, 32, 26, 30),
            numeric=(0, 2, 3, 4, 5, 6),
        )


def _total(total: tuple[str, str], columns: int, label: tuple, breakdown: tuple) -> dict:
    """A list's total row: its count over the ``label`` columns, the count per stage or
    status over the ``breakdown`` columns, as the PDF's."""
    cells = [""] * columns
    cells[label[0]], cells[breakdown[0]] = total
    return {"cells": cells, "bold": True, "spans": [label, breakdown]}


def _person(member) -> str:
    text = member.full_name
    if member.position:
        text += f", {member.position}"
    where = member.agency.name if member.agency else member.workplace
    return f"{text} ({where})" if where else text


def annexes(document, context) -> None:
    report, facts = context["report"], context["facts"]
    _matrix(document, context)
    _duties(document, context)
    _resources(document, report, facts)
    _title(document, _("Annex 4. Support teams"))
    table(
        document,
        [_("No."), _("Village"), _("Team leader"), _("Members"), _("Decision")],
        [
            [
                n,
                row.village.name,
                _person(row.leader) if row.leader else ("" if row.team else _("No team yet")),
                "; ".join(_person(m) for m in row.members),
                row.team.decision if row.team else "",
            ]
            for n, row in enumerate(report.teams, 1)
        ],
        widths=(12, 45, 60, 100, 40),
        numeric=(0,),
    )
    _title(document, _("Annex 5. “Dân vận khéo” models"))
    models = [
        [
            n,
            m.name,
            m.village.name,
            m.agency.name,
            m.get_field_display(),
            m.get_stage_display(),
            m.registered_on.strftime("%d/%m/%Y"),
            f"{m.standards_met}/5",
        ]
        for n, m in enumerate(report.models, 1)
    ]
    table(
        document,
        [
            _("No."),
            _("Model"),
            _("Village"),
            _("Agency"),
            _("Field"),
            _("Stage"),
            _("Registered on"),
            _("Standards met"),
        ],
        [*models, _total(context["facts"].models_total, 8, (1, 4), (5, 7))]
        if models
        else [{"merge": _("No model registered.")}],
        widths=(12, 70, 35, 45, 30, 25, 25, 20),
        numeric=(0, 7),
    )
    _title(
        document,
        _("Annex 6. Difficulties and proposals %(period)s, and how they were handled")
        % {"period": facts.period},
    )
    proposals = [
        [
            n,
            p.village.name,
            p.agency.name,
            f"{p.title}: {p.content}",
            p.addressee_in_full,
            p.get_status_display() + (f" ({p.closed_on:%d/%m/%Y})" if p.closed_on else ""),
            p.answer,
        ]
        for n, p in enumerate(report.proposals, 1)
    ]
    table(
        document,
        [
            _("No."),
            _("Village"),
            _("Agency"),
            _("Difficulty or proposal"),
            _("Addressed to"),
            _("Status"),
            _("How it was handled"),
        ],
        [*proposals, _total(context["facts"].proposals_total, 7, (1, 4), (5, 6))]
        if proposals
        else [{"merge": _("No difficulty or proposal raised.")}],
        widths=(12, 32, 38, 70, 30, 32, 48),
        numeric=(0,),
    )

"""The yearly review as a document: its Party-format header, its narrative and its signature.

The header, number and signatory are what staff entered (``ReportDocument``); until they
enter them, defaults are taken from the plan (its issuer) and the narrative is pre-filled with
sentences generated from the gathered numbers, which staff then rewrite.
"""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from assignments.models import Plan
from dankhoeo.money import format_dong_summary
from reports.gathering import Report
from reports.models import ReportDocument
from reports.scopes import Scope


def document_for(plan: Plan, year: int, scope: Scope) -> ReportDocument:
    """The saved document of this plan, year and scope, or an unsaved one with defaults."""
    found = ReportDocument.objects.filter(plan=plan, year=year, scope=scope.text).first()
    if found is not None:
        return found
    return ReportDocument(
        plan=plan,
        year=year,
        scope=scope.text,
        issuing_body=plan.issuer.upper(),
        title=_("REPORT"),
        subtitle=default_subtitle(plan, year, scope),
    )


def default_subtitle(plan: Plan, year: int, scope: Scope) -> str:
    if year >= plan.period_end:
        text = _("Final review of %(years)s years of implementing Plan No. %(plan)s") % {
            "years": plan.period_end - plan.period_start + 1,
            "plan": plan.number,
        }
    else:
        text = _("Review of the implementation of Plan No. %(plan)s in %(year)s") % {
            "plan": plan.number,
            "year": year,
        }
    if not scope.is_whole_plan:
        text = f"{text} ({scope.label})"
    return text


def number_line(document: ReportDocument) -> str:
    """ "Số 145-BC/TU", or "Số      -BC/…" with room to write the number by hand."""
    return _("No. %(number)s") % {"number": document.number or "\u2003\u2003-BC/"}


def date_line(document: ReportDocument) -> str:
    """ "Kon Tum, ngày 05 tháng 12 năm 2025" (day always two digits, January and February
    with a leading zero); dots to fill in by hand while the date is not set."""
    place = document.place or "…………"
    day = document.dated_on
    if day is None:
        return _("%(place)s, day … month … year %(year)s") % {
            "place": place,
            "year": document.year,
        }
    return _("%(place)s, day %(day)s month %(month)s year %(year)s") % {
        "place": place,
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}" if day.month < 3 else str(day.month),
        "year": day.year,
    }


def _n(value) -> str:
    return number_format(value, force_grouping=True)


@dataclass
class Sections:
    results: str
    tasks: str
    proposals: str


def generated_sections(report: Report) -> Sections:
    """Sentences that carry the numbers, for staff to start the narrative from."""
    t = report.totals
    money = report.resources
    results = [
        _(
            "In %(year)s the assigned agencies held %(sessions)s sessions to disseminate "
            "Plan No. %(plan)s to %(attendance)s of their staff, and %(activities)s activities "
            "in the villages, reaching %(people)s people and %(households)s households."
        )
        % {
            "year": report.year,
            "sessions": _n(report.disseminations["count"]),
            "plan": report.plan.number,
            "attendance": _n(report.disseminations["attendance"]),
            "activities": _n(report.activities["count"]),
            "people": _n(report.activities["people"]),
            "households": _n(report.activities["households"]),
        },
        _(
            "Of the %(villages)s villages, %(approved)s have an approved survey for %(year)s; "
            "%(reaching)s meet every criterion of the new-rural village standard "
            "(%(reaching_last)s in %(last_year)s), and a village meets on average %(average)s "
            "of %(criteria)s criteria."
        )
        % {
            "villages": _n(t["villages"]),
            "approved": _n(t["approved"]),
            "year": report.year,
            "reaching": _n(t["reaching"]),
            "reaching_last": _n(t["reaching_last_year"]),
            "last_year": report.previous_year,
            "average": _n(t["average_met"]) if t["average_met"] is not None else "—",
            "criteria": _n(t["criteria"]),
        },
        _(
            "The agencies mobilised %(money)s in cash and goods and %(work_days)s work-days; "
            "%(teams)s villages have a support team (%(members)s members); %(models)s “Dân vận "
            "khéo” models have been registered, %(models_year)s of them in %(year)s."
        )
        % {
            "money": format_dong_summary(money["money"]),
            "work_days": _n(money["work_days"]),
            "teams": _n(t["teams"]),
            "members": _n(t["team_members"]),
            "models": _n(t["models"]),
            "models_year": _n(t["models_this_year"]),
            "year": report.year,
        },
    ]
    tasks = [
        _(
            "Keep helping the %(left)s villages that do not yet meet the standard, starting "
            "with the criteria they miss most often."
        )
        % {"left": _n(max(t["villages"] - t["reaching"], 0))},
    ]
    proposals = [
        _(
            "%(total)s difficulties and proposals were raised; %(resolved)s have been resolved "
            "and %(open)s are still open."
        )
        % {
            "total": _n(t["proposals"]),
            "resolved": _n(t["proposals_resolved"]),
            "open": _n(t["proposals_open"]),
        },
    ]
    return Sections("\n\n".join(results), "\n\n".join(tasks), "\n\n".join(proposals))


@dataclass
class Narrative:
    """What the report prints: the text staff wrote, else the generated text."""

    results: list[str]
    tasks: list[str]
    proposals: list[str]


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip()]


def narrative(document: ReportDocument, report: Report) -> Narrative:
    generated = generated_sections(report)
    return Narrative(
        results=paragraphs(document.section_results or generated.results),
        tasks=paragraphs(document.section_tasks or generated.tasks),
        proposals=paragraphs(document.section_proposals or generated.proposals),
    )

"""The yearly review as a Party document (HD 36-HD/VPTW): its header, kind, signature block
and recipients.

The facts come from the plan's issuing committee, kept once on the plan (``Plan.heading``,
``document_place``, ``signing_for``…); a report overrides any of them on its own
``ReportDocument`` (an empty field there takes the plan's). The number is left blank ("Số
-BC/TU") until the office numbers the report, and so is the date.

A report is a "sơ kết" for a year inside the plan's period and a "tổng kết" for the plan's last
year, when it covers the whole period (``is_final``).
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from assignments.models import Plan
from reports.gathering import is_final
from reports.models import ReportDocument
from reports.scopes import Scope

BLANK = "\u2003\u2003"  # room to write the number by hand


def document_for(plan: Plan, year: int, scope: Scope) -> ReportDocument:
    """The saved document of this plan, year and scope, or an unsaved empty one."""
    found = ReportDocument.objects.filter(plan=plan, year=year, scope=scope.text).first()
    return found or ReportDocument(plan=plan, year=year, scope=scope.text)


def default_subtitle(plan: Plan, year: int, scope_label: str = "") -> str:
    if is_final(plan, year):
        text = _(
            "Final review of %(years)s years of implementing Plan No. %(plan)s (%(start)s–%(end)s)"
        ) % {
            "years": plan.period_end - plan.period_start + 1,
            "plan": plan.number,
            "start": plan.period_start,
            "end": plan.period_end,
        }
    else:
        text = _("Review of the implementation of Plan No. %(plan)s in %(year)s") % {
            "plan": plan.number,
            "year": year,
        }
    return f"{text} ({scope_label})" if scope_label else text


def default_recipients() -> list[str]:
    return [
        _("The Standing Board of the Provincial Party Committee (for reporting)"),
        _("The assigned agencies, units and enterprises"),
        _("The Party committees of the communes concerned"),
        _("File: Office of the Provincial Party Committee"),
    ]


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


@dataclass
class Header:
    """Everything the document prints around its body, the overrides applied."""

    parent: str
    body: str
    number_line: str
    date_line: str
    kind: str  # "sơ kết" or "tổng kết"
    final: bool
    title: str
    subtitle: str
    signing_for: str
    position: str
    name: str
    recipients: list[str]


def number_line(number: str, code: str) -> str:
    """ "Số 145-BC/TU"; a bare "145" gets the suffix; blank: "Số    -BC/TU" to write in."""
    number = number.strip()
    if "/" not in number:
        number = f"{number or BLANK}-BC/{code}"
    return _("No. %(number)s") % {"number": number}


def date_line(place: str, day: datetime.date | None) -> str:
    """ "Kon Tum, ngày 05 tháng 12 năm 2025" (day always two digits, January and February
    with a leading zero); dots for the office to fill in while the date is not set."""
    if day is None:
        return _("%(place)s, day … month … year …") % {"place": place or "…………"}
    return _("%(place)s, day %(day)s month %(month)s year %(year)s") % {
        "place": place or "…………",
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}" if day.month < 3 else str(day.month),
        "year": day.year,
    }


def facts(document: ReportDocument, plan: Plan) -> dict[str, str]:
    """Each document fact of ``Plan.DOCUMENT_FACTS`` (named as on the plan): the report's own
    where set, else the plan's."""
    return {
        plan_field: getattr(document, report_field) or getattr(plan, plan_field)
        for plan_field, report_field in Plan.DOCUMENT_FACTS
    }


def header(document: ReportDocument, plan: Plan, scope_label: str = "") -> Header:
    """The document's own facts where set, else its plan's (the committee's)."""
    final = is_final(plan, document.year)
    fact = facts(document, plan)
    return Header(
        parent=fact["heading_parent"],
        body=fact["heading"] or plan.issuer.upper(),
        number_line=number_line(document.number, plan.document_code),
        date_line=date_line(fact["document_place"], document.dated_on),
        kind=_("final review") if final else _("yearly review"),
        final=final,
        title=document.title or _("REPORT"),
        subtitle=document.subtitle or default_subtitle(plan, document.year, scope_label),
        signing_for=fact["signing_for"],
        position=fact["signatory_position"],
        name=fact["signatory_name"],
        recipients=lines(fact["recipients"]) or default_recipients(),
    )

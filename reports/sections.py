"""The body of a Party review report, I to VI, pre-filled from the facts the app holds.

I. leadership, direction and organisation; II. results, duty by duty of the plan, then the
criteria; III. general assessment (strengths, limitations drafted from the shortfalls in the
data, causes); IV. lessons (tổng kết only, drafted from the period's data in
``reports.lessons``); V. directions and tasks; VI. proposals, grouped by who must answer.
Judgement is left to staff: what they wrote replaces the draft; the causes have no draft and
are left out of the document until written.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from dankhoeo.money import format_dong_summary
from reports.documents import lines
from reports.lessons import lessons
from villages.models import lower_first

ROMAN = ("I", "II", "III", "IV", "V", "VI")


def _n(value) -> str:
    return number_format(value, force_grouping=True)


def _names(items, limit=6) -> str:
    items = list(items)
    shown = ", ".join(items[:limit])
    return shown + (_(" and %(n)s more") % {"n": len(items) - limit} if len(items) > limit else "")


def period_label(years: list[int]) -> str:
    """ "năm 2025" for one year, "giai đoạn 2022–2025" for the period of a tổng kết."""
    if len(years) > 1:
        return _("in %(start)s–%(end)s") % {"start": years[0], "end": years[-1]}
    return _("in %(year)s") % {"year": years[0]}


def _period(facts) -> str:
    return period_label(facts.years)


def leadership(facts) -> str:
    duties, t = facts.duties, facts.report.totals
    held = [d for d in duties if d.disseminations]
    if held:
        dissemination = _(
            "%(period)s, %(held)s of %(agencies)s assigned agencies held %(sessions)s sessions "
            "to disseminate Plan No. %(plan)s to %(attendance)s of their staff."
        )
    else:  # no "0 of 12 agencies held 0 sessions for 0 people"
        dissemination = _(
            "%(period)s, none of the %(agencies)s assigned agencies held a session to "
            "disseminate Plan No. %(plan)s."
        )
    text = [
        dissemination
        % {
            "period": _period(facts).capitalize(),
            "held": _n(len(held)),
            "agencies": _n(len(duties)),
            "sessions": _n(sum(d.disseminations for d in duties)),
            "plan": facts.report.plan.number,
            "attendance": _n(sum(d.attendance for d in duties)),
        },
        _(
            "%(agreed)s of %(villages)s villages have a common plan agreed between their lead "
            "agency and the commune."
        )
        % {
            "agreed": _n(sum(d.common_plans for d in duties)),
            "villages": _n(t.villages),
        },
        _("%(teams)s of %(villages)s villages have a support team (%(members)s members).")
        % {
            "teams": _n(t.teams),
            "villages": _n(t.villages),
            "members": _n(t.team_members),
        },
    ]
    return "\n".join(text)


def results(facts) -> str:
    duties, report, cov = facts.duties, facts.report, facts.coverage
    money = sum(d.money for d in duties)
    customs = set().union(*(d.customs for d in duties)) if duties else set()
    text = [
        _(
            "Survey with the commune: %(done)s of %(villages)s villages were surveyed and "
            "confirmed with the commune in %(year)s."
        )
        % {  # every village's survey, as the coverage counts it (a village without a lead
            # agency has no row in the duties annex, but its survey counts here)
            "done": _n(cov.approved + cov.confirmed),
            "villages": _n(cov.villages),
            "year": report.year,
        },
        _(
            "Propaganda and production guidance: %(guidance)s activities, reaching %(people)s "
            "people %(period)s."
        )
        % {
            "guidance": _n(sum(d.guidance for d in duties)),
            "people": _n(report.activities.people),
            "period": _period(facts),
        },
        (
            _(
                "Outdated customs (Directive 13-CT/TU): %(activities)s activities addressed "
                "%(customs)s of the 14 customs."
            )
            if any(d.customs_activities for d in duties)
            else _("Outdated customs (Directive 13-CT/TU): no activity was recorded %(period)s.")
        )
        % {
            "activities": _n(sum(d.customs_activities for d in duties)),
            "customs": _n(len(customs)),
            "period": _period(facts),
        },
        _("Resources: %(money)s in cash and goods and %(days)s work-days %(period)s.")
        % {
            "money": format_dong_summary(money),
            "days": _n(sum(d.work_days for d in duties)),
            "period": _period(facts),
        },
        _(
            "Difficulties and proposals %(period)s: %(total)s raised, %(answered)s answered, "
            "%(open)s open."
        )
        % {
            "period": _period(facts),
            "total": _n(sum(d.proposals for d in duties)),
            "answered": _n(sum(d.answered for d in duties)),
            "open": _n(sum(d.open_proposals for d in duties)),
        },
        models_sentence(facts),
        coverage_sentence(facts),
    ]
    return "\n".join(text)


def models_sentence(facts) -> str:
    t = facts.report.totals
    if facts.final:  # the period is the whole plan: no "of them" to tell apart
        return _("“Dân vận khéo” models: %(models)s registered %(period)s.") % {
            "models": _n(t.models_in_period),
            "period": _period(facts),
        }
    return _(
        "“Dân vận khéo” models: %(models)s registered, %(year_models)s of them %(period)s."
    ) % {
        "models": _n(t.models),
        "year_models": _n(t.models_in_period),
        "period": _period(facts),
    }


def coverage_sentence(facts) -> str:
    """Where the year's surveys stand; a stage no village is at is not named ("0 thôn chờ xã
    xác nhận" reads as a finding)."""
    cov, t = facts.coverage, facts.report.totals
    stages = [
        _("%(n)s have an approved survey for %(year)s")
        % {"n": _n(cov.approved), "year": facts.report.year}
    ]
    for count, stage in (
        (cov.confirmed, _("%(n)s wait for the province's approval")),
        (cov.submitted, _("%(n)s wait for the commune's confirmation")),
        (cov.draft, _("%(n)s are being entered")),
        (cov.not_surveyed, _("%(n)s are not surveyed")),
    ):
        if count:
            stages.append(stage % {"n": _n(count)})
    text = _(
        "Criteria: of %(villages)s villages, %(stages)s; %(reaching)s villages meet the "
        "standard (%(reaching_last)s in %(last)s)."
    ) % {
        "villages": _n(cov.villages),
        "stages": get_text_list(stages, _("and")),
        "reaching": _n(t.reaching),
        "reaching_last": _n(t.reaching_last_year),
        "last": facts.report.previous_year,
    }
    if cov.comparable:
        text += " " + _(
            "On the %(n)s villages with an approved survey in both years, a village meets on "
            "average %(now)s of %(criteria)s criteria (%(before)s in %(last)s)."
        ) % {
            "n": _n(cov.comparable),
            "now": _n(cov.average_now),
            "criteria": _n(t.criteria),
            "before": _n(cov.average_before),
            "last": facts.report.previous_year,
        }
    return text


def strengths(facts) -> str:
    t, report = facts.report.totals, facts.report
    text = []
    first = next((row for row in report.trend if row.year == facts.years[0]), None)
    if facts.final and first is not None and t.reaching > first.reaching:
        text.append(  # the tổng kết compares with the start of the period
            _("The villages meeting the standard rose from %(first)s in %(start)s to %(now)s.")
            % {"first": _n(first.reaching), "start": first.year, "now": _n(t.reaching)}
        )
    elif t.reaching > t.reaching_last_year:
        text.append(
            _("The villages meeting the standard rose from %(last)s to %(now)s.")
            % {"last": _n(t.reaching_last_year), "now": _n(t.reaching)}
        )
    done = [d for d in facts.duties if not d.gaps]
    if done:
        text.append(
            _("%(n)s agencies did every duty the data can show: %(names)s.")
            % {"n": _n(len(done)), "names": _names(d.agency.name for d in done)}
        )
    return "\n".join(text)


def limitations(facts) -> str:
    cov, duties = facts.coverage, facts.duties
    text = []
    waiting = cov.confirmed + cov.submitted + cov.draft
    if cov.not_surveyed and waiting:
        text.append(
            _("%(none)s villages are not surveyed and %(waiting)s surveys are not yet approved.")
            % {"none": _n(cov.not_surveyed), "waiting": _n(waiting)}
        )
    elif cov.not_surveyed:  # never "0 villages are not surveyed"
        text.append(_("%(none)s villages are not surveyed.") % {"none": _n(cov.not_surveyed)})
    elif waiting:
        text.append(_("%(waiting)s surveys are not yet approved.") % {"waiting": _n(waiting)})
    unassigned = [row.village.name for row in facts.report.rows if not row.lead_agency]
    if unassigned:  # outside the duties annex, which goes by agency
        text.append(_("Villages without a lead agency: %(names)s.") % {"names": _names(unassigned)})
    for code, label in (
        ("dissemination", _("Agencies without a dissemination session")),
        ("common_plan", _("Agencies without a common plan with the commune in every village")),
        ("guidance", _("Agencies without propaganda or production guidance")),
        ("customs", _("Agencies without work on outdated customs")),
    ):
        lacking = [d.agency.name for d in duties if code in d.gaps]
        if lacking:
            text.append(f"{label}: {_names(lacking)}.")
    if facts.missed:
        text.append(
            _("Criteria missed most: %(list)s.")
            % {
                "list": "; ".join(
                    _("%(name)s (%(n)s villages)") % {"name": m.criterion.name, "n": m.villages}
                    for m in facts.missed[:3]
                )
            }
        )
    unanswered = sum(d.open_proposals for d in duties)
    if unanswered:
        text.append(_("%(n)s proposals are still unanswered.") % {"n": _n(unanswered)})
    return "\n".join(text)


def tasks(facts) -> str:
    t = facts.report.totals
    text = [
        _(
            "Keep helping the %(left)s villages that do not yet meet the standard, starting "
            "with the criteria they miss most often%(named)s."
        )
        % {
            "left": _n(max(t.villages - t.reaching, 0)),
            "named": f" ({', '.join(m.criterion.name for m in facts.missed[:3])})"
            if facts.missed
            else "",
        }
    ]
    if facts.coverage.not_surveyed or facts.coverage.approved < facts.coverage.villages:
        text.append(_("Finish and approve the survey of every village."))
    return "\n".join(text)


def _addressee(proposal) -> str:
    """Who must answer, inside a sentence: an agency by its full name, else "cấp xã",
    "cấp tỉnh" in lower case ("Đề nghị cấp xã: …")."""
    label = proposal.addressee_in_full
    return label if proposal.addressed_agency_id else lower_first(label)


def proposals(facts) -> str:
    by_addressee = defaultdict(list)
    for proposal in facts.report.proposals:
        if proposal.is_open:
            by_addressee[_addressee(proposal)].append(proposal.title)
    return "\n".join(
        _("To %(addressee)s: %(titles)s.") % {"addressee": who, "titles": "; ".join(titles)}
        for who, titles in by_addressee.items()
    )


DRAFTS = {
    "section_leadership": leadership,
    "section_results": results,
    "section_strengths": strengths,
    "section_limitations": limitations,
    "section_lessons": lessons,  # the tổng kết's only
    "section_tasks": tasks,
    "section_proposals": proposals,
}


def drafts(facts) -> dict[str, str]:
    """The pre-filled text of each section field."""
    return {name: draft(facts) for name, draft in DRAFTS.items()}


@dataclass
class Part:
    heading: str
    paragraphs: list[str]
    level: int = 1  # 2: a subsection of III


def outline(document, facts, *, own_text: bool = True) -> list[Part]:
    """The parts the document prints, numbered I… in order: staff's text where written (and
    ``own_text``), else the draft; the causes only once written, the lessons in a tổng kết."""
    made = drafts(facts)

    def text(name):
        written = getattr(document, name) if own_text else ""
        return lines(written or made.get(name, ""))

    headings = [
        (_("LEADERSHIP, DIRECTION AND ORGANISATION"), "section_leadership"),
        (_("RESULTS"), "section_results"),
        (_("GENERAL ASSESSMENT"), None),
        (_("LESSONS LEARNED"), "section_lessons"),
        (_("DIRECTIONS AND TASKS"), "section_tasks"),
        (_("PROPOSALS AND RECOMMENDATIONS"), "section_proposals"),
    ]
    parts = []
    for heading, name in headings:
        if name == "section_lessons" and not (facts.final and text(name)):
            continue
        number = ROMAN[sum(1 for p in parts if p.level == 1)]
        parts.append(Part(f"{number}. {heading}", text(name) if name else []))
        if name is None:
            subs = [
                (_("Strengths"), text("section_strengths")),
                (_("Limitations and shortcomings"), text("section_limitations")),
                (_("Causes"), text("section_causes")),
            ]
            written = [(sub, paragraphs) for sub, paragraphs in subs if paragraphs]
            for index, (sub, paragraphs) in enumerate(written, start=1):
                parts.append(Part(f"{index}. {sub}", paragraphs, level=2))
    return parts

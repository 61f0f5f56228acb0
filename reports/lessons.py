"""Section IV of the tổng kết, the lessons learned, drafted from what the data shows over the
plan's period: how the villages of agencies that did every duty, and the villages with a
support team, fared against the others; the criteria to put first; how the proposals were
answered. A lesson is drafted only when the data supports it (a comparison is stated only when
it favours the practice); staff rewrite or complete it. A sơ kết has no lessons.

Read from the facts already gathered (``reports.review.Facts``): no query of its own.
"""

from django.utils.translation import gettext as _

from dankhoeo.money import format_number as _n


def _compared(rows, belongs, text: str) -> str:
    """``text`` with the share of villages meeting the standard among the rows that belong to
    the practice (a, an) and among the others (b, bn), when the first is the better; else ""."""
    rows = list(rows)
    shares = [
        (sum(1 for row in group if row.reaches_standard), len(group))
        for group in ([r for r in rows if belongs(r)], [r for r in rows if not belongs(r)])
    ]
    (a, an), (b, bn) = shares
    if not (an and bn and a * bn > b * an):
        return ""
    return text % {"a": _n(a), "an": _n(an), "b": _n(b), "bn": _n(bn)}


def _agencies(facts) -> str:
    complete = {d.agency.name for d in facts.duties if not d.gaps}
    return _compared(
        facts.report.rows,
        lambda row: row.lead_agency in complete,
        _(
            "Where the lead agency carried out every duty of the plan, the villages progressed "
            "faster: %(a)s of %(an)s of them meet the standard, against %(b)s of %(bn)s "
            "elsewhere; the full and regular involvement of the agency in charge is decisive."
        ),
    )


def _teams(facts) -> str:
    with_team = {row.village.pk for row in facts.report.teams if row.team}
    return _compared(
        facts.report.rows,
        lambda row: row.village.pk in with_team,
        _(
            "Setting up and keeping a support team in the village makes the help regular and "
            "effective: %(a)s of %(an)s villages with a team meet the standard, against %(b)s "
            "of %(bn)s without one."
        ),
    )


def _criteria(facts) -> str:
    if not facts.missed:
        return ""
    return _(
        "Survey every village each year together with the commune, to know which criteria "
        "are still missing, and put the resources first on the criteria missed most "
        "(%(names)s)."
    ) % {"names": ", ".join(m.criterion.name for m in facts.missed[:3])}


def _proposals(facts) -> str:
    raised = sum(d.proposals for d in facts.duties)
    if not raised:
        return ""
    return _(
        "The difficulties and proposals of the villages must be received and answered "
        "promptly: %(answered)s of %(raised)s were answered %(period)s."
    ) % {
        "answered": _n(sum(d.answered for d in facts.duties)),
        "raised": _n(raised),
        "period": facts.period,
    }


def lessons(facts) -> str:
    """The draft of section IV, one lesson a line; empty for a sơ kết."""
    if not facts.final:
        return ""
    drafted = [lesson(facts) for lesson in (_agencies, _teams, _criteria, _proposals)]
    return "\n".join(text for text in drafted if text)

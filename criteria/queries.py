"""Reads of the criteria app that pages share: scoped survey lists, the survey page, the
village panel. Each returns plain data for a template in a constant number of queries."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Max, Min
from django.utils import timezone

from assignments.models import Plan
from criteria import verdicts
from criteria.models import (
    CriteriaSet,
    Evidence,
    Recognition,
    Survey,
    SurveyDeadline,
    SurveyValue,
)
from dankhoeo import access, bounds, history
from dankhoeo.models import User
from villages.models import Village

Status = Survey.Status
PAGE_SIZE = 50


def survey_of(village, year: int) -> Survey | None:
    """The survey of a village for a year, if it was started (None for a year no survey
    column can hold)."""
    if year not in bounds.YEAR:
        return None
    return Survey.objects.filter(village=village, year=year).order_by("-pk").first()


def is_overdue(status: str | None, deadline: SurveyDeadline | None, today=None) -> bool:
    """Not yet submitted after the year's deadline."""
    today = today or timezone.localdate()
    return bool(deadline and today > deadline.due_on and status in (None, Status.DRAFT))


@dataclass
class ListRow:
    village: Village
    survey: Survey | None
    overdue: bool
    can_edit: bool


def survey_list(user: User, year: int, *, status: str = "", page: int = 1, overdue_only=False):
    """Every village the user may see with its survey of the year (or none), paginated."""
    villages = access.villages_visible_to(user).with_places().in_vietnamese_order()
    if status == "missing":
        villages = villages.exclude(surveys__year=year)
    elif status:
        villages = villages.filter(surveys__year=year, surveys__status=status)
    deadline = SurveyDeadline.objects.filter(year=year).first()
    if overdue_only:
        if not is_overdue(None, deadline):
            villages = villages.none()
        else:
            villages = villages.exclude(surveys__year=year, surveys__status__in=_past_draft())
    paginator = Paginator(villages, PAGE_SIZE)
    page_obj = paginator.get_page(page)
    ids = [v.pk for v in page_obj.object_list]
    surveys = {
        s.village_id: s
        for s in Survey.objects.filter(year=year, village__in=ids).select_related("criteria_set")
    }
    editable = set(
        access.villages_editable_by(user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    rows = [
        ListRow(
            village=v,
            survey=surveys.get(v.pk),
            overdue=is_overdue(surveys[v.pk].status if v.pk in surveys else None, deadline),
            can_edit=v.pk in editable,
        )
        for v in page_obj.object_list
    ]
    return {"rows": rows, "page_obj": page_obj, "deadline": deadline}


def _past_draft():
    return [Status.SUBMITTED, Status.CONFIRMED, Status.APPROVED]


@dataclass
class IndicatorRow:
    value: SurveyValue
    last: SurveyValue | None
    evidence: list[Evidence]
    needs_assessment: bool
    verdict: str
    field: object = None
    assess_field: object = None
    note_field: object = None

    @property
    def indicator(self):
        return self.value.indicator


@dataclass
class CriterionBlock:
    criterion: object
    verdict: str
    rows: list[IndicatorRow] = field(default_factory=list)


def survey_values(survey: Survey) -> list[SurveyValue]:
    """The values of a survey in order, with their evidence files (for the pages)."""
    return list(survey.values.in_order().prefetch_related("evidence"))


def last_year_values(survey: Survey) -> dict[tuple[int, str], SurveyValue]:
    """Last year's values of the village, keyed by (criterion number, indicator code), so that
    a new version of the set still finds them."""
    values = SurveyValue.objects.filter(
        survey__village=survey.village_id, survey__year=survey.year - 1
    ).select_related("indicator", "indicator__criterion")
    return {(v.indicator.criterion.number, v.indicator.code): v for v in values}


def criterion_blocks(survey: Survey, values: list[SurveyValue], verdict_of=None):
    """Group values by criterion with the criterion verdict. ``verdict_of(value)`` gives an
    indicator's verdict (the stored one by default; the live one while a person types)."""
    verdict_of = verdict_of or (lambda value: value.verdict)
    last = last_year_values(survey)
    blocks: dict[int, CriterionBlock] = {
        c.pk: CriterionBlock(criterion=c, verdict=verdicts.Verdict.UNKNOWN)
        for c in survey.criteria_set.criteria.order_by("number")
    }
    for value in values:
        indicator = value.indicator
        block = blocks[indicator.criterion_id]
        block.rows.append(
            IndicatorRow(
                value=value,
                last=last.get((indicator.criterion.number, indicator.code)),
                evidence=list(value.evidence.all()),
                needs_assessment=verdicts.needs_assessment(indicator, survey.village),
                verdict=verdict_of(value),
            )
        )
    for block in blocks.values():
        block.verdict = verdicts.criterion_verdict(r.verdict for r in block.rows)
    return list(blocks.values())


def survey_history(survey: Survey, limit: int = 200):
    """Value changes (who, when, old → new, why) and transitions, newest first."""
    records = list(
        SurveyValue.history.filter(survey_id=survey.pk)
        .select_related("history_user", "indicator")
        .order_by("-history_date", "-history_id")[:limit]
    )
    steps = history.history_steps(
        sorted(records, key=lambda r: (r.history_date, r.history_id)),
        ["value_bool", "value_number", "value_text", "assessed", "note"],
    )
    changes = []
    for step in reversed(steps):  # newest first, as ``records``
        step.record.before = step.before  # the template shows "before → after"
        if step.record.history_type != "-" and step.changed:
            changes.append(step.record)
    transitions = list(survey.transitions.select_related("actor").order_by("-at", "-pk"))
    return changes, transitions


def village_panel(user: User, village: Village, *, can_edit: bool) -> dict:
    """Context of ``criteria/_village_panel.html``: the surveys of a village by year with
    their totals and status, and its recognitions. Assumes the village is visible to the user;
    ``can_edit`` says whether the user may change it (the village page knows already)."""
    surveys = list(
        Survey.objects.filter(village=village)
        .select_related("criteria_set")
        .order_by("-year", "criteria_set__code")
    )
    recognitions = list(Recognition.objects.filter(village=village).select_related("criteria_set"))
    return {
        "panel_village": village,
        "panel_surveys": surveys,
        "panel_recognitions": recognitions,
        "panel_can_edit": can_edit,
        "panel_year": Plan.objects.current_year(),
    }


def survey_years() -> list[int]:
    """Years offered in the year picker: from the first to the last year with surveys (read
    off the year index; a DISTINCT would read every survey), those with deadlines, and this
    year."""
    span = Survey.objects.order_by().aggregate(first=Min("year"), last=Max("year"))
    years = set(range(span["first"], span["last"] + 1)) if span["first"] else set()
    years |= set(SurveyDeadline.objects.values_list("year", flat=True))
    years.add(Plan.objects.current_year())
    return sorted(years, reverse=True)


def sets_overview():
    return CriteriaSet.objects.order_by("code", "-version")

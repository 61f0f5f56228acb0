"""Reads of the criteria app that pages share: scoped survey lists, the survey page, the
village panel. Each returns plain data for a template in a constant number of queries."""

from dataclasses import dataclass, field
from typing import TypedDict

from django.core.paginator import Paginator
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext, gettext_lazy

from assignments.models import Plan
from criteria import verdicts
from criteria.models import (
    STATUS_BADGES,
    CriteriaSet,
    Evidence,
    Indicator,
    Recognition,
    Survey,
    SurveyDeadline,
    SurveyValue,
)
from dankhoeo import access, bounds, history, money
from dankhoeo.models import User
from villages.models import Village

Status = Survey.Status
PAGE_SIZE = 50
# The history of survey values, read through its model: ``SurveyValue.history`` builds a
# manager class on every access.
HistoricalSurveyValue = SurveyValue.history.model


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


class ListRow(TypedDict):
    """A village of the survey list with what its row shows, worked out here rather than in
    the template (up to ``PAGE_SIZE`` rows; a dict, which the template reads fastest)."""

    name: str
    is_demo: bool
    commune: str  # its commune's name, with the one it was merged into
    can_edit: bool
    overdue: bool
    url: str  # the survey, or the page to start it (for whoever may change the village)
    # The survey of the year, if started ("" status otherwise): its status, the status
    # badge's class, its totals and its criteria set.
    status: str
    status_label: str
    badge: str
    criteria_met: int
    criteria_count: int
    reaches_standard: bool
    set_code: str
    provisional: bool


_NO_SURVEY = {  # what a row shows of a village whose survey is not started
    "pk": None,
    "status": "",
    "criteria_met": 0,
    "criteria_count": 0,
    "reaches_standard": False,
    "criteria_set__code": "",
    "criteria_set__status": "",
}
_PK = 987654321987  # a key no row has, replaced in a reversed URL by each row's
_PK_TEXT = str(_PK)


def survey_list(
    user: User,
    year: int,
    *,
    status: str = "",
    page: int = 1,
    overdue_only=False,
    this_year: int | None = None,
):
    """Every village the user may see with its survey of the year (or none), paginated, and
    the years of the year picker (``survey_years``; ``this_year`` as the view knows it).

    Each query reads only the columns the list shows: the village with its commune and the
    commune it was merged into; the surveys with their set's code and status; every deadline
    at once (the year's, and the years they add to the picker). Which villages the user may
    change is asked only when it depends on the village (``access.villages_editable_among``)."""
    deadlines = list(SurveyDeadline.objects.order_by("-year"))
    deadline = next((d for d in deadlines if d.year == year), None)
    villages = (
        access.villages_visible_to(user)
        .select_related("commune", "commune__successor")
        .only(
            "name",
            "is_demo",
            "commune__name",
            "commune__successor_id",
            "commune__successor__name",
            "commune__successor__successor_id",
        )
        .in_vietnamese_order()
    )
    if status == "missing":
        villages = villages.exclude(surveys__year=year)
    elif status:
        villages = villages.filter(surveys__year=year, surveys__status=status)
    today = timezone.localdate()
    if overdue_only:
        if not is_overdue(None, deadline, today):
            villages = villages.none()
        else:
            villages = villages.exclude(surveys__year=year, surveys__status__in=_past_draft())
    paginator = Paginator(villages, PAGE_SIZE)
    page_obj = paginator.get_page(page)
    page_villages = list(page_obj.object_list)
    editable = access.villages_editable_among(user, [v.pk for v in page_villages])
    surveys = {  # in pk order: the newest survey of a village wins, as in ``survey_of``
        survey["village_id"]: survey
        for survey in Survey.objects.filter(year=year, village__in=[v.pk for v in page_villages])
        .order_by("pk")
        .values(
            "pk",
            "village_id",
            "status",
            "criteria_met",
            "criteria_count",
            "reaches_standard",
            "criteria_set__code",
            "criteria_set__status",
        )
    }
    labels = {value: str(label) for value, label in Status.choices}
    # One reverse() per kind of link, each row's key put in its place (50 rows of reverse()
    # add up).
    survey_url = reverse("criteria:survey", args=[_PK])
    start_url = reverse("criteria:survey-open", args=[_PK, year])
    rows = []
    for v in page_villages:
        survey = surveys.get(v.pk) or _NO_SURVEY
        status = survey["status"]
        url = ""
        if survey is not _NO_SURVEY:
            url = survey_url.replace(_PK_TEXT, str(survey["pk"]))
        elif v.pk in editable:
            url = start_url.replace(_PK_TEXT, str(v.pk))
        rows.append(
            ListRow(
                name=v.name,
                is_demo=v.is_demo,
                commune=v.commune.name_with_successor(),
                can_edit=v.pk in editable,
                overdue=is_overdue(status or None, deadline, today),
                url=url,
                status=status,
                status_label=labels.get(status, status),
                badge=STATUS_BADGES[status] if status else "",
                criteria_met=survey["criteria_met"],
                criteria_count=survey["criteria_count"],
                reaches_standard=survey["reaches_standard"],
                set_code=survey["criteria_set__code"],
                provisional=survey["criteria_set__status"] == CriteriaSet.Status.PROVISIONAL,
            )
        )
    return {
        "rows": rows,
        "page_obj": page_obj,
        "deadline": deadline,
        "years": survey_years(deadlines=deadlines, this_year=this_year),
    }


def _past_draft():
    return [Status.SUBMITTED, Status.CONFIRMED, Status.APPROVED]


def value_text(value) -> str:
    """A survey value (or a historical row of one) as the pages show it: Yes/No, the number as
    entered, the text, the verdict assessed by hand, else "—" (also for no value at all).
    Worked out here rather than by a template included per value."""
    if value is None:
        return "—"
    return _shown(
        value.indicator.value_type,
        value.value_bool,
        value.value_number,
        value.value_text,
        value.assessed,
    )


def _shown(value_type: str, value_bool, value_number, text: str, assessed) -> str:
    if value_type == Indicator.ValueType.BOOLEAN:
        if value_bool is None:
            return "—"
        return gettext("Yes") if value_bool else gettext("No")
    if value_number is not None:
        return conditional_escape(money.format_number(value_number))
    if text:
        return conditional_escape(text)
    if assessed is not None:
        return format_html(
            '{} <span class="small text-body-secondary">({})</span>',
            gettext("Met") if assessed else gettext("Not met"),
            gettext("assessed"),
        )
    return "—"


_VERDICT_BADGES = {  # verdict → (badge class, its words)
    verdicts.Verdict.MET: ("text-bg-success", gettext_lazy("Met")),
    verdicts.Verdict.NOT_MET: ("text-bg-danger", gettext_lazy("Not met")),
    "invalid": ("text-bg-warning", gettext_lazy("Invalid value")),  # a value that did not parse
}


def verdict_badge(verdict: str) -> str:
    """The badge of an indicator's or a criterion's verdict ("invalid" for a typed value that
    does not parse)."""
    css, words = _VERDICT_BADGES.get(verdict, ("text-bg-secondary", gettext_lazy("Not assessed")))
    return format_html('<span class="badge {}">{}</span>', css, words)


_COMPARATORS = dict(Indicator.Comparator.choices)


@dataclass
class IndicatorRow:
    value: SurveyValue
    last_text: str  # last year's value as ``value_text`` shows it ("—" for none)
    evidence: list[Evidence]
    needs_assessment: bool
    verdict: str
    field: object = None
    assess_field: object = None
    note_field: object = None

    @property
    def indicator(self):
        return self.value.indicator

    @property
    def comparator_label(self) -> str:
        """The indicator's ``get_comparator_display()``, without its cost per call."""
        comparator = self.value.indicator.comparator
        return str(_COMPARATORS.get(comparator, comparator))

    @property
    def value_text(self) -> str:
        return value_text(self.value)

    @property
    def verdict_badge(self) -> str:
        return verdict_badge(self.verdict)


@dataclass
class CriterionBlock:
    criterion: object
    verdict: str
    rows: list[IndicatorRow] = field(default_factory=list)

    @property
    def verdict_badge(self) -> str:
        return verdict_badge(self.verdict)


def survey_values(survey: Survey, *, village: Village | None = None) -> list[SurveyValue]:
    """The values of a survey in order, with their evidence files (for the pages). Given the
    survey's ``village``, the indicators' group thresholds are read only if it belongs to a
    group: the verdicts read them for no other village (``verdicts.threshold_for``)."""
    values = survey.values.in_order().prefetch_related("evidence")
    if village is not None and not verdicts.village_groups(village):
        values = values.prefetch_related(None).prefetch_related("evidence")
    return list(values)


def last_year_values(survey: Survey) -> dict[tuple[int, str], str]:
    """Last year's values of the village as ``value_text`` shows them, keyed by (criterion
    number, indicator code), so that a new version of the set still finds them."""
    values = SurveyValue.objects.filter(
        survey__village=survey.village_id, survey__year=survey.year - 1
    ).values_list(
        "indicator__criterion__number",
        "indicator__code",
        "indicator__value_type",
        "value_bool",
        "value_number",
        "value_text",
        "assessed",
    )
    return {(number, code): _shown(*shown) for number, code, *shown in values}


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
                last_text=last.get((indicator.criterion.number, indicator.code), "—"),
                evidence=list(value.evidence.all()),
                needs_assessment=verdicts.needs_assessment(indicator, survey.village),
                verdict=verdict_of(value),
            )
        )
    for block in blocks.values():
        block.verdict = verdicts.criterion_verdict(r.verdict for r in block.rows)
    return list(blocks.values())


def survey_history(survey: Survey, limit: int = 200):
    """Value changes (who, when, old → new, why) and transitions, newest first. Each change
    carries ``before`` (the previous row, None for the first) and the texts of both values
    (``before_text``, ``after_text``)."""
    records = list(
        HistoricalSurveyValue.objects.filter(survey_id=survey.pk)
        .select_related("history_user", "indicator")
        .only(
            "id",
            "value_bool",
            "value_number",
            "value_text",
            "assessed",
            "note",
            "history_id",
            "history_date",
            "history_type",
            "history_change_reason",
            "history_user__first_name",
            "history_user__last_name",
            "history_user__username",
            "indicator__code",
            "indicator__value_type",
        )
        .order_by("-history_date", "-history_id")[:limit]
    )
    steps = history.history_steps(
        sorted(records, key=lambda r: (r.history_date, r.history_id)),
        ["value_bool", "value_number", "value_text", "assessed", "note"],
    )
    changes = []
    for step in reversed(steps):  # newest first, as ``records``
        record = step.record
        record.before = step.before  # the template shows "before → after"
        if record.history_type != "-" and step.changed:
            record.before_text, record.after_text = value_text(step.before), value_text(record)
            changes.append(record)
    transitions = list(
        survey.transitions.select_related("actor")
        .only(
            "survey",
            "at",
            "from_status",
            "to_status",
            "reason",
            "actor__first_name",
            "actor__last_name",
            "actor__username",
        )
        .order_by("-at", "-pk")
    )
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


def survey_years(*, deadlines=None, this_year: int | None = None) -> list[int]:
    """Years offered in the year picker: from the first to the last year with surveys (read
    off the year index; a DISTINCT would read every survey), those with deadlines, and this
    year (``Plan.objects.current_year``). ``deadlines`` and ``this_year``, when the caller has
    them, spare their queries."""
    span = Survey.objects.order_by().aggregate(first=Min("year"), last=Max("year"))
    years = set(range(span["first"], span["last"] + 1)) if span["first"] else set()
    if deadlines is None:
        years |= set(SurveyDeadline.objects.values_list("year", flat=True))
    else:
        years |= {d.year for d in deadlines}
    years.add(Plan.objects.current_year() if this_year is None else this_year)
    return sorted(years, reverse=True)


def sets_overview():
    return CriteriaSet.objects.order_by("code", "-version")

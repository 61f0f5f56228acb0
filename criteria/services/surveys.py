"""Writes of the village survey: opening it, saving its values (refusing a stale edit),
recomputing its verdicts, its evidence files and the year's deadline."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from assignments.models import Plan
from criteria import verdicts
from criteria.models import (
    CriteriaSet,
    Evidence,
    Indicator,
    Survey,
    SurveyDeadline,
    SurveyValue,
)
from dankhoeo import access, bounds, uploads
from dankhoeo.errors import Refused
from dankhoeo.models import User
from villages.models import Village

Status = Survey.Status


class SurveyConflict(Refused):
    """The survey changed since the page was loaded; ``changes`` says what changed."""

    def __init__(self, message, *, changes: list["Change"]):
        super().__init__(message, code="conflict")
        self.changes = changes


@dataclass(frozen=True)
class Change:
    indicator: Indicator
    value: Any
    by: User | None
    at: datetime.datetime | None


@dataclass(frozen=True)
class ValueInput:
    """What a person entered for one indicator."""

    value: Any = None
    assessed: bool | None = None
    note: str = ""


# --- Which set applies -------------------------------------------------------------------


def criteria_set_for(village: Village, year: int) -> CriteriaSet | None:
    """The criteria set that applies to a village for a year (see
    ``PlanQuerySet.criteria_sets_for``)."""
    return Plan.objects.criteria_sets_for([village], year)[village.pk]


# --- Surveys --------------------------------------------------------------------------------


def _indicators(criteria_set: CriteriaSet):
    return (
        Indicator.objects.filter(criterion__criteria_set=criteria_set)
        .select_related("criterion")
        .prefetch_related("group_thresholds")
        .order_by("criterion__number", "code", "pk")
    )


@transaction.atomic
def survey_start(*, user: User, village: Village, year: int) -> Survey:
    """Open the draft survey of a village for a year, one empty value per indicator; only for
    a year inside the period of a plan in progress that covers the village
    (``access.can_start_survey``)."""
    if not access.can_edit_village(user, village):
        raise Refused(_("You may not enter the survey of this village."), code="scope")
    if not access.can_start_survey(user, village, year):
        raise Refused(
            _("%(year)s lies outside the period of the plans covering this village."),
            params={"year": year},
            code="year",
        )
    criteria_set = criteria_set_for(village, year)
    if criteria_set is None:
        raise Refused(
            _("No criteria set applies to this village for %(year)s: staff must choose one."),
            params={"year": year},
            code="no_set",
        )
    check_survey_year(criteria_set, year)
    survey, created = Survey.objects.get_or_create(
        village=village, year=year, criteria_set=criteria_set, defaults={"is_demo": False}
    )
    if created:
        SurveyValue.objects.bulk_create(
            SurveyValue(survey=survey, indicator=indicator, updated_by=user)
            for indicator in _indicators(criteria_set)
        )
        refresh_totals(survey, list(survey.values.in_order()))
        survey.save()
    return survey


def check_survey_year(criteria_set: CriteriaSet, year: int) -> None:
    """A survey's year lies in its criteria set's period (``bounds.year_in_period``)."""
    first, last = criteria_set.period_start, criteria_set.period_end
    grace = bounds.PERIOD_GRACE_YEARS
    if not bounds.year_in_period(year, first, last, grace=grace):
        raise Refused(bounds.period_message(first, last, grace=grace), code="year")


def refresh_totals(survey: Survey, values: list[SurveyValue]) -> dict[int, str]:
    """Recompute every verdict of a survey, its totals and the verdict of each criterion (kept on
    the survey for the reports, saved by the caller in the same transaction); return the
    criterion verdicts."""
    by_criterion: dict[int, list[str]] = {
        c: [] for c in survey.criteria_set.criteria.values_list("pk", flat=True)
    }
    for value in values:
        value.verdict = verdicts.indicator_verdict(
            value.indicator, value.typed_value, survey.village, assessed=value.assessed
        )
        by_criterion.setdefault(value.indicator.criterion_id, []).append(value.verdict)
    criterion_verdicts = {c: verdicts.criterion_verdict(v) for c, v in by_criterion.items()}
    summary = verdicts.summarise(criterion_verdicts.values())
    survey.criteria_met = summary.criteria_met
    survey.criteria_count = summary.criteria_count
    survey.reaches_standard = summary.reaches_standard
    survey.criterion_verdicts = {str(c): v for c, v in criterion_verdicts.items()}
    return criterion_verdicts


def check_value(indicator: Indicator, value: Any) -> Any:
    """Domain checks of a typed value (the form or the spreadsheet parsed its type)."""
    if value is None or value == "":
        return None
    kind = indicator.value_type
    if kind == Indicator.ValueType.PERCENT and Decimal(value) not in bounds.PERCENT:
        raise Refused(_("A percentage lies between 0 and 100."), code="range")
    if kind == Indicator.ValueType.NUMBER and Decimal(value) not in bounds.INDICATOR_NUMBER:
        raise Refused(bounds.INDICATOR_NUMBER.message(), code="range")
    if kind == Indicator.ValueType.CHOICE and value not in indicator.choice_list:
        raise Refused(
            _("“%(value)s” is not one of the choices."), params={"value": value}, code="choice"
        )
    if kind == Indicator.ValueType.TEXT and len(value) > bounds.SURVEY_TEXT:
        raise Refused(
            _("The text is longer than %(length)s characters."),
            params={"length": bounds.SURVEY_TEXT},
            code="length",
        )
    return value


def _require_editable(user: User, survey: Survey) -> None:
    if not access.can_edit_village(user, survey.village):
        raise Refused(_("You may not change the survey of this village."), code="scope")
    if survey.status != Status.DRAFT:
        raise Refused(
            _("The survey is %(status)s: only a draft can be changed."),
            params={"status": survey.get_status_display().lower()},
            code="locked",
        )


def lock_survey(survey: Survey) -> Survey:
    """The survey as saved now, locked until the end of the transaction."""
    return (
        Survey.objects.select_for_update()
        .select_related("village", "criteria_set")
        .get(pk=survey.pk)
    )


def changes_since(survey: Survey, version: int) -> list[Change]:
    """The values changed after the given version of the survey."""
    changed = survey.values.filter(changed_in_version__gt=version).select_related(
        "indicator", "updated_by"
    )
    return [
        Change(
            indicator=value.indicator,
            value=value.typed_value if value.typed_value is not None else value.assessed,
            by=value.updated_by,
            at=value.history.first().history_date if value.history.exists() else None,
        )
        for value in changed.order_by("indicator__criterion__number", "indicator__code")
    ]


@transaction.atomic
def survey_save_values(
    *,
    user: User,
    survey: Survey,
    version: int,
    values: dict[int, ValueInput],
    reason: str = "",
) -> Survey:
    """Save the values a person entered, refusing a save based on a stale version."""
    survey = lock_survey(survey)
    _require_editable(user, survey)
    if version != survey.version:
        raise SurveyConflict(
            _(
                "Someone else saved this survey while you were editing it. Nothing of yours "
                "was saved: check the changes below, then enter yours again."
            ),
            changes=changes_since(survey, version),
        )
    current = list(survey.values.in_order())
    new_version = survey.version + 1
    changed = []
    for value in current:
        entered = values.get(value.indicator_id)
        if entered is None:
            continue
        typed = check_value(value.indicator, entered.value)
        before = (value.typed_value, value.assessed, value.note)
        value.set_typed_value(typed)
        value.assessed = entered.assessed
        value.note = (entered.note or "").strip()
        if (value.typed_value, value.assessed, value.note) != before:
            value.changed_in_version = new_version
            value.updated_by = user
            changed.append(value)
    refresh_totals(survey, current)
    for value in changed:
        value._change_reason = reason
        value.save()
    unchanged = [value for value in current if value not in changed]
    SurveyValue.objects.bulk_update(unchanged, ["verdict"])
    survey.version = new_version
    survey.save()
    return survey


@transaction.atomic
def survey_recompute(*, survey: Survey) -> Survey:
    """Recompute verdicts and totals (after staff corrected thresholds of a draft's set)."""
    survey = lock_survey(survey)
    values = list(survey.values.in_order())
    refresh_totals(survey, values)
    SurveyValue.objects.bulk_update(values, ["verdict"])
    survey.save()
    return survey


# --- Evidence -------------------------------------------------------------------------------


@uploads.atomic_with_files()
def evidence_add(*, user: User, value: SurveyValue, file) -> Evidence:
    """Attach a photo or PDF to a value (checked by content and size)."""
    survey = lock_survey(value.survey)
    _require_editable(user, survey)
    try:
        checked = uploads.check_upload(
            file, kinds=("pdf", "jpeg", "png"), max_bytes=bounds.EVIDENCE_BYTES
        )
    except uploads.UploadRejected as error:
        raise Refused(error.messages[0], code="upload") from error
    evidence = Evidence(
        value=value,
        original_name=checked.filename,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=user,
    )
    uploads.store(evidence.file, checked.filename, file)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, user: User, evidence: Evidence) -> None:
    _require_editable(user, lock_survey(evidence.value.survey))
    name = evidence.file.name
    storage = evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- The year's deadline ----------------------------------------------------------------------


@transaction.atomic
def deadline_set(
    *, user: User, year: int, due_on: datetime.date, criteria_set: CriteriaSet | None = None
) -> SurveyDeadline:
    access.require_staff(user)
    deadline, _created = SurveyDeadline.objects.update_or_create(
        year=year, defaults={"due_on": due_on, "criteria_set": criteria_set, "set_by": user}
    )
    return deadline

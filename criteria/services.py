"""Writes of the criteria app: criteria sets, surveys, their review workflow and evidence.

Every function is keyword-only, runs in one transaction and raises ``dankhoeo.errors.Refused`` (a
ValidationError with a translatable message) when the change is refused; views show it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import Plan
from criteria import verdicts
from criteria.models import (
    CriteriaSet,
    Criterion,
    Evidence,
    Indicator,
    IndicatorThreshold,
    Recognition,
    Survey,
    SurveyDeadline,
    SurveyTransition,
    SurveyValue,
)
from dankhoeo import access, audit, bounds, uploads
from dankhoeo.errors import Refused
from dankhoeo.models import User
from villages.models import Village

Status = Survey.Status
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


# The old name of the refusal, kept for code written before dankhoeo.errors (the API's
# criteria/api.py on its branch); new code raises and catches Refused. TODO: remove.
CriteriaError = Refused


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


def _values(survey: Survey) -> list[SurveyValue]:
    return list(
        survey.values.select_related("indicator", "indicator__criterion")
        .prefetch_related("indicator__group_thresholds")
        .order_by("indicator__criterion__number", "indicator__code", "indicator__pk")
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
        _refresh_totals(survey, _values(survey))
        survey.save()
    return survey


def check_survey_year(criteria_set: CriteriaSet, year: int) -> None:
    """A survey's year lies in its criteria set's period (``bounds.year_in_period``)."""
    first, last = criteria_set.period_start, criteria_set.period_end
    if not bounds.year_in_period(year, first, last):
        raise Refused(bounds.period_message(first, last), code="year")


def _refresh_totals(survey: Survey, values: list[SurveyValue]) -> dict[int, str]:
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
    if kind == Indicator.ValueType.TEXT and len(value) > 500:
        raise Refused(_("The text is longer than 500 characters."), code="length")
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


def _lock(survey: Survey) -> Survey:
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
    survey = _lock(survey)
    _require_editable(user, survey)
    if version != survey.version:
        raise SurveyConflict(
            _(
                "Someone else saved this survey while you were editing it. Nothing of yours "
                "was saved: check the changes below, then enter yours again."
            ),
            changes=changes_since(survey, version),
        )
    current = _values(survey)
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
    _refresh_totals(survey, current)
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
    survey = _lock(survey)
    values = _values(survey)
    _refresh_totals(survey, values)
    SurveyValue.objects.bulk_update(values, ["verdict"])
    survey.save()
    return survey


# --- The review workflow --------------------------------------------------------------------


def _move(survey: Survey, user: User, to: str, reason: str = "", **stamps) -> Survey:
    SurveyTransition.objects.create(
        survey=survey, from_status=survey.status, to_status=to, actor=user, reason=reason
    )
    survey.status = to
    for name, value in stamps.items():
        setattr(survey, name, value)
    survey.version += 1
    survey.save()
    return survey


def _refuse(message, **params):
    raise Refused(message, params=params or None, code="transition")


def _require_status(survey: Survey, *allowed: str) -> None:
    if survey.status not in allowed:
        _refuse(
            _("This cannot be done to a survey that is %(status)s."),
            status=survey.get_status_display().lower(),
        )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("Give the reason."))
    return reason


@transaction.atomic
def survey_submit(*, user: User, survey: Survey, reason: str = "") -> Survey:
    """The lead agency of the village (or provincial staff) hands the survey to the commune
    for confirmation; a supporting agency helps fill it in but does not submit it
    (``access.can_submit_survey``)."""
    survey = _lock(survey)
    _require_status(survey, Status.DRAFT)
    if not access.can_submit_survey(user, survey):
        _refuse(_("Only the lead agency of the village or provincial staff can submit its survey."))
    values = _values(survey)
    missing = [v.indicator.code for v in values if not v.is_answered]
    if missing:
        _refuse(
            _("Fill in every indicator before submitting (missing: %(codes)s)."),
            codes=", ".join(missing),
        )
    with_files = set(
        Evidence.objects.filter(value__survey=survey).values_list("value__indicator", flat=True)
    )
    lacking = [
        v.indicator.code
        for v in values
        if v.indicator.evidence_required and v.indicator_id not in with_files
    ]
    if lacking:
        _refuse(_("Attach the required evidence (indicators %(codes)s)."), codes=", ".join(lacking))
    return _move(survey, user, Status.SUBMITTED, reason.strip(), submitted_at=timezone.now())


@transaction.atomic
def survey_confirm(*, user: User, survey: Survey, reason: str = "") -> Survey:
    """The commune officer confirms the survey of a village of their commune."""
    survey = _lock(survey)
    _require_status(survey, Status.SUBMITTED)
    if not access.can_confirm(user, survey):
        _refuse(_("Only an officer of the village's commune can confirm its survey."))
    return _move(survey, user, Status.CONFIRMED, reason.strip(), confirmed_at=timezone.now())


@transaction.atomic
def survey_approve(*, user: User, survey: Survey, reason: str = "") -> Survey:
    """Provincial staff approve a confirmed survey; its values are locked from then on."""
    survey = _lock(survey)
    _require_status(survey, Status.CONFIRMED)
    if not access.can_approve(user, survey):
        _refuse(_("Only provincial staff can approve a survey."))
    survey = _move(survey, user, Status.APPROVED, reason.strip(), approved_at=timezone.now())
    audit.record(
        actor=user,
        kind=audit.Kind.APPROVAL,
        target=survey,
        detail=audit.change(Status.CONFIRMED.label, Status.APPROVED.label),
    )
    return survey


@transaction.atomic
def survey_return(*, user: User, survey: Survey, reason: str) -> Survey:
    """A reviewer (commune officer or staff) sends the survey back to draft, saying why."""
    survey = _lock(survey)
    _require_status(survey, Status.SUBMITTED, Status.CONFIRMED)
    if not access.can_return(user, survey):
        _refuse(_("Only a reviewer of this survey can return it."))
    return _move(survey, user, Status.DRAFT, _require_reason(reason))


@transaction.atomic
def survey_reopen(*, user: User, survey: Survey, reason: str) -> Survey:
    """Provincial staff reopen an approved survey as a draft, saying why."""
    survey = _lock(survey)
    _require_status(survey, Status.APPROVED)
    if not access.can_reopen(user, survey):
        _refuse(_("Only provincial staff can reopen an approved survey."))
    if survey.recognitions.exists():
        _refuse(_("A recognition decision rests on this survey: it cannot be reopened."))
    reason = _require_reason(reason)
    survey = _move(survey, user, Status.DRAFT, reason)
    audit.record(
        actor=user,
        kind=audit.Kind.APPROVAL,
        target=survey,
        detail=audit.change(Status.APPROVED.label, Status.DRAFT.label, reason),
    )
    return survey


TRANSITIONS = {
    "submit": survey_submit,
    "confirm": survey_confirm,
    "approve": survey_approve,
    "return": survey_return,
    "reopen": survey_reopen,
}


# --- Evidence -------------------------------------------------------------------------------


@uploads.atomic_with_files()
def evidence_add(*, user: User, value: SurveyValue, file) -> Evidence:
    """Attach a photo or PDF to a value (checked by content and size)."""
    survey = _lock(value.survey)
    _require_editable(user, survey)
    try:
        checked = uploads.check_upload(
            file, kinds=("pdf", "jpeg", "png"), max_bytes=EVIDENCE_MAX_BYTES
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
    _require_editable(user, _lock(evidence.value.survey))
    name = evidence.file.name
    storage = evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- Deadlines and recognitions -------------------------------------------------------------


@transaction.atomic
def deadline_set(
    *, user: User, year: int, due_on: datetime.date, criteria_set: CriteriaSet | None = None
) -> SurveyDeadline:
    access.require_staff(user)
    deadline, _created = SurveyDeadline.objects.update_or_create(
        year=year, defaults={"due_on": due_on, "criteria_set": criteria_set, "set_by": user}
    )
    return deadline


@transaction.atomic
def recognition_record(
    *, user: User, survey: Survey, decision_number: str, decided_on: datetime.date, body: str
) -> Recognition:
    """Record the decision recognising a village; only when its approved survey meets all."""
    access.require(access.can_record_recognition(user, survey))
    survey = _lock(survey)
    if survey.status != Status.APPROVED:
        raise Refused(_("Only an approved survey can support a recognition."))
    _refresh_totals(survey, _values(survey))
    if not survey.reaches_standard:
        raise Refused(
            _("The village meets %(met)s of %(count)s criteria: it cannot be recognised."),
            params={"met": survey.criteria_met, "count": survey.criteria_count},
        )
    if Recognition.objects.filter(
        village=survey.village, criteria_set=survey.criteria_set
    ).exists():
        raise Refused(_("This village is already recognised under this criteria set."))
    return Recognition.objects.create(
        village=survey.village,
        criteria_set=survey.criteria_set,
        survey=survey,
        decision_number=decision_number.strip(),
        decided_on=decided_on,
        body=body.strip(),
        recorded_by=user,
    )


# --- Criteria sets --------------------------------------------------------------------------


def criteria_set_require_unused(criteria_set: CriteriaSet) -> None:
    if criteria_set.is_in_use():
        raise Refused(
            _(
                "Surveys already use this criteria set, so it cannot change under them. "
                "Make a new version and change that one."
            ),
            code="in_use",
        )


@transaction.atomic
def criteria_set_save(
    *, user: User, criteria_set: CriteriaSet | None = None, **fields: Any
) -> CriteriaSet:
    """Create a criteria set, or change ``criteria_set`` while no survey uses it; ``fields`` are
    its own fields (code, name, legal basis, period, recognising body...), already parsed."""
    access.require_staff(user)
    if criteria_set is None:
        criteria_set = CriteriaSet()
    else:
        criteria_set_require_unused(CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk))
    return _save_fields(criteria_set, fields)


def _save_fields(instance, fields: dict[str, Any]):
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save()
    return instance


@transaction.atomic
def criteria_set_confirm(*, user: User, criteria_set: CriteriaSet) -> CriteriaSet:
    """Staff confirm that a provisional set matches the official text."""
    access.require_staff(user)
    criteria_set.status = CriteriaSet.Status.VERIFIED
    criteria_set.save(update_fields=["status"])
    return criteria_set


@transaction.atomic
def criteria_set_new_version(*, user: User, criteria_set: CriteriaSet) -> CriteriaSet:
    """Copy a set, its criteria, indicators and group thresholds as the next version."""
    access.require_staff(user)
    latest = CriteriaSet.objects.filter(code=criteria_set.code).order_by("-version").first()
    copy = CriteriaSet.objects.get(pk=criteria_set.pk)
    copy.pk = None
    copy.version = latest.version + 1
    copy.previous = criteria_set
    copy.save()
    for criterion in criteria_set.criteria.prefetch_related(
        Prefetch("indicators", Indicator.objects.prefetch_related("group_thresholds"))
    ):
        indicators = list(criterion.indicators.all())
        criterion.pk = None
        criterion.criteria_set = copy
        criterion.save()
        for indicator in indicators:
            thresholds = list(indicator.group_thresholds.all())
            indicator.pk = None
            indicator.criterion = criterion
            indicator.save()
            IndicatorThreshold.objects.bulk_create(
                IndicatorThreshold(
                    indicator=indicator, village_group=t.village_group, threshold=t.threshold
                )
                for t in thresholds
            )
    return copy


@transaction.atomic
def criterion_save(
    *, user: User, criteria_set: CriteriaSet, criterion: Criterion | None = None, **fields: Any
) -> Criterion:
    """Add a criterion to a set, or change ``criterion``, while no survey uses the set."""
    access.require_staff(user)
    criteria_set_require_unused(criteria_set)
    return _save_fields(criterion or Criterion(), {**fields, "criteria_set": criteria_set})


@transaction.atomic
def indicator_save(
    *, user: User, criterion: Criterion, indicator: Indicator | None = None, **fields: Any
) -> Indicator:
    """Add an indicator to a criterion, or change ``indicator``, while no survey uses the set."""
    access.require_staff(user)
    criteria_set_require_unused(criterion.criteria_set)
    return _save_fields(indicator or Indicator(), {**fields, "criterion": criterion})


@transaction.atomic
def criterion_delete(*, user: User, criterion: Criterion) -> None:
    access.require_staff(user)
    criteria_set_require_unused(criterion.criteria_set)
    criterion.delete()


@transaction.atomic
def indicator_delete(*, user: User, indicator: Indicator) -> None:
    access.require_staff(user)
    criteria_set_require_unused(indicator.criterion.criteria_set)
    indicator.delete()

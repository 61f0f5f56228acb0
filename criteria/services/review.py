"""The review workflow of a survey (submit, confirm, approve, return, reopen) and the
recognition that an approved survey supports."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from criteria.models import Evidence, Recognition, Survey, SurveyTransition
from criteria.services.surveys import lock_survey, refresh_totals
from dankhoeo import access, audit
from dankhoeo.errors import Refused
from dankhoeo.models import User

Status = Survey.Status


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
    survey = lock_survey(survey)
    _require_status(survey, Status.DRAFT)
    if not access.can_submit_survey(user, survey):
        _refuse(_("Only the lead agency of the village or provincial staff can submit its survey."))
    values = list(survey.values.in_order())
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
    survey = lock_survey(survey)
    _require_status(survey, Status.SUBMITTED)
    if not access.can_confirm(user, survey):
        _refuse(_("Only an officer of the village's commune can confirm its survey."))
    return _move(survey, user, Status.CONFIRMED, reason.strip(), confirmed_at=timezone.now())


@transaction.atomic
def survey_approve(*, user: User, survey: Survey, reason: str = "") -> Survey:
    """Provincial staff approve a confirmed survey; its values are locked from then on."""
    survey = lock_survey(survey)
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
    survey = lock_survey(survey)
    _require_status(survey, Status.SUBMITTED, Status.CONFIRMED)
    if not access.can_return(user, survey):
        _refuse(_("Only a reviewer of this survey can return it."))
    return _move(survey, user, Status.DRAFT, _require_reason(reason))


@transaction.atomic
def survey_reopen(*, user: User, survey: Survey, reason: str) -> Survey:
    """Provincial staff reopen an approved survey as a draft, saying why."""
    survey = lock_survey(survey)
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


# --- Recognition -------------------------------------------------------------------------------


@transaction.atomic
def recognition_record(
    *, user: User, survey: Survey, decision_number: str, decided_on: datetime.date, body: str
) -> Recognition:
    """Record the decision recognising a village; only when its approved survey meets all."""
    access.require(access.can_record_recognition(user, survey))
    survey = lock_survey(survey)
    if survey.status != Status.APPROVED:
        raise Refused(_("Only an approved survey can support a recognition."))
    refresh_totals(survey, list(survey.values.in_order()))
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

"""Who may do what with the yearly village survey: start it, enter it, submit, confirm,
approve, return and reopen it, attach evidence.

- The survey of a village for a year is started and entered by whoever may change the village
  (``can_edit_village``: a liaison of an agency assigned to it under a plan in progress, or
  provincial staff), for a year inside the period of a plan in progress that covers it.
- It is **submitted by the lead agency** (the agency "in charge" of the village) or by
  provincial staff. Supporting agencies help enter values and evidence, but the lead agency
  answers for what is handed to the commune.
- It is confirmed by an officer of the village's commune, approved and reopened by provincial
  staff; either reviewer may return it to draft.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from assignments.models import Assignment, Plan
from criteria.models import Evidence, Survey
from dankhoeo import bounds
from dankhoeo.access.scopes import (
    as_pk,
    assignment_in_force,
    can_edit_village,
    can_see_village,
    is_commune_officer,
    is_liaison,
    is_signed_in,
    is_staff,
    villages_visible_to,
)
from dankhoeo.models import User
from villages.models import Village


def survey_for(user: User, pk, *, write: bool = False) -> Survey:
    """The survey, if its village is in the user's scope (404 otherwise, hidden and missing
    alike); with ``write``, 403 unless the user may change the village's data."""
    survey = get_object_or_404(
        Survey.objects.filter(village__in=villages_visible_to(user)).select_related(
            "village", "village__commune", "village__commune__successor", "criteria_set"
        ),
        pk=as_pk(pk),
    )
    if write and not can_edit_village(user, survey.village):
        raise PermissionDenied
    return survey


def evidence_for(user: User, pk, *, write: bool = False) -> Evidence:
    """A file attached to a survey value, with the same rule as its survey."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("value__survey__village"),
        pk=as_pk(pk),
        value__survey__village__in=villages_visible_to(user),
    )
    if write and not can_edit_village(user, evidence.value.survey.village):
        raise PermissionDenied
    return evidence


def survey_years(village: Village) -> set[int]:
    """The years a survey of this village may be kept for: those of the plans in progress
    that cover it."""
    plans = Plan.objects.filter(is_active=True).filter(
        Q(villages=village) | Q(assignments__village=village)
    )
    return {year for plan in plans.distinct() for year in plan.years}


def is_survey_year(village: Village, year: int) -> bool:
    """The year lies inside the period of a plan in progress that covers the village, by the
    one rule of a survey's year (``bounds.year_in_period``)."""
    if year not in bounds.YEAR:
        return False  # no query for a year no plan can hold
    periods = (
        Plan.objects.filter(is_active=True)
        .filter(Q(villages=village) | Q(assignments__village=village))
        .values_list("period_start", "period_end")
        .distinct()
    )
    return any(bounds.year_in_period(year, first, last) for first, last in periods)


def can_start_survey(user: User, village: Village, year: int) -> bool:
    """Start the survey of a village for a year: the user may change the village, and the year
    lies inside the period of a plan in progress that covers it (no survey for 1900 or 9999)."""
    return can_edit_village(user, village) and is_survey_year(village, year)


def can_edit_survey(user: User, survey: Survey) -> bool:
    """Enter values and evidence: a draft, by whoever may change the village."""
    return survey.status == Survey.Status.DRAFT and can_edit_village(user, survey.village)


def is_lead_liaison(user: User, village: Village) -> bool:
    """A liaison of the agency in charge (lead) of the village under a plan in progress."""
    return (
        is_liaison(user)
        and Assignment.objects.filter(
            assignment_in_force(),
            village=village,
            role=Assignment.Role.LEAD,
            plan__is_active=True,
            agency__memberships__user=user,
        ).exists()
    )


def can_submit_survey(user: User, survey: Survey) -> bool:
    """Hand the survey to the commune: the lead agency of the village, or provincial staff.
    A supporting agency helps fill it in but does not submit it."""
    return is_staff(user) or is_lead_liaison(user, survey.village)


def can_confirm(user: User, survey: Survey) -> bool:
    """Confirm a submitted survey: an officer of the village's commune."""
    return is_commune_officer(user) and can_see_village(user, survey.village)


def can_approve(user: User, survey: Survey) -> bool:
    return is_staff(user)


def can_return(user: User, survey: Survey) -> bool:
    """Send a survey back to draft: either reviewer (commune officer or provincial staff)."""
    return is_staff(user) or can_confirm(user, survey)


def can_reopen(user: User, survey: Survey) -> bool:
    return is_staff(user)


def can_record_recognition(user: User, survey: Survey) -> bool:
    return is_staff(user)


def can_import_surveys(user: User) -> bool:
    """Fill surveys from a workbook: those who enter surveys (liaisons, staff)."""
    return is_staff(user) or is_liaison(user)


# Which action each predicate allows, and from which status (the workflow's own rule).
_ACTIONS = {
    "submit": (can_submit_survey, {Survey.Status.DRAFT}),
    "confirm": (can_confirm, {Survey.Status.SUBMITTED}),
    "approve": (can_approve, {Survey.Status.CONFIRMED}),
    "return": (can_return, {Survey.Status.SUBMITTED, Survey.Status.CONFIRMED}),
    "reopen": (can_reopen, {Survey.Status.APPROVED}),
}


def can_transition(user: User, survey: Survey, action: str) -> bool:
    """May the user take this workflow step at all (whatever the survey's status)?"""
    rule = _ACTIONS.get(action)
    return rule is not None and is_signed_in(user) and rule[0](user, survey)


def survey_actions(user: User, survey: Survey) -> list[str]:
    """The workflow steps this user may take on the survey as it is now (its buttons)."""
    return [
        action
        for action, (allowed, statuses) in _ACTIONS.items()
        if survey.status in statuses and allowed(user, survey)
    ]

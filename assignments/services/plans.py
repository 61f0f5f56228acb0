"""Writes about who helps whom: plans, agencies, memberships, assignments, dissemination
sessions, and the Excel import of assignments (the support teams are in ``teams``)."""

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from assignments.models import (
    Agency,
    Assignment,
    Dissemination,
    Membership,
    Plan,
)
from assignments.services.common import (
    check_not_future,
    check_within_period,
)
from dankhoeo import access, audit, bounds, vietnamese
from dankhoeo.errors import Refused
from dankhoeo.models import User
from villages.models import AdminUnit, Village

# Plans and agencies -------------------------------------------------------------------------


@transaction.atomic
def plan_save(*, plan: Plan, user: User | None) -> Plan:
    """Create or update a plan (its fields already checked by the form)."""
    access.check(user, lambda: access.can_manage_plans(user))
    if plan.period_end < plan.period_start:
        raise Refused(_("The last year of the plan comes before its first year."))
    plan.full_clean(exclude=["villages"])
    plan.save()
    return plan


@transaction.atomic
def agency_save(*, agency: Agency, user: User | None) -> Agency:
    access.check(user, lambda: access.can_manage_plans(user))
    agency.full_clean()
    agency.save()
    return agency


@transaction.atomic
def membership_add(
    *,
    user: User,
    agency: Agency | None = None,
    commune: AdminUnit | None = None,
    actor: User | None,
    request=None,
) -> Membership:
    """Make a user a liaison of an agency or an officer of a commune (defines their scope);
    the security log records who did it."""
    access.check(actor, lambda: access.can_manage_plans(actor))
    if (agency is None) == (commune is None):
        raise Refused(_("Choose either an agency or a commune."))
    if agency is not None and user.role != User.Role.LIAISON:
        raise Refused(_("Only agency liaisons can belong to an agency."))
    if commune is not None and user.role != User.Role.COMMUNE:
        raise Refused(_("Only commune officers can belong to a commune."))
    if commune is not None and commune.level != AdminUnit.Level.COMMUNE:
        raise Refused(_("Choose a commune."))
    if Membership.objects.filter(user=user, agency=agency, commune=commune).exists():
        raise Refused(_("This user already belongs there."))
    membership = Membership.objects.create(user=user, agency=agency, commune=commune)
    audit.record(
        actor=actor,
        kind=audit.Kind.MEMBERSHIP_CHANGE,
        target=user,
        detail=f"+ {agency or commune}",
        request=request,
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User | None, request=None) -> None:
    access.check(actor, lambda: access.can_manage_plans(actor))
    audit.record(
        actor=actor,
        kind=audit.Kind.MEMBERSHIP_CHANGE,
        target=membership.user,
        detail=f"− {membership.agency or membership.commune}",
        request=request,
    )
    membership.delete()


# Assignments ---------------------------------------------------------------------------------


@transaction.atomic
def assignment_set(
    *,
    plan: Plan,
    village: Village,
    agency: Agency,
    role: str,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    user: User | None,
) -> Assignment:
    """Assign an agency to a village under a plan (or change its role and dates)."""
    access.check(user, lambda: access.can_manage_plans(user))
    check_within_period(plan, start_date, end_date)
    if start_date and end_date and end_date < start_date:
        raise Refused(_("The assignment ends before it starts."))
    other_lead = (
        Assignment.objects.filter(plan=plan, village=village, role=Assignment.Role.LEAD)
        .exclude(agency=agency)
        .select_related("agency")
        .first()
    )
    if role == Assignment.Role.LEAD and other_lead is not None:
        raise Refused(
            _("%(village)s already has a lead agency: %(agency)s."),
            params={"village": village, "agency": other_lead.agency},
        )
    plan.villages.add(village)
    assignment, _created = Assignment.objects.update_or_create(
        plan=plan,
        village=village,
        agency=agency,
        defaults={"role": role, "start_date": start_date, "end_date": end_date},
    )
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment, user: User | None) -> None:
    access.check(user, lambda: access.can_manage_plans(user))
    assignment.delete()


# Excel import --------------------------------------------------------------------------------


@transaction.atomic
def assignments_import(*, preview, user: User | None) -> dict[str, int]:
    """Save an import preview (``assignments.imports.preview``): every row or none.

    Raises Refused if the preview has errors, or if a rule refuses a row (then nothing
    is saved)."""
    if preview.errors:
        raise Refused(_("The file has errors: nothing has been saved."))
    plan = preview.plan
    agencies = {vietnamese.fold(a.code): a for a in Agency.objects.all()}
    saved = {"agencies": 0, "assignments": 0, "villages": 0}
    total = len(preview.agencies) + len(preview.assignments)
    for done, row in enumerate(preview.agencies):
        bounds.spend(done, total)
        values = row.values
        agency = row.agency or Agency(code=values["code"])
        agency.name = values["name"]
        agency.short_name = values.get("short_name") or ""
        agency.kind = values.get("kind") or agency.kind or Agency.Kind.AGENCY
        agency_save(agency=agency, user=user)
        agencies[vietnamese.fold(agency.code)] = agency
        saved["agencies"] += 1
    for done, row in enumerate(preview.assignments, start=len(preview.agencies)):
        bounds.spend(done, total)
        if not row.agency_code:
            plan.villages.add(row.village)
            saved["villages"] += 1
            continue
        assignment_set(
            plan=plan,
            village=row.village,
            agency=agencies[row.agency_code],
            role=row.values.get("role") or Assignment.Role.LEAD,
            start_date=row.values.get("start_date"),
            end_date=row.values.get("end_date"),
            user=user,
        )
        saved["assignments"] += 1
    return saved


# Dissemination of the plan inside each agency ---------------------------------------------


@transaction.atomic
def dissemination_record(
    *,
    plan: Plan,
    agency: Agency,
    held_on: datetime.date,
    attendance: int,
    note: str = "",
    user: User | None,
    is_demo: bool = False,
) -> Dissemination:
    access.check(user, lambda: access.can_record_dissemination(user, agency, plan))
    check_not_future(held_on)
    if not Assignment.objects.filter(plan=plan, agency=agency).exists():
        raise Refused(
            _("%(agency)s has no village under plan %(plan)s."),
            params={"agency": agency, "plan": plan.number},
        )
    return Dissemination.objects.create(
        plan=plan,
        agency=agency,
        held_on=held_on,
        attendance=attendance,
        note=note,
        recorded_by=user,
        is_demo=is_demo,
    )

"""Writes about the support team of a village under a plan: set it up, add and remove its
members."""

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from assignments.models import (
    Agency,
    Plan,
    SupportTeam,
    TeamMember,
)
from assignments.services.common import check_within_period
from dankhoeo import access
from dankhoeo.errors import Refused
from dankhoeo.models import User
from villages.models import Village


@transaction.atomic
def team_create(
    *,
    plan: Plan,
    village: Village,
    established_on: datetime.date | None = None,
    decision: str = "",
    note: str = "",
    is_demo: bool = False,
    user: User | None,
) -> SupportTeam:
    access.check(user, lambda: access.can_manage_team(user, village, plan))
    if SupportTeam.objects.filter(plan=plan, village=village).exists():
        raise Refused(
            _("%(village)s already has a support team under plan %(plan)s."),
            params={"village": village, "plan": plan.number},
        )
    check_within_period(plan, established_on)
    plan.villages.add(village)
    try:
        with transaction.atomic():
            return SupportTeam.objects.create(
                plan=plan,
                village=village,
                established_on=established_on,
                decision=decision,
                note=note,
                is_demo=is_demo,
            )
    except IntegrityError as error:  # a concurrent request created it first
        raise Refused(
            _("%(village)s already has a support team under plan %(plan)s."),
            params={"village": village, "plan": plan.number},
        ) from error


@transaction.atomic
def team_member_add(
    *,
    team: SupportTeam,
    full_name: str,
    role: str,
    position: str = "",
    agency: Agency | None = None,
    workplace: str = "",
    phone: str = "",
    user: User | None,
) -> TeamMember:
    """Add a member to a team: whose members the user may add is the policy's
    ``can_manage_team_member`` (a supporting agency adds its own people)."""
    access.check(
        user, lambda: access.can_manage_team_member(user, team, getattr(agency, "pk", None))
    )
    if not full_name.strip():
        raise Refused(_("Enter the member's full name."))
    if role == TeamMember.Role.LEADER and team.members.filter(role=role).exists():
        raise Refused(_("The team already has a leader."))
    return TeamMember.objects.create(
        team=team,
        full_name=full_name.strip(),
        role=role,
        position=position,
        agency=agency,
        workplace=workplace,
        phone=phone,
    )


@transaction.atomic
def team_member_remove(*, member: TeamMember, user: User | None) -> None:
    access.check(user, lambda: access.can_remove_team_member(user, member))
    member.delete()

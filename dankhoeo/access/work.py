"""Who may change the agencies' work: activities, resource records, "Dân vận khéo" models,
common plans with the communes, proposals, support teams and their members, dissemination
sessions, and the plan's roster.

The rule of a record owned by an agency is written once, in ``can_change_record``: provincial
staff, or a liaison of the agency that owns the record, while the agency is assigned to the
village (an assignment in force: begun and not ended) under a plan in progress. A liaison never
corrects, removes, advances or attaches to another agency's record, even in a village both
agencies help.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet

from assignments.models import (
    Activity,
    ActivityPhoto,
    Agency,
    Assignment,
    CommonPlan,
    DvkAttachment,
    DvkModel,
    Plan,
    Proposal,
    Resource,
    SupportTeam,
    TeamMember,
)
from dankhoeo.access.scopes import (
    assignment_in_force,
    can_edit_village,
    can_see_village,
    is_commune_officer,
    is_liaison,
    is_signed_in,
    is_staff,
    villages_visible_to,
    visible_or_404,
)
from dankhoeo.models import User
from villages.models import Village


def agencies_of(user: User, village: Village, plan: Plan) -> QuerySet[Agency]:
    """The agencies a user may record work for in this village: the agencies assigned to it
    under the plan, all of them for provincial staff, their own for a liaison, none else."""
    agencies = Agency.objects.filter(assignments__plan=plan, assignments__village=village)
    if is_staff(user):
        pass
    elif is_liaison(user):
        agencies = Agency.objects.filter(
            assignment_in_force("assignments__"),
            assignments__plan=plan,
            assignments__village=village,
        ).filter(memberships__user=user)
    else:
        agencies = agencies.none()
    return agencies.order_by("assignments__role", "name").distinct()


def changeable(user: User, records: QuerySet) -> QuerySet:
    """The agency-owned records of ``records`` the user may change, in one query: the rule of
    ``can_change_record`` (plan in progress; staff, or a liaison of the owning agency while
    that agency's assignment to the village is in force) written as a filter, so that a list
    offers "Correct" only where the correction page will accept it."""
    records = records.filter(plan__is_active=True)
    if is_staff(user):
        return records
    if not is_liaison(user):
        return records.none()
    in_force = Assignment.objects.filter(
        assignment_in_force(),
        plan=OuterRef("plan"),
        village=OuterRef("village"),
        agency=OuterRef("agency"),
        agency__memberships__user=user,
    )
    return records.filter(Exists(in_force))


def can_record_for(user: User, village: Village, plan: Plan) -> bool:
    """Record new work (activity, resources, proposal, model) in this village under the plan:
    the plan is in progress and the user may record for at least one agency assigned there."""
    if not plan.is_active or not can_edit_village(user, village):
        return False
    return agencies_of(user, village, plan).exists()


def agencies_recording_for(
    user: User, village: Village, plan: Plan, *, village_editable: bool | None = None
) -> set[int]:
    """The ids of the agencies the user may record new work for in this village under the
    plan: the rule of ``can_record_for`` (which is whether there is one), for a page that
    shows each agency's records with or without "Correct". ``village_editable``, when the
    caller knows already whether the user may change the village, spares asking again."""
    if village_editable is None:
        village_editable = can_edit_village(user, village)
    if not plan.is_active or not village_editable:
        return set()
    return set(agencies_of(user, village, plan).values_list("pk", flat=True))


def can_record_as(user: User, agency: Agency, village: Village, plan: Plan) -> bool:
    """Record (or re-attribute) work for this agency in this village: the plan is in progress
    and the agency is one the user may record for there (``agencies_of``)."""
    return plan.is_active and agencies_of(user, village, plan).filter(pk=agency.pk).exists()


def _is_lead_liaison(user: User, village_id: int, plan: Plan) -> bool:
    return (
        is_liaison(user)
        and Assignment.objects.filter(
            assignment_in_force(),
            plan=plan,
            village_id=village_id,
            role=Assignment.Role.LEAD,
            agency__memberships__user=user,
        ).exists()
    )


def can_change_record(user: User, record) -> bool:
    """Correct, remove, advance or attach to a record owned by an agency (an activity, a
    resource record, a model, a proposal): provincial staff, or a liaison of the owning agency
    while it is assigned to the village under the record's plan, in progress. The one rule of
    every agency-owned record."""
    plan, village = record.plan, record.village
    if not plan.is_active or not is_signed_in(user):
        return False
    return agencies_of(user, village, plan).filter(pk=record.agency_id).exists()


def require_change(user: User, record) -> None:
    """403 unless ``can_change_record`` (the caller has already checked visibility)."""
    if not can_change_record(user, record):
        raise PermissionDenied


def _record_for(user: User, queryset: QuerySet, pk, write: bool):
    record = visible_or_404(user, queryset.select_related("plan", "village", "agency"), pk)
    if write:
        require_change(user, record)
    return record


def activity_for(user: User, pk, *, write: bool = False) -> Activity:
    """The activity: 404 outside the user's villages (hidden and missing look the same); with
    ``write``, 403 unless ``can_change_record``."""
    return _record_for(user, Activity.objects.all(), pk, write)


def resource_for(user: User, pk, *, write: bool = False) -> Resource:
    return _record_for(user, Resource.objects.all(), pk, write)


def model_for(user: User, pk, *, write: bool = False) -> DvkModel:
    return _record_for(user, DvkModel.objects.all(), pk, write)


def common_plan_for(user: User, pk, *, write: bool = False) -> CommonPlan:
    return _record_for(user, CommonPlan.objects.all(), pk, write)


def proposal_for(user: User, pk, *, write: bool = False) -> Proposal:
    return _record_for(user, Proposal.objects.for_list(), pk, write)


def photo_for(user: User, pk) -> ActivityPhoto:
    return visible_or_404(user, ActivityPhoto.objects.all(), pk, village="activity__village")


def attachment_for(user: User, pk) -> DvkAttachment:
    return visible_or_404(user, DvkAttachment.objects.all(), pk, village="model__village")


# "Dân vận khéo" models -----------------------------------------------------------------------


def can_advance_model(user: User, model: DvkModel, to: str = "") -> bool:
    """Launch or monitor a model: its agency (``can_change_record``). Commend it: provincial
    staff only, since commendation is the province's decision."""
    if to == DvkModel.Stage.COMMENDED:
        return is_staff(user)
    return can_change_record(user, model)


def can_attach_to_model(user: User, model: DvkModel) -> bool:
    return can_change_record(user, model)


def can_evaluate_model(user: User, model: DvkModel) -> bool:
    """The five standards are assessed by the province, not by the agency itself."""
    return is_staff(user)


# Proposals ------------------------------------------------------------------------------------


def can_answer_proposal(user: User, proposal: Proposal) -> bool:
    """Provincial staff answer every proposal; the officers of the village's commune answer
    those addressed to the commune until they forward them to the province (the agencies raise
    proposals; they do not answer their own). A proposal addressed to the province or to an
    agency, or forwarded, is the province's to handle: a commune officer reads it only."""
    if is_staff(user):
        return True
    return (
        is_commune_officer(user)
        and proposal.addressed_to == Proposal.Addressee.COMMUNE
        and proposal.status != Proposal.Status.FORWARDED
        and can_see_village(user, proposal.village)
    )


def proposals_to_answer(user: User) -> QuerySet[Proposal]:
    """The open proposals this user answers: ``can_answer_proposal`` as a query."""
    proposals = Proposal.objects.filter(status__in=Proposal.OPEN_STATUSES)
    if is_staff(user):
        return proposals
    if not is_commune_officer(user):
        return proposals.none()
    return proposals.filter(
        village__in=villages_visible_to(user), addressed_to=Proposal.Addressee.COMMUNE
    ).exclude(status=Proposal.Status.FORWARDED)


# Support teams --------------------------------------------------------------------------------


def can_manage_team(user: User, village: Village, plan: Plan) -> bool:
    """Set up the village's support team and add members to it: every agency assigned to the
    village, lead or supporting, while the plan is in progress.

    Why supporting agencies too: the plan sets up *one* support team per village, and every
    agency assigned to the village puts its own people in it."""
    return can_record_for(user, village, plan)


def can_manage_team_member(user: User, team: SupportTeam, agency_id: int | None) -> bool:
    """Add or remove a member from ``agency_id`` (None: a person from no assigned agency, such
    as a village or commune official) in a village's team.

    Provincial staff and liaisons of the village's lead agency manage the whole team: the lead
    agency is in charge of it. A supporting agency's liaison manages only the members of its
    own agency: it puts its people in the team and takes them out, and never removes people
    another agency or the lead put there."""
    plan = team.plan
    if not can_manage_team(user, team.village, plan):
        return False
    if is_staff(user) or _is_lead_liaison(user, team.village_id, plan):
        return True
    return (
        agency_id is not None
        and agencies_of(user, team.village, plan).filter(pk=agency_id).exists()
    )


def can_remove_team_member(user: User, member: TeamMember) -> bool:
    return can_manage_team_member(user, member.team, member.agency_id)


def team_member_for(user: User, pk, *, write: bool = False) -> TeamMember:
    """The member of a team: 404 outside the user's villages; with ``write``, 403 unless
    ``can_remove_team_member``."""
    member = visible_or_404(
        user,
        TeamMember.objects.select_related("team__plan", "team__village", "agency"),
        pk,
        village="team__village",
    )
    if write and not can_remove_team_member(user, member):
        raise PermissionDenied
    return member


# An agency's own pages --------------------------------------------------------------------------


def is_member_of(user: User, agency: Agency) -> bool:
    return is_liaison(user) and agency.memberships.filter(user=user).exists()


def can_record_dissemination(user: User, agency: Agency, plan: Plan) -> bool:
    """An agency's sessions disseminating the plan to its own staff: its liaisons while the
    plan is in progress, and provincial staff (who may also record past plans)."""
    if is_staff(user):
        return True
    return plan.is_active and is_member_of(user, agency)


def can_export_roster(user: User, plan: Plan) -> bool:
    """Every signed-in role may download the roster of the teams in the villages it sees (the
    exporter keeps to that scope); the download is recorded in the security log because the
    roster holds names and phone numbers."""
    return is_signed_in(user)


def can_manage_plans(user: User) -> bool:
    """Plans, agencies, assignments and memberships are set up by provincial staff."""
    return is_staff(user)

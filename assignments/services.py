"""Writes of the assignments app. Each service runs in one transaction and raises
``AssignmentsError`` (a ``ValidationError`` with a translated message) when a rule refuses it;
the state is then unchanged.

Each takes the ``user`` who acts and asks the access policy (``dankhoeo.access``) first,
raising ``PermissionDenied`` when the user may not make the change, so that no path (view,
import, command, API) can skip it; ``user=None`` is the system itself (demo data, a command run
by the operator)."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from assignments.models import (
    Activity,
    ActivityPhoto,
    Agency,
    Assignment,
    Dissemination,
    DvkAttachment,
    DvkModel,
    Membership,
    OutdatedCustom,
    Plan,
    Proposal,
    Resource,
    SupportTeam,
    TeamMember,
)
from dankhoeo import access, audit, uploads, vietnamese
from dankhoeo.models import User
from villages.models import AdminUnit, Village

PHOTO_MAX_BYTES = 8 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 15 * 1024 * 1024


class AssignmentsError(ValidationError):
    """A rule of the plan refused the change; the message says why."""


# Plans and agencies -------------------------------------------------------------------------


@transaction.atomic
def plan_save(*, plan: Plan, user: User | None) -> Plan:
    """Create or update a plan (its fields already checked by the form)."""
    access.check(user, lambda: access.can_manage_plans(user))
    if plan.period_end < plan.period_start:
        raise AssignmentsError(_("The last year of the plan comes before its first year."))
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
        raise AssignmentsError(_("Choose either an agency or a commune."))
    if agency is not None and user.role != User.Role.LIAISON:
        raise AssignmentsError(_("Only agency liaisons can belong to an agency."))
    if commune is not None and user.role != User.Role.COMMUNE:
        raise AssignmentsError(_("Only commune officers can belong to a commune."))
    if commune is not None and commune.level != AdminUnit.Level.COMMUNE:
        raise AssignmentsError(_("Choose a commune."))
    if Membership.objects.filter(user=user, agency=agency, commune=commune).exists():
        raise AssignmentsError(_("This user already belongs there."))
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


def _check_within_period(plan: Plan, *dates: datetime.date | None) -> None:
    for day in dates:
        if day is not None and not plan.period_start <= day.year <= plan.period_end:
            raise AssignmentsError(
                _("%(date)s is outside the period of plan %(plan)s (%(start)s-%(end)s)."),
                params={
                    "date": day.strftime("%d/%m/%Y"),
                    "plan": plan.number,
                    "start": plan.period_start,
                    "end": plan.period_end,
                },
            )


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
    _check_within_period(plan, start_date, end_date)
    if start_date and end_date and end_date < start_date:
        raise AssignmentsError(_("The assignment ends before it starts."))
    other_lead = (
        Assignment.objects.filter(plan=plan, village=village, role=Assignment.Role.LEAD)
        .exclude(agency=agency)
        .select_related("agency")
        .first()
    )
    if role == Assignment.Role.LEAD and other_lead is not None:
        raise AssignmentsError(
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


# Support teams -------------------------------------------------------------------------------


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
        raise AssignmentsError(
            _("%(village)s already has a support team under plan %(plan)s."),
            params={"village": village, "plan": plan.number},
        )
    _check_within_period(plan, established_on)
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
        raise AssignmentsError(
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
        raise AssignmentsError(_("Enter the member's full name."))
    if role == TeamMember.Role.LEADER and team.members.filter(role=role).exists():
        raise AssignmentsError(_("The team already has a leader."))
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


# The agencies' work --------------------------------------------------------------------------


def _check_assigned(plan: Plan, agency: Agency, village: Village) -> None:
    if not Assignment.objects.filter(plan=plan, agency=agency, village=village).exists():
        raise AssignmentsError(
            _("%(agency)s is not assigned to %(village)s under plan %(plan)s."),
            params={"agency": agency, "village": village, "plan": plan.number},
        )


def _check_not_future(day: datetime.date) -> None:
    if day > datetime.date.today():
        raise AssignmentsError(_("The date %(date)s is in the future."), params={"date": day})


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
    _check_not_future(held_on)
    if not Assignment.objects.filter(plan=plan, agency=agency).exists():
        raise AssignmentsError(
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


def _checked_customs(kind: str, customs: Iterable[OutdatedCustom]) -> list[OutdatedCustom]:
    customs = list(customs)
    if customs and kind != Activity.Kind.CUSTOMS:
        raise AssignmentsError(
            _("Outdated customs are linked only to a campaign against outdated customs.")
        )
    return customs


@uploads.atomic_with_files()
def activity_record(
    *,
    plan: Plan,
    agency: Agency,
    village: Village,
    held_on: datetime.date,
    kind: str,
    description: str,
    people_reached: int = 0,
    households_reached: int = 0,
    customs: Iterable[OutdatedCustom] = (),
    photos: Iterable[UploadedFile] = (),
    user: User | None,
    is_demo: bool = False,
) -> Activity:
    access.check(user, lambda: access.can_record_as(user, agency, village, plan))
    _check_assigned(plan, agency, village)
    _check_not_future(held_on)
    customs = _checked_customs(kind, customs)
    activity = Activity.objects.create(
        plan=plan,
        agency=agency,
        village=village,
        held_on=held_on,
        kind=kind,
        description=description,
        people_reached=people_reached,
        households_reached=households_reached,
        recorded_by=user,
        is_demo=is_demo,
    )
    activity.customs.set(customs)
    for photo in photos:
        activity_photo_add(activity=activity, file=photo)
    return activity


def _check_may_correct(user: User | None, record, agency: Agency) -> None:
    """The user may change this agency's record, and give it to ``agency``."""
    access.check(
        user,
        lambda: (
            access.can_change_record(user, record)
            and access.can_record_as(user, agency, record.village, record.plan)
        ),
    )


def _lock_version(record, version: int):
    """The record as saved now, locked until the end of the transaction; refused if it was
    saved since ``version`` was read (a correction never overwrites another unseen)."""
    current = type(record).objects.select_for_update().get(pk=record.pk)
    if current.version != version:
        raise AssignmentsError(
            _("Someone saved this record after you opened it: reload it and change it again."),
            code="conflict",
        )
    return current


@uploads.atomic_with_files()
def activity_update(
    *,
    activity: Activity,
    version: int,
    agency: Agency,
    held_on: datetime.date,
    kind: str,
    description: str,
    people_reached: int = 0,
    households_reached: int = 0,
    customs: Iterable[OutdatedCustom] = (),
    photos: Iterable[UploadedFile] = (),
    user: User | None,
) -> Activity:
    """Correct a recorded activity; refused when someone saved it since ``version`` was read
    (the history keeps every version)."""
    _check_may_correct(user, activity, agency)
    activity = _lock_version(activity, version)
    _check_assigned(activity.plan, agency, activity.village)
    _check_not_future(held_on)
    customs = _checked_customs(kind, customs)
    activity.agency, activity.held_on, activity.kind = agency, held_on, kind
    activity.description = description
    activity.people_reached, activity.households_reached = people_reached, households_reached
    activity.version += 1
    activity.save()
    activity.customs.set(customs)
    for photo in photos:
        activity_photo_add(activity=activity, file=photo)
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, user: User | None) -> None:
    """Remove a recorded activity and its photos (the history keeps the record)."""
    access.check(user, lambda: access.can_change_record(user, activity))
    photos = list(activity.photos.all())
    activity.delete()
    for photo in photos:
        transaction.on_commit(lambda file=photo.file: file.delete(save=False))


@uploads.atomic_with_files()
def activity_photo_add(*, activity: Activity, file: UploadedFile) -> ActivityPhoto:
    try:
        checked = uploads.check_upload(file, kinds=("jpeg", "png"), max_bytes=PHOTO_MAX_BYTES)
    except uploads.UploadRejected as error:
        raise AssignmentsError(error.messages[0]) from error
    photo = ActivityPhoto(activity=activity, filename=checked.filename, size=checked.size)
    uploads.store(photo.file, checked.filename, file)
    photo.save()
    return photo


@transaction.atomic
def resource_record(
    *,
    plan: Plan,
    agency: Agency,
    village: Village,
    source,
    kind: str,
    amount: int,
    received_on: datetime.date,
    contributor: str = "",
    households_benefiting: int = 0,
    description: str = "",
    user: User | None,
    is_demo: bool = False,
    **extra,
) -> Resource:
    access.check(user, lambda: access.can_record_as(user, agency, village, plan))
    _check_assigned(plan, agency, village)
    _check_not_future(received_on)
    _check_amount(amount)
    return Resource.objects.create(
        plan=plan,
        agency=agency,
        village=village,
        source=source,
        kind=kind,
        amount=amount,
        received_on=received_on,
        contributor=contributor,
        households_benefiting=households_benefiting,
        description=description,
        recorded_by=user,
        is_demo=is_demo,
        **extra,
    )


def _check_amount(amount) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise AssignmentsError(_("The amount must be a whole number greater than zero."))


@transaction.atomic
def resource_update(
    *,
    resource: Resource,
    version: int,
    agency: Agency,
    source,
    kind: str,
    amount: int,
    received_on: datetime.date,
    contributor: str = "",
    households_benefiting: int = 0,
    description: str = "",
    criterion=None,
    user: User | None,
) -> Resource:
    """Correct a resource record; refused when someone saved it since ``version`` was read
    (the history keeps every version)."""
    _check_may_correct(user, resource, agency)
    resource = _lock_version(resource, version)
    _check_assigned(resource.plan, agency, resource.village)
    _check_not_future(received_on)
    _check_amount(amount)
    resource.agency, resource.source, resource.kind = agency, source, kind
    resource.amount, resource.received_on, resource.criterion = amount, received_on, criterion
    resource.contributor, resource.description = contributor, description
    resource.households_benefiting = households_benefiting
    resource.version += 1
    resource.save()
    return resource


@transaction.atomic
def resource_delete(*, resource: Resource, user: User | None) -> None:
    """Remove a resource record (the history keeps it)."""
    access.check(user, lambda: access.can_change_record(user, resource))
    resource.delete()


# Proposals -----------------------------------------------------------------------------------

S = Proposal.Status
PROPOSAL_TRANSITIONS = {
    "forward": ({S.OPEN}, S.FORWARDED),
    "start": ({S.OPEN, S.FORWARDED}, S.IN_PROGRESS),
    "resolve": ({S.FORWARDED, S.IN_PROGRESS}, S.RESOLVED),
    "decline": ({S.OPEN, S.FORWARDED, S.IN_PROGRESS}, S.DECLINED),
}


@transaction.atomic
def proposal_raise(
    *,
    plan: Plan,
    agency: Agency,
    village: Village,
    title: str,
    content: str,
    addressed_to: str,
    addressed_agency: Agency | None = None,
    raised_on: datetime.date | None = None,
    due_on: datetime.date | None = None,
    user: User | None,
    is_demo: bool = False,
) -> Proposal:
    access.check(user, lambda: access.can_record_as(user, agency, village, plan))
    _check_assigned(plan, agency, village)
    raised_on = raised_on or datetime.date.today()
    _check_not_future(raised_on)
    if addressed_to == Proposal.Addressee.AGENCY and addressed_agency is None:
        raise AssignmentsError(_("Choose the agency the proposal is addressed to."))
    if addressed_to != Proposal.Addressee.AGENCY:
        addressed_agency = None
    if due_on is not None and due_on < raised_on:
        raise AssignmentsError(_("The answer cannot be due before the proposal is raised."))
    return Proposal.objects.create(
        plan=plan,
        agency=agency,
        village=village,
        title=title,
        content=content,
        addressed_to=addressed_to,
        addressed_agency=addressed_agency,
        raised_on=raised_on,
        due_on=due_on,
        raised_by=user,
        recorded_by=user,
        is_demo=is_demo,
    )


@transaction.atomic
def proposal_transition(
    *,
    proposal: Proposal,
    action: str,
    answer: str = "",
    due_on: datetime.date | None = None,
    on: datetime.date | None = None,
    user: User | None,
) -> Proposal:
    """Move a proposal along open → forwarded → in progress → resolved / declined.

    Resolving or declining needs an answer; the day it closes is recorded so that the proposal
    still appears in the lists of the years it was open."""
    access.check(user, lambda: access.can_answer_proposal(user, proposal))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if action not in PROPOSAL_TRANSITIONS:
        raise AssignmentsError(_("Unknown action."))
    sources, target = PROPOSAL_TRANSITIONS[action]
    if proposal.status not in sources:
        raise AssignmentsError(
            _("A proposal that is “%(status)s” cannot become “%(target)s”."),
            params={"status": proposal.get_status_display(), "target": target.label},
        )
    answer = answer.strip()
    if target in (S.RESOLVED, S.DECLINED) and not answer:
        raise AssignmentsError(_("Write the answer before closing the proposal."))
    today = on or datetime.date.today()
    if due_on is not None and due_on < proposal.raised_on:
        raise AssignmentsError(_("The answer cannot be due before the proposal is raised."))
    proposal.status = target
    if answer:
        proposal.answer = answer
    if due_on is not None:
        proposal.due_on = due_on
    if target in (S.RESOLVED, S.DECLINED):
        proposal.closed_on = max(today, proposal.raised_on)
    proposal.save()
    return proposal


# "Dân vận khéo" models -----------------------------------------------------------------------

NEXT_STAGE = {
    DvkModel.Stage.REGISTERED: DvkModel.Stage.LAUNCHED,
    DvkModel.Stage.LAUNCHED: DvkModel.Stage.MONITORED,
    DvkModel.Stage.MONITORED: DvkModel.Stage.COMMENDED,
}


@transaction.atomic
def dvk_register(
    *,
    plan: Plan,
    agency: Agency,
    village: Village,
    facts: dict,
    user: User | None,
    is_demo: bool = False,
) -> DvkModel:
    access.check(user, lambda: access.can_record_as(user, agency, village, plan))
    _check_assigned(plan, agency, village)
    model = DvkModel(
        plan=plan, agency=agency, village=village, recorded_by=user, is_demo=is_demo, **facts
    )
    model.full_clean()
    model.save()
    return model


@transaction.atomic
def dvk_update(
    *, model: DvkModel, version: int, agency: Agency, facts: dict, user: User | None
) -> DvkModel:
    """Correct the registration of a model (its name, field, kind and ten facts); refused
    when someone saved it since ``version`` was read (the history keeps every version)."""
    _check_may_correct(user, model, agency)
    model = _lock_version(model, version)
    _check_assigned(model.plan, agency, model.village)
    model.agency = agency
    for name, value in facts.items():
        setattr(model, name, value)
    model.full_clean()
    model.version += 1
    model.save()
    return model


@transaction.atomic
def dvk_advance(*, model: DvkModel, to: str, user: User | None) -> DvkModel:
    """Move a model to the next stage of its lifecycle; stages are never skipped. Its agency
    launches and monitors it; provincial staff commend it (``access.can_advance_model``)."""
    access.check(user, lambda: access.can_advance_model(user, model, to))
    model = DvkModel.objects.select_for_update().get(pk=model.pk)
    expected = NEXT_STAGE.get(model.stage)
    if expected is None or to != expected:
        raise AssignmentsError(
            _("A model that is “%(stage)s” cannot become “%(target)s”."),
            params={
                "stage": model.get_stage_display(),
                "target": DvkModel.Stage(to).label if to in DvkModel.Stage.values else to,
            },
        )
    if to == DvkModel.Stage.COMMENDED and model.evaluated_on is None:
        raise AssignmentsError(_("Evaluate the model against the five standards first."))
    model.stage = to
    model.save()
    return model


@transaction.atomic
def dvk_evaluate(
    *,
    model: DvkModel,
    standards: list[bool],
    evaluation: str,
    on: datetime.date,
    user: User | None,
) -> DvkModel:
    access.check(user, lambda: access.can_evaluate_model(user, model))
    if len(standards) != 5:
        raise AssignmentsError(_("Assess each of the five standards."))
    if model.stage == DvkModel.Stage.REGISTERED:
        raise AssignmentsError(_("A model is evaluated once it has been launched."))
    _check_not_future(on)
    for number, met in enumerate(standards, start=1):
        setattr(model, f"standard_{number}", met)
    model.evaluation = evaluation
    model.evaluated_on = on
    model.save()
    return model


@uploads.atomic_with_files()
def dvk_attach(*, model: DvkModel, file: UploadedFile, user: User | None) -> DvkAttachment:
    access.check(user, lambda: access.can_attach_to_model(user, model))
    try:
        checked = uploads.check_upload(
            file, kinds=("pdf", "jpeg", "png", "docx", "xlsx"), max_bytes=ATTACHMENT_MAX_BYTES
        )
    except uploads.UploadRejected as error:
        raise AssignmentsError(error.messages[0]) from error
    attachment = DvkAttachment(
        model=model, filename=checked.filename, size=checked.size, uploaded_by=user
    )
    uploads.store(attachment.file, checked.filename, file)
    attachment.save()
    return attachment


# Excel import --------------------------------------------------------------------------------


@transaction.atomic
def assignments_import(*, preview, user: User | None) -> dict[str, int]:
    """Save an import preview (``assignments.imports.preview``): every row or none.

    Raises AssignmentsError if the preview has errors, or if a rule refuses a row (then nothing
    is saved)."""
    if preview.errors:
        raise AssignmentsError(_("The file has errors: nothing has been saved."))
    plan = preview.plan
    agencies = {vietnamese.fold(a.code): a for a in Agency.objects.all()}
    saved = {"agencies": 0, "assignments": 0, "villages": 0}
    for row in preview.agencies:
        values = row.values
        agency = row.agency or Agency(code=values["code"])
        agency.name = values["name"]
        agency.short_name = values.get("short_name") or ""
        agency.kind = values.get("kind") or agency.kind or Agency.Kind.AGENCY
        agency_save(agency=agency, user=user)
        agencies[vietnamese.fold(agency.code)] = agency
        saved["agencies"] += 1
    for row in preview.assignments:
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

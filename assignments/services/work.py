"""Writes about what the agencies did: activities (with photos), resources mobilised and
proposals."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from assignments.models import (
    Activity,
    ActivityPhoto,
    Agency,
    OutdatedCustom,
    Plan,
    Proposal,
    Resource,
)
from assignments.services.common import new_record, record_to_correct
from dankhoeo import access, bounds, uploads
from dankhoeo.errors import Refused
from dankhoeo.models import User
from villages.models import Village

# The agencies' work --------------------------------------------------------------------------


def _checked_customs(kind: str, customs: Iterable[OutdatedCustom]) -> list[OutdatedCustom]:
    customs = list(customs)
    if customs and kind != Activity.Kind.CUSTOMS:
        raise Refused(_("Outdated customs are linked only to a campaign against outdated customs."))
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
    activity = new_record(
        Activity,
        user=user,
        plan=plan,
        agency=agency,
        village=village,
        day=held_on,
        is_demo=is_demo,
        held_on=held_on,
        kind=kind,
        description=description,
        people_reached=people_reached,
        households_reached=households_reached,
    )
    customs = _checked_customs(kind, customs)
    activity.save()
    activity.customs.set(customs)
    for photo in photos:
        activity_photo_add(activity=activity, file=photo)
    return activity


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
    activity = record_to_correct(activity, user=user, version=version, agency=agency, day=held_on)
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
        checked = uploads.check_upload(file, kinds=("jpeg", "png"), max_bytes=bounds.PHOTO_BYTES)
    except uploads.UploadRejected as error:
        raise Refused(error.messages[0]) from error
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
    resource = new_record(
        Resource,
        user=user,
        plan=plan,
        agency=agency,
        village=village,
        day=received_on,
        is_demo=is_demo,
        source=source,
        kind=kind,
        amount=amount,
        received_on=received_on,
        contributor=contributor,
        households_benefiting=households_benefiting,
        description=description,
        **extra,
    )
    _check_amount(amount)
    resource.save()
    return resource


def _check_amount(amount) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise Refused(_("The amount must be a whole number greater than zero."))


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
    resource = record_to_correct(
        resource, user=user, version=version, agency=agency, day=received_on
    )
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
    raised_on = raised_on or datetime.date.today()
    proposal = new_record(
        Proposal,
        user=user,
        plan=plan,
        agency=agency,
        village=village,
        day=raised_on,
        is_demo=is_demo,
        title=title,
        content=content,
        addressed_to=addressed_to,
        addressed_agency=addressed_agency,
        raised_on=raised_on,
        due_on=due_on,
        raised_by=user,
    )
    if addressed_to == Proposal.Addressee.AGENCY and addressed_agency is None:
        raise Refused(_("Choose the agency the proposal is addressed to."))
    if addressed_to != Proposal.Addressee.AGENCY:
        proposal.addressed_agency = None
    if due_on is not None and due_on < raised_on:
        raise Refused(_("The answer cannot be due before the proposal is raised."))
    proposal.save()
    return proposal


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
        raise Refused(_("Unknown action."))
    sources, target = PROPOSAL_TRANSITIONS[action]
    if proposal.status not in sources:
        raise Refused(
            _("A proposal that is “%(status)s” cannot become “%(target)s”."),
            code="transition",
            params={"status": proposal.get_status_display(), "target": target.label},
        )
    answer = answer.strip()
    try:
        bounds.check_length(answer, bounds.LONG_TEXT)
    except ValidationError as error:
        raise Refused({"answer": error.messages}) from error
    if target in (S.RESOLVED, S.DECLINED) and not answer:
        raise Refused({"answer": _("Write the answer before closing the proposal.")})
    today = on or datetime.date.today()
    if due_on is not None and due_on < proposal.raised_on:
        raise Refused(_("The answer cannot be due before the proposal is raised."))
    proposal.status = target
    if answer:
        proposal.answer = answer
    if due_on is not None:
        proposal.due_on = due_on
    if target in (S.RESOLVED, S.DECLINED):
        proposal.closed_on = max(today, proposal.raised_on)
    proposal.save()
    return proposal

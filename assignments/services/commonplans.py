"""Writes of the common plans agreed between an agency and the commune for a village. The
signed document, if any, goes through the shared upload checks (``dankhoeo.uploads``)."""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from assignments.models import Agency, CommonPlan, Plan
from assignments.services.common import new_record, record_to_correct
from dankhoeo import access, bounds, uploads
from dankhoeo.errors import Refused
from dankhoeo.models import User
from villages.models import Village

COMMON_PLAN_FILE_KINDS = ("pdf", "docx", "jpeg", "png")


def _attach(common_plan: CommonPlan, file: UploadedFile) -> None:
    try:
        checked = uploads.check_upload(
            file, kinds=COMMON_PLAN_FILE_KINDS, max_bytes=bounds.COMMON_PLAN_BYTES
        )
    except uploads.UploadRejected as error:
        raise Refused(error.messages[0]) from error
    old = common_plan.file.name
    common_plan.filename, common_plan.size = checked.filename, checked.size
    uploads.store(common_plan.file, checked.filename, file)
    if old:  # the replaced document goes once the change is kept (the history names it)
        storage = common_plan.file.storage
        transaction.on_commit(lambda: storage.delete(old))


@uploads.atomic_with_files()
def common_plan_record(
    *,
    plan: Plan,
    agency: Agency,
    village: Village,
    agreed_on: datetime.date,
    content: str,
    file: UploadedFile | None = None,
    user: User | None,
    is_demo: bool = False,
) -> CommonPlan:
    """Record the common plan an agency agreed with the commune for a village."""
    common_plan = new_record(
        CommonPlan,
        user=user,
        plan=plan,
        agency=agency,
        village=village,
        day=agreed_on,
        is_demo=is_demo,
        agreed_on=agreed_on,
        content=content,
    )
    if file:
        _attach(common_plan, file)
    common_plan.save()
    return common_plan


@uploads.atomic_with_files()
def common_plan_update(
    *,
    common_plan: CommonPlan,
    version: int,
    agency: Agency,
    agreed_on: datetime.date,
    content: str,
    file: UploadedFile | None = None,
    user: User | None,
) -> CommonPlan:
    """Correct a common plan (a new file replaces the old one); refused when someone saved it
    since ``version`` was read (the history keeps every version)."""
    common_plan = record_to_correct(
        common_plan, user=user, version=version, agency=agency, day=agreed_on
    )
    common_plan.agency, common_plan.agreed_on, common_plan.content = agency, agreed_on, content
    if file:
        _attach(common_plan, file)
    common_plan.version += 1
    common_plan.save()
    return common_plan


@transaction.atomic
def common_plan_delete(*, common_plan: CommonPlan, user: User | None) -> None:
    """Remove a common plan and its file (the history keeps the record)."""
    access.check(user, lambda: access.can_change_record(user, common_plan))
    file = common_plan.file
    common_plan.delete()
    if file:
        transaction.on_commit(lambda: file.delete(save=False))

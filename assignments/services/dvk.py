"""Writes about "Dân vận khéo" models: registration, corrections, lifecycle, evaluation
and attachments."""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from assignments.models import (
    Agency,
    DvkAttachment,
    DvkModel,
    Plan,
)
from assignments.services.common import check_not_future, new_record, record_to_correct
from dankhoeo import access, bounds, uploads
from dankhoeo.errors import Refused
from dankhoeo.models import User
from villages.models import Village

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
    model = new_record(
        DvkModel, user=user, plan=plan, agency=agency, village=village, is_demo=is_demo, **facts
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
    model = record_to_correct(model, user=user, version=version, agency=agency)
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
        raise Refused(
            _("A model that is “%(stage)s” cannot become “%(target)s”."),
            params={
                "stage": model.get_stage_display(),
                "target": DvkModel.Stage(to).label if to in DvkModel.Stage.values else to,
            },
        )
    if to == DvkModel.Stage.COMMENDED and model.evaluated_on is None:
        raise Refused(_("Evaluate the model against the five standards first."))
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
        raise Refused(_("Assess each of the five standards."))
    if model.stage == DvkModel.Stage.REGISTERED:
        raise Refused(_("A model is evaluated once it has been launched."))
    check_not_future(on)
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
            file, kinds=("pdf", "jpeg", "png", "docx", "xlsx"), max_bytes=bounds.ATTACHMENT_BYTES
        )
    except uploads.UploadRejected as error:
        raise Refused(error.messages[0]) from error
    attachment = DvkAttachment(
        model=model, filename=checked.filename, size=checked.size, uploaded_by=user
    )
    uploads.store(attachment.file, checked.filename, file)
    attachment.save()
    return attachment

"""The "Dân vận khéo" models: register, correct, list, follow through their stages, evaluate,
attach files."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments import services
from assignments.forms import (
    AttachmentForm,
    DvkEvaluationForm,
    DvkModelEditForm,
    DvkModelForm,
)
from assignments.models import DvkModel
from assignments.views.common import (
    call_service,
    correct_page,
    record_page,
)
from dankhoeo import access, uploads
from dankhoeo.errors import show_form_errors


def model_create(request, pk: int):
    def register(*, plan, village, user, agency, **facts):
        return services.dvk_register(
            plan=plan, agency=agency, village=village, user=user, facts=facts
        )

    return record_page(request, pk, DvkModelForm, register, _("Register a “Dân vận khéo” model"))


def model_edit(request, pk: int):
    """Correct a model's registration (its lifecycle and evaluation have their own forms)."""

    def update(model, *, user, version, agency, **facts):
        return services.dvk_update(
            model=model, version=version, agency=agency, facts=facts, user=user
        )

    return correct_page(
        request,
        access.model_for(request.user, pk, write=True),
        DvkModelEditForm,
        update,
        _("Correct a model's registration"),
        done_url=reverse("assignments:model-detail", args=[pk]),
    )


def model_list(request):
    models = access.scoped(request.user, DvkModel.objects.select_related("agency", "village"))
    stage = request.GET.get("stage", "")
    if stage in DvkModel.Stage.values:
        models = models.filter(stage=stage)
    context = {"models": models, "stage": stage, "stages": DvkModel.Stage.choices}
    return render(request, "assignments/model_list.html", context)


def model_detail(request, pk: int):
    user = request.user
    model = access.model_for(user, pk)
    next_stage = services.NEXT_STAGE.get(model.stage)
    can_change = access.can_change_record(user, model)
    context = {
        "model": model,
        "attachments": model.attachments.all(),
        "can_attach": can_change,
        "can_correct": can_change,
        "can_advance": bool(next_stage) and access.can_advance_model(user, model, next_stage),
        "can_evaluate": access.can_evaluate_model(user, model),
        "next_stage": next_stage,
        "next_stage_label": DvkModel.Stage(next_stage).label if next_stage else "",
        "evaluation_form": DvkEvaluationForm(
            model=model,
            initial={"evaluated_on": model.evaluated_on, "evaluation": model.evaluation},
        ),
        "attachment_form": AttachmentForm(),
    }
    return render(request, "assignments/model_detail.html", context)


@require_POST
def model_advance(request, pk: int):
    model = access.model_for(request.user, pk)
    target = request.POST.get("to", "")
    access.require(access.can_advance_model(request.user, model, target))
    call_service(request, services.dvk_advance, model=model, to=target, user=request.user)
    return redirect("assignments:model-detail", pk=model.pk)


@require_POST
def model_evaluate(request, pk: int):
    model = access.model_for(request.user, pk)
    access.require(access.can_evaluate_model(request.user, model))
    form = DvkEvaluationForm(request.POST, model=model)
    if form.is_valid():
        call_service(
            request,
            services.dvk_evaluate,
            model=model,
            standards=form.standards,
            evaluation=form.cleaned_data["evaluation"],
            on=form.cleaned_data["evaluated_on"],
            user=request.user,
        )
    else:
        show_form_errors(request, form)
    return redirect("assignments:model-detail", pk=model.pk)


@require_POST
def model_attach(request, pk: int):
    model = access.model_for(request.user, pk)
    access.require(access.can_attach_to_model(request.user, model))
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        call_service(
            request,
            services.dvk_attach,
            model=model,
            file=form.cleaned_data["file"],
            user=request.user,
        )
    else:
        show_form_errors(request, form)
    return redirect("assignments:model-detail", pk=model.pk)


def attachment(request, pk: int):
    item = access.attachment_for(request.user, pk)
    return uploads.serve_private(item.file.path, item.filename)

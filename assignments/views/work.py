"""An agency's work village by village: the village page, support team, activities, resources,
proposals and "Dân vận khéo" models, and the liaison's "my villages" page."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments import reads, services
from assignments.forms import (
    ActivityEditForm,
    ActivityForm,
    AttachmentForm,
    DvkEvaluationForm,
    DvkModelEditForm,
    DvkModelForm,
    ProposalAnswerForm,
    ProposalForm,
    ResourceEditForm,
    ResourceForm,
    TeamForm,
    TeamMemberForm,
)
from assignments.models import (
    Activity,
    DvkModel,
    Plan,
    Proposal,
    Resource,
    SupportTeam,
)
from assignments.views.common import year_from
from dankhoeo import access, uploads
from dankhoeo.errors import show_refusal


def _plan_of_village(request, village) -> Plan:
    plans = Plan.objects.filter(villages=village)
    plan = reads.plan_from(request.GET, plans) or reads.plan_from(request.GET)
    if plan is None:
        raise PermissionDenied
    return plan


def _writable_village(request, pk: int, plan: Plan):
    """The village if the user may record work for it under this plan: 404 outside the
    visible scope, 403 for a read-only role or a plan that is over."""
    village = access.village_for(request.user, pk)
    access.require(access.can_record_for(request.user, village, plan))
    return village


def village_work(request, pk: int):
    village = access.village_for(request.user, pk)
    plan = _plan_of_village(request, village)
    context = reads.village_panels(request.user, village, plan)
    return render(request, "assignments/village_work.html", context)


def _redirect_to_village(village, plan):
    return redirect(f"{reverse('assignments:village-work', args=[village.pk])}?plan={plan.pk}")


# Support team ------------------------------------------------------------------------------


def team(request, pk: int):
    """The village's support team: set it up, add members, remove members."""
    user = request.user
    village = access.village_for(user, pk)
    plan = _plan_of_village(request, village)
    team = SupportTeam.objects.filter(plan=plan, village=village).first()
    status = 200
    team_form, member_form = TeamForm(), TeamMemberForm()
    if request.method == "POST":
        _writable_village(request, pk, plan)
        if team is None:
            team_form = TeamForm(request.POST)
            if team_form.is_valid() and _call(
                request,
                services.team_create,
                plan=plan,
                village=village,
                user=user,
                **team_form.cleaned_data,
            ):
                return redirect(request.get_full_path())
        else:
            member_form = TeamMemberForm(request.POST)
            if member_form.is_valid() and _call(
                request, services.team_member_add, team=team, user=user, **member_form.cleaned_data
            ):
                return redirect(request.get_full_path())
        status = 400
    members = list(team.members.select_related("agency")) if team else []
    for member in members:
        member.can_remove = access.can_manage_team_member(user, team, member.agency_id)
    context = {
        "village": village,
        "plan": plan,
        "team": team,
        "members": members,
        "can_edit": access.can_manage_team(user, village, plan),
        "team_form": team_form,
        "member_form": member_form,
    }
    return render(request, "assignments/team.html", context, status=status)


def _call(request, service, **kwargs) -> bool:
    try:
        service(**kwargs)
    except ValidationError as error:
        show_refusal(request, error)
        return False
    messages.success(request, _("Saved."))
    return True


@require_POST
def team_member_delete(request, pk: int):
    """Remove a member from a team, once the remover has ticked the confirmation box."""
    member = access.team_member_for(request.user, pk, write=True)
    team = member.team
    team_url = f"{reverse('assignments:team', args=[team.village_id])}?plan={team.plan_id}"
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm the removal."))
        return redirect(team_url)
    if _call(request, services.team_member_remove, member=member, user=request.user):
        messages.success(request, _("The member has been removed."))
    return redirect(team_url)


# Recording work ----------------------------------------------------------------------------


def _record(request, pk: int, form_class, service, title: str, **form_kwargs):
    """Shared flow of the "record X for this village" pages."""
    village = access.village_for(request.user, pk)
    plan = _plan_of_village(request, village)
    _writable_village(request, pk, plan)
    agencies = access.agencies_of(request.user, village, plan)
    form = form_class(request.POST or None, request.FILES or None, agencies=agencies, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            service(plan=plan, village=village, user=request.user, **data)
        except ValidationError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Saved."))
            return _redirect_to_village(village, plan)
    context = {"form": form, "village": village, "plan": plan, "title": title}
    return render(request, "assignments/record_form.html", context)


def activity_create(request, pk: int):
    return _record(request, pk, ActivityForm, services.activity_record, _("Record an activity"))


# Correcting work ---------------------------------------------------------------------------


def _correct(
    request, record, form_class, update, title: str, *, delete_url="", done_url="", **form_kwargs
):
    """Shared flow of the "correct this record" pages: ``update(record, user=, **data)``
    saves; 409 when the record was saved meanwhile."""
    village, plan = record.village, record.plan
    form = form_class(
        request.POST or None,
        request.FILES or None,
        instance=record,
        agencies=access.agencies_of(request.user, village, plan),
        initial={"version": record.version},
        **form_kwargs,
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            update(record, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(request, error)
            status = 409 if error.code == "conflict" else 400
        else:
            messages.success(request, _("Saved."))
            return redirect(done_url) if done_url else _redirect_to_village(village, plan)
    context = {
        "form": form,
        "village": village,
        "plan": plan,
        "title": title,
        "delete_url": delete_url,
    }
    return render(request, "assignments/record_form.html", context, status=status)


def _delete(request, record, delete, edit_url: str, done: str):
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm the deletion."))
        return redirect(edit_url)
    delete(record)
    messages.success(request, done)
    return _redirect_to_village(record.village, record.plan)


def activity_edit(request, pk: int):
    return _correct(
        request,
        access.activity_for(request.user, pk, write=True),
        ActivityEditForm,
        lambda activity, **data: services.activity_update(activity=activity, **data),
        _("Correct an activity"),
        delete_url=reverse("assignments:activity-delete", args=[pk]),
    )


@require_POST
def activity_delete(request, pk: int):
    return _delete(
        request,
        access.activity_for(request.user, pk, write=True),
        lambda activity: services.activity_delete(activity=activity, user=request.user),
        reverse("assignments:activity-edit", args=[pk]),
        _("The activity has been deleted."),
    )


def resource_edit(request, pk: int):
    resource = access.resource_for(request.user, pk, write=True)
    return _correct(
        request,
        resource,
        ResourceEditForm,
        lambda resource, **data: services.resource_update(resource=resource, **data),
        _("Correct a resource record"),
        delete_url=reverse("assignments:resource-delete", args=[pk]),
        plan=resource.plan,
    )


@require_POST
def resource_delete(request, pk: int):
    return _delete(
        request,
        access.resource_for(request.user, pk, write=True),
        lambda resource: services.resource_delete(resource=resource, user=request.user),
        reverse("assignments:resource-edit", args=[pk]),
        _("The record has been deleted."),
    )


def model_edit(request, pk: int):
    """Correct a model's registration (its lifecycle and evaluation have their own forms)."""

    def update(model, *, user, version, agency, **facts):
        return services.dvk_update(
            model=model, version=version, agency=agency, facts=facts, user=user
        )

    return _correct(
        request,
        access.model_for(request.user, pk, write=True),
        DvkModelEditForm,
        update,
        _("Correct a model's registration"),
        done_url=reverse("assignments:model-detail", args=[pk]),
    )


def resource_create(request, pk: int):
    village = access.village_for(request.user, pk)
    plan = _plan_of_village(request, village)
    return _record(
        request,
        pk,
        ResourceForm,
        services.resource_record,
        _("Record resources mobilised"),
        plan=plan,
    )


def proposal_create(request, pk: int):
    return _record(
        request, pk, ProposalForm, services.proposal_raise, _("Raise a proposal or difficulty")
    )


def model_create(request, pk: int):
    def register(*, plan, village, user, agency, **facts):
        return services.dvk_register(
            plan=plan, agency=agency, village=village, user=user, facts=facts
        )

    return _record(request, pk, DvkModelForm, register, _("Register a “Dân vận khéo” model"))


def photo(request, pk: int):
    item = access.photo_for(request.user, pk)
    return uploads.serve_private(item.file.path, item.filename, inline=True)


# Lists -------------------------------------------------------------------------------------


def _scoped(request, queryset):
    return access.scoped(request.user, queryset)


def activity_list(request):
    year = year_from(request, datetime.date.today().year)
    activities = _scoped(request, Activity.objects.in_year(year).for_list())
    return render(
        request, "assignments/activity_list.html", {"activities": activities, "year": year}
    )


def resource_list(request):
    all_years = request.GET.get("year") == "all"
    year = (
        datetime.date.today().year if all_years else year_from(request, datetime.date.today().year)
    )
    group = request.GET.get("by", "agency")
    if group not in GROUP_LABELS:
        group = "agency"
    resources = _scoped(request, Resource.objects.all())
    if not all_years:
        resources = resources.in_year(year)
    context = {
        "year": year,
        "all_years": all_years,
        "group": group,
        "groups": GROUP_LABELS,
        "group_label": GROUP_LABELS[group],
        "rows": resources.totals_by(group),
        "totals": resources.totals(),
        "resources": resources.for_list()[:200],
        "correctable": access.correctable_agencies(request.user),
    }
    return render(request, "assignments/resource_list.html", context)


GROUP_LABELS = {
    "agency": _("agency"),
    "village": _("village"),
    "source": _("source"),
    "criterion": _("criterion"),
    "year": _("year"),
}


def proposal_list(request):
    year = year_from(request, datetime.date.today().year)
    proposals = _scoped(request, Proposal.objects.for_year(year).for_list())
    if request.GET.get("open"):
        proposals = proposals.open()
    context = {"proposals": proposals, "year": year, "open_only": bool(request.GET.get("open"))}
    return render(request, "assignments/proposal_list.html", context)


def proposal_detail(request, pk: int):
    proposal = access.proposal_for(request.user, pk)
    context = {
        "proposal": proposal,
        "can_answer": access.can_answer_proposal(request.user, proposal),
        "form": ProposalAnswerForm(initial={"due_on": proposal.due_on}),
        "actions": _actions(proposal),
        "history": proposal.history.select_related("history_user").order_by("-history_date"),
    }
    return render(request, "assignments/proposal_detail.html", context)


ACTION_LABELS = {
    "forward": _("Forward"),
    "start": _("Start handling"),
    "resolve": _("Resolve"),
    "decline": _("Decline"),
}


def _actions(proposal: Proposal) -> list[tuple[str, str]]:
    return [
        (action, ACTION_LABELS[action])
        for action, (sources, _target) in services.PROPOSAL_TRANSITIONS.items()
        if proposal.status in sources
    ]


@require_POST
def proposal_transition(request, pk: int, action: str):
    proposal = access.proposal_for(request.user, pk)
    access.require(access.can_answer_proposal(request.user, proposal))
    form = ProposalAnswerForm(request.POST)
    if form.is_valid():
        _call(
            request,
            services.proposal_transition,
            proposal=proposal,
            user=request.user,
            action=action,
            answer=form.cleaned_data["answer"],
            due_on=form.cleaned_data["due_on"],
        )
    else:
        show_refusal(request, ValidationError([e for es in form.errors.values() for e in es]))
    return redirect("assignments:proposal-detail", pk=proposal.pk)


# "Dân vận khéo" models ---------------------------------------------------------------------


def model_list(request):
    models = _scoped(request, DvkModel.objects.select_related("agency", "village"))
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
    _call(request, services.dvk_advance, model=model, to=target, user=request.user)
    return redirect("assignments:model-detail", pk=model.pk)


@require_POST
def model_evaluate(request, pk: int):
    model = access.model_for(request.user, pk)
    access.require(access.can_evaluate_model(request.user, model))
    form = DvkEvaluationForm(request.POST, model=model)
    if form.is_valid():
        _call(
            request,
            services.dvk_evaluate,
            model=model,
            standards=form.standards,
            evaluation=form.cleaned_data["evaluation"],
            on=form.cleaned_data["evaluated_on"],
            user=request.user,
        )
    else:
        show_refusal(request, ValidationError([e for es in form.errors.values() for e in es]))
    return redirect("assignments:model-detail", pk=model.pk)


@require_POST
def model_attach(request, pk: int):
    model = access.model_for(request.user, pk)
    access.require(access.can_attach_to_model(request.user, model))
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        _call(
            request,
            services.dvk_attach,
            model=model,
            file=form.cleaned_data["file"],
            user=request.user,
        )
    else:
        show_refusal(request, ValidationError([e for es in form.errors.values() for e in es]))
    return redirect("assignments:model-detail", pk=model.pk)


def attachment(request, pk: int):
    item = access.attachment_for(request.user, pk)
    return uploads.serve_private(item.file.path, item.filename)


# My villages -------------------------------------------------------------------------------


def my_villages(request):
    plan = reads.plan_from(request.GET)
    year = plan.latest_open_year() if plan else None
    rows = reads.my_villages(request.user, plan, year) if plan else []
    return render(
        request, "assignments/my_villages.html", {"plan": plan, "rows": rows, "year": year}
    )

"""An agency's work village by village: the village page, activities, resources and proposals
(recorded, corrected, listed), and the liaison's "my villages" page. The support team is in
``teams``, the "Dân vận khéo" models in ``dvk``."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments import queries, services
from assignments.forms import (
    ActivityEditForm,
    ActivityForm,
    ProposalAnswerForm,
    ProposalForm,
    ResourceEditForm,
    ResourceForm,
)
from assignments.models import (
    Activity,
    Plan,
    Proposal,
    Resource,
)
from assignments.views.common import (
    call_service,
    correct_page,
    delete_record,
    plan_of_village,
    record_page,
    requested_year,
)
from dankhoeo import access, uploads
from dankhoeo.errors import show_form_errors


def village_work(request, pk: int):
    village = access.village_for(request.user, pk)
    plan = plan_of_village(request, village)
    context = queries.village_panels(request.user, village, plan)
    return render(request, "assignments/village_work.html", context)


# Recording and correcting work -------------------------------------------------------------


def activity_create(request, pk: int):
    return record_page(request, pk, ActivityForm, services.activity_record, _("Record an activity"))


def activity_edit(request, pk: int):
    return correct_page(
        request,
        access.activity_for(request.user, pk, write=True),
        ActivityEditForm,
        lambda activity, **data: services.activity_update(activity=activity, **data),
        _("Correct an activity"),
        delete_url=reverse("assignments:activity-delete", args=[pk]),
    )


@require_POST
def activity_delete(request, pk: int):
    return delete_record(
        request,
        access.activity_for(request.user, pk, write=True),
        lambda activity: services.activity_delete(activity=activity, user=request.user),
        reverse("assignments:activity-edit", args=[pk]),
        _("The activity has been deleted."),
    )


def resource_edit(request, pk: int):
    resource = access.resource_for(request.user, pk, write=True)
    return correct_page(
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
    return delete_record(
        request,
        access.resource_for(request.user, pk, write=True),
        lambda resource: services.resource_delete(resource=resource, user=request.user),
        reverse("assignments:resource-edit", args=[pk]),
        _("The record has been deleted."),
    )


def resource_create(request, pk: int):
    village = access.village_for(request.user, pk)
    plan = plan_of_village(request, village)
    return record_page(
        request,
        pk,
        ResourceForm,
        services.resource_record,
        _("Record resources mobilised"),
        plan=plan,
    )


def proposal_create(request, pk: int):
    return record_page(
        request, pk, ProposalForm, services.proposal_raise, _("Raise a proposal or difficulty")
    )


def photo(request, pk: int):
    item = access.photo_for(request.user, pk)
    return uploads.serve_private(item.file.path, item.filename, inline=True)


# Lists -------------------------------------------------------------------------------------


def activity_list(request):
    year = requested_year(request)
    activities = access.scoped(request.user, Activity.objects.in_year(year).for_list())
    return render(
        request, "assignments/activity_list.html", {"activities": activities, "year": year}
    )


def resource_list(request):
    all_years = request.GET.get("year") == "all"
    year = Plan.objects.current_year() if all_years else requested_year(request)
    group = request.GET.get("by", "agency")
    if group not in GROUP_LABELS:
        group = "agency"
    resources = access.scoped(request.user, Resource.objects.all())
    if not all_years:
        resources = resources.in_year(year)
    shown = list(resources.for_list()[:200])
    context = {
        "year": year,
        "all_years": all_years,
        "group": group,
        "groups": GROUP_LABELS,
        "group_label": GROUP_LABELS[group],
        "rows": resources.totals_by(group),
        "totals": resources.totals(),
        "resources": shown,
        "correctable": set(
            access.changeable(
                request.user, Resource.objects.filter(pk__in=[r.pk for r in shown])
            ).values_list("pk", flat=True)
        ),
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
    year = requested_year(request)
    proposals = access.scoped(request.user, Proposal.objects.for_year(year).for_list())
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
        call_service(
            request,
            services.proposal_transition,
            proposal=proposal,
            user=request.user,
            action=action,
            answer=form.cleaned_data["answer"],
            due_on=form.cleaned_data["due_on"],
        )
    else:
        show_form_errors(request, form)
    return redirect("assignments:proposal-detail", pk=proposal.pk)


# My villages -------------------------------------------------------------------------------


def my_villages(request):
    plan = queries.plan_from(request.GET)
    year = plan.latest_open_year() if plan else None
    rows = queries.my_villages(request.user, plan, year) if plan else []
    return render(
        request, "assignments/my_villages.html", {"plan": plan, "rows": rows, "year": year}
    )

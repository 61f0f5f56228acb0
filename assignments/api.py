"""API endpoints of the assignments app.

Reads: plans, agencies and criteria-free reference data for every account; assignments,
support teams, activities, resources, proposals and models only for the villages the user sees
(``access.villages_visible_to``), others are 404. Writes: activities, resources and proposals,
parsed by the web pages' forms and saved by the same services, under the same checks (the
village in scope: else 404; a role that may not write or a plan that is over: 403).
Corrections (PUT) and deletions (DELETE) of activities and resources go through the web's
correction forms and services too: another agency's record is 403 as on the web, a stale
``version`` a 409. Proposals are answered (``transitions``) by those who answer them on the
web (commune officers, staff): a step the proposal's state refuses is a 409.

Support teams carry their members' names and phone numbers, like the roster export: every read
of them is recorded in the security log, as the export is.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from assignments import services
from assignments.api_schemas import (
    ActivityEdit,
    ActivityIn,
    ActivityOut,
    AgencyOut,
    AssignmentOut,
    DvkModelOut,
    PlanOut,
    ProposalAnswerIn,
    ProposalIn,
    ProposalOut,
    ResourceEdit,
    ResourceIn,
    ResourceOut,
    TeamOut,
)
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
    Agency,
    Assignment,
    DvkModel,
    Plan,
    Proposal,
    Resource,
    SupportTeam,
)
from dankhoeo import access, audit
from dankhoeo.api import ApiError, Pagination, Year, record_write
from dankhoeo.errors import Refused

router = Router(tags=["assignments"])


def _scoped(request, queryset, plan: int | None = None, village: int | None = None):
    queryset = access.scoped(request.user, queryset)
    if plan is not None:
        queryset = queryset.filter(plan_id=plan)
    if village is not None:
        queryset = queryset.filter(village_id=village)
    return queryset


def _one(request, queryset, pk: int):
    return access.visible_or_404(request.user, queryset, pk)


@router.get("/plans", response=list[PlanOut], summary="Plans")
@paginate(Pagination)
def plan_list(request, active: bool | None = None):
    plans = Plan.objects.order_by("-period_start", "number")
    return plans if active is None else plans.filter(is_active=active)


@router.get("/plans/{int:pk}", response=PlanOut, summary="One plan")
def plan_detail(request, pk: int):
    return get_object_or_404(Plan, pk=pk)


@router.get("/agencies", response=list[AgencyOut], summary="Agencies")
@paginate(Pagination)
def agency_list(request, plan: int | None = None):
    agencies = Agency.objects.order_by("name", "pk")
    if plan is not None:
        agencies = agencies.filter(assignments__plan=plan).distinct()
    return agencies


@router.get("/agencies/{int:pk}", response=AgencyOut, summary="One agency")
def agency_detail(request, pk: int):
    return get_object_or_404(Agency, pk=pk)


@router.get("/assignments", response=list[AssignmentOut], summary="Who helps which village")
@paginate(Pagination)
def assignment_list(
    request, plan: int | None = None, village: int | None = None, agency: int | None = None
):
    assignments = _scoped(
        request, Assignment.objects.select_related("agency", "village"), plan, village
    )
    if agency is not None:
        assignments = assignments.filter(agency_id=agency)
    return assignments.order_by("plan", "village__sort_key", "role", "pk")


@router.get("/teams", response=list[TeamOut], summary="Support teams")
@paginate(Pagination)
def team_list(request, plan: int | None = None, village: int | None = None):
    teams = SupportTeam.objects.select_related("village").prefetch_related("members")
    _members_read(request, "teams")
    return _scoped(request, teams, plan, village).order_by("plan", "village__sort_key", "pk")


@router.get("/teams/{int:pk}", response=TeamOut, summary="One support team")
def team_detail(request, pk: int):
    team = _one(request, SupportTeam.objects.select_related("village"), pk)
    _members_read(request, f"team {team.pk}")
    return team


def _members_read(request, what: str) -> None:
    """Names and phone numbers read through the API: in the security log, like the roster."""
    token = getattr(request, "api_token", None)
    audit.record(
        actor=request.user,
        kind=audit.Kind.EXPORT,
        target=f"API {what}",
        detail=f"{request.get_full_path()} (token {token.prefix if token else '?'})",
        request=request,
    )


def _in_year(queryset, field: str, year: int | None):
    return queryset if year is None else queryset.filter(**{f"{field}__year": year})


@router.get("/activities", response=list[ActivityOut], summary="Activities")
@paginate(Pagination)
def activity_list(
    request, plan: int | None = None, village: int | None = None, year: Year | None = None
):
    activities = _scoped(request, Activity.objects.for_list(), plan, village)
    return _in_year(activities, "held_on", year).order_by("-held_on", "-pk")


@router.get("/activities/{int:pk}", response=ActivityOut, summary="One activity")
def activity_detail(request, pk: int):
    return _one(request, Activity.objects.for_list(), pk)


@router.get("/resources", response=list[ResourceOut], summary="Resources mobilised")
@paginate(Pagination)
def resource_list(
    request, plan: int | None = None, village: int | None = None, year: Year | None = None
):
    resources = _scoped(request, Resource.objects.for_list(), plan, village)
    return _in_year(resources, "received_on", year).order_by("-received_on", "-pk")


@router.get("/resources/{int:pk}", response=ResourceOut, summary="One resource record")
def resource_detail(request, pk: int):
    return _one(request, Resource.objects.for_list(), pk)


@router.get("/proposals", response=list[ProposalOut], summary="Proposals and difficulties")
@paginate(Pagination)
def proposal_list(
    request,
    plan: int | None = None,
    village: int | None = None,
    year: Year | None = None,
    status: Proposal.Status | None = None,
):
    """``year``: raised that year, or raised before and still open then (as on the web list)."""
    proposals = _scoped(request, Proposal.objects.for_list(), plan, village)
    if year is not None:
        proposals = proposals.for_year(year)
    if status:
        proposals = proposals.filter(status=status)
    return proposals.order_by("-raised_on", "-pk")


@router.get("/proposals/{int:pk}", response=ProposalOut, summary="One proposal")
def proposal_detail(request, pk: int):
    return _one(request, Proposal.objects.for_list(), pk)


@router.get("/models", response=list[DvkModelOut], summary="Dân vận khéo models")
@paginate(Pagination)
def model_list(request, plan: int | None = None, village: int | None = None):
    models = DvkModel.objects.select_related("agency", "village")
    return _scoped(request, models, plan, village).order_by("-registered_on", "-pk")


@router.get("/models/{int:pk}", response=DvkModelOut, summary="One Dân vận khéo model")
def model_detail(request, pk: int):
    return _one(request, DvkModel.objects.select_related("agency", "village"), pk)


# Writes ------------------------------------------------------------------------------------


def _record(request, payload, form_class, service, form_kwargs):
    """The web's "record X for this village" flow: the village in scope (404), a plan of
    the village (404), the user allowed to write under it (403), the form's checks (400),
    then the service (400 when a rule refuses)."""
    village = access.village_for(request.user, payload.village)
    plan = get_object_or_404(Plan.objects.filter(villages=village), pk=payload.plan)
    access.require(access.can_record_for(request.user, village, plan))
    data = payload.dict(exclude={"plan", "village"})
    agencies = access.agencies_of(request.user, village, plan)
    form = form_class(data, agencies=agencies, **form_kwargs(plan))
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    record = service(plan=plan, village=village, user=request.user, **form.cleaned_data)
    record_write(request, record, f"{record._meta.model_name} {record.pk} recorded")
    return record


def _none(plan):
    return {}


@router.post("/activities", response={201: ActivityOut}, summary="Record an activity")
def activity_create(request, payload: ActivityIn):
    activity = _record(request, payload, ActivityForm, services.activity_record, _none)
    return Status(201, Activity.objects.for_list().get(pk=activity.pk))


@router.post("/resources", response={201: ResourceOut}, summary="Record a resource mobilised")
def resource_create(request, payload: ResourceIn):
    resource = _record(
        request,
        payload,
        ResourceForm,
        services.resource_record,
        lambda plan: {"plan": plan},
    )
    return Status(201, Resource.objects.for_list().get(pk=resource.pk))


@router.post("/proposals", response={201: ProposalOut}, summary="Raise a proposal")
def proposal_create(request, payload: ProposalIn):
    proposal = _record(request, payload, ProposalForm, services.proposal_raise, _none)
    return Status(201, Proposal.objects.for_list().get(pk=proposal.pk))


# Corrections -------------------------------------------------------------------------------


def _correct(request, record, payload, form_class, update, **form_kwargs):
    """The web's "correct this record" flow: the record the user may change (404 hidden, 403
    another agency's or a reader's, asked by the caller), the correction form's checks (400),
    then the service: a version saved meanwhile is a 409, another refusal a 400."""
    form = form_class(
        payload.dict(),
        instance=record,
        agencies=access.agencies_of(request.user, record.village, record.plan),
        **form_kwargs,
    )
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    try:
        update(record, user=request.user, **form.cleaned_data)
    except Refused as error:
        if getattr(error, "code", None) == "conflict":  # a refusal by field has none
            raise ApiError(409, error.messages[0]) from error
        raise
    record_write(request, record, f"{record._meta.model_name} {record.pk} corrected")


@router.put("/activities/{int:pk}", response=ActivityOut, summary="Correct an activity")
def activity_update(request, pk: int, payload: ActivityEdit):
    activity = access.activity_for(request.user, pk, write=True)
    _correct(
        request,
        activity,
        payload,
        ActivityEditForm,
        lambda activity, **data: services.activity_update(activity=activity, **data),
    )
    return Activity.objects.for_list().get(pk=pk)


@router.delete("/activities/{int:pk}", response={204: None}, summary="Delete an activity")
def activity_delete(request, pk: int):
    activity = access.activity_for(request.user, pk, write=True)
    services.activity_delete(activity=activity, user=request.user)
    record_write(request, activity, f"activity {pk} deleted")
    return Status(204, None)


@router.put("/resources/{int:pk}", response=ResourceOut, summary="Correct a resource record")
def resource_update(request, pk: int, payload: ResourceEdit):
    resource = access.resource_for(request.user, pk, write=True)
    _correct(
        request,
        resource,
        payload,
        ResourceEditForm,
        lambda resource, **data: services.resource_update(resource=resource, **data),
        plan=resource.plan,
    )
    return Resource.objects.for_list().get(pk=pk)


@router.delete("/resources/{int:pk}", response={204: None}, summary="Delete a resource record")
def resource_delete(request, pk: int):
    resource = access.resource_for(request.user, pk, write=True)
    services.resource_delete(resource=resource, user=request.user)
    record_write(request, resource, f"resource {pk} deleted")
    return Status(204, None)


@router.post("/proposals/{int:pk}/transitions", response=ProposalOut, summary="Answer a proposal")
def proposal_transition(request, pk: int, payload: ProposalAnswerIn):
    """Forward, start handling, resolve or decline a proposal, with the answer and the day it
    is due, as on the proposal's page."""
    proposal = access.proposal_for(request.user, pk)
    access.require(access.can_answer_proposal(request.user, proposal))
    form = ProposalAnswerForm(payload.dict(exclude={"action"}))
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    try:
        services.proposal_transition(
            proposal=proposal, user=request.user, action=payload.action, **form.cleaned_data
        )
    except Refused as error:
        if getattr(error, "code", None) == "transition":
            raise ApiError(409, error.messages[0]) from error
        raise
    record_write(request, proposal, f"proposal {pk} {payload.action}")
    return Proposal.objects.for_list().get(pk=pk)

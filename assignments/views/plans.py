"""Plans, agencies, memberships, the assignment board, support teams and their roster."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments import queries, rosters, services
from assignments.forms import (
    AgencyForm,
    AssignmentForm,
    DisseminationForm,
    MembershipForm,
    PlanForm,
)
from assignments.models import Agency, Assignment, Membership, Plan, Resource
from dankhoeo import access, audit, downloads
from dankhoeo.bounds import ID, whole_number
from dankhoeo.errors import show_form_errors, show_refusal

BOARD_PAGE_SIZE = 50  # villages per page of the assignment board


def plan_list(request):
    plans = Plan.objects.select_related("criteria_set").annotate(
        village_count=Count("villages", distinct=True)
    )
    return render(request, "assignments/plan_list.html", {"plans": plans})


def plan_detail(request, pk: int):
    plan = get_object_or_404(Plan.objects.select_related("criteria_set"), pk=pk)
    context = {
        "plan": plan,
        **queries.board_counts(plan, request.user),
        "agency_count": Agency.objects.filter(assignments__plan=plan).distinct().count(),
        "totals": Resource.objects.filter(
            plan=plan, village__in=access.villages_visible_to(request.user)
        ).totals(),
    }
    return render(request, "assignments/plan_detail.html", context)


def _plan_form(request, plan: Plan | None):
    access.require_staff(request.user)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.plan_save(plan=form.save(commit=False), user=request.user)
        except ValidationError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("The plan has been saved."))
            return redirect("assignments:plan-detail", pk=saved.pk)
    return render(request, "assignments/form.html", {"form": form, "title": plan or _("New plan")})


def plan_create(request):
    return _plan_form(request, None)


def plan_edit(request, pk: int):
    return _plan_form(request, get_object_or_404(Plan, pk=pk))


def board(request, pk: int):
    plan = get_object_or_404(Plan, pk=pk)
    flagged = bool(request.GET.get("flagged"))
    villages = queries.board_villages(plan, request.user, flagged=flagged)
    paginator = Paginator(villages, BOARD_PAGE_SIZE)
    if not flagged and access.sees_every_village(request.user):
        paginator.count = Plan.villages.through.objects.filter(plan=plan).count()  # no join
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "assignments/board.html",
        {
            "plan": plan,
            "rows": queries.board_rows(
                plan, request.user, villages=queries.with_places(page.object_list)
            ),
            "page": page,
            "query": "flagged=1" if flagged else "",
            "can_assign": access.can_manage_plans(request.user),
            "flagged_only": flagged,
        },
    )


def assignment_create(request, pk: int):
    """Assign an agency to a village of the plan: the form on a page of its own (linked from the
    board), shown again with its errors when the assignment is refused."""
    access.require(access.can_manage_plans(request.user))
    plan = get_object_or_404(Plan, pk=pk)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.assignment_set(plan=plan, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                show_refusal(request, error, form)
            else:
                messages.success(request, _("The assignment has been saved."))
                return redirect("assignments:board", pk=plan.pk)
        status = 400
    else:
        status = 200
    title = _("Assign an agency to a village")
    context = {"form": form, "title": title, "plan": plan}
    return render(request, "assignments/assignment_form.html", context, status=status)


@require_POST
def assignment_delete(request, pk: int):
    access.require_staff(request.user)
    assignment = get_object_or_404(Assignment, pk=pk)
    services.assignment_remove(assignment=assignment, user=request.user)
    messages.success(request, _("The assignment has been removed."))
    return redirect("assignments:board", pk=assignment.plan_id)


def plan_history(request, pk: int):
    access.require_staff(request.user)
    plan = get_object_or_404(Plan, pk=pk)
    return render(
        request,
        "assignments/history.html",
        {"plan": plan, "changes": queries.plan_history(plan), "title": plan},
    )


def roster(request, pk: int):
    plan = get_object_or_404(Plan, pk=pk)
    teams = rosters.teams_for(plan, request.user)
    return render(request, "assignments/roster.html", {"plan": plan, "teams": teams})


def roster_export(request, pk: int):
    """The roster as a workbook; recorded in the security log (names and phone numbers)."""
    plan = get_object_or_404(Plan, pk=pk)
    access.require(access.can_export_roster(request.user, plan))
    filename, content_type, content = rosters.RosterExporter(plan, request.user).render()
    audit.record(
        actor=request.user,
        kind=audit.Kind.EXPORT,
        target=f"{rosters.RosterExporter.identifier} {plan.number}",
        detail=filename,
        request=request,
    )
    return downloads.attachment(content, filename=filename, content_type=content_type)


# Agencies and memberships ------------------------------------------------------------------


def agency_list(request):
    agencies = Agency.objects.annotate(
        lead_count=Count(
            "assignments", filter=Q(assignments__role=Assignment.Role.LEAD), distinct=True
        ),
        village_count=Count("assignments__village", distinct=True),
        liaison_count=Count("memberships", distinct=True),
    ).order_by("name")
    return render(request, "assignments/agency_list.html", {"agencies": agencies})


def agency_detail(request, pk: int):
    agency = get_object_or_404(Agency, pk=pk)
    visible = access.villages_visible_to(request.user)
    plan = queries.plan_from(
        request.GET, Plan.objects.filter(assignments__agency=agency).distinct()
    )
    assignments = (
        Assignment.objects.filter(agency=agency, plan=plan, village__in=visible)
        .select_related("village", "village__commune")
        .order_by("village__sort_key")
    )
    resources = Resource.objects.filter(agency=agency, plan=plan, village__in=visible)
    context = {
        "agency": agency,
        "plan": plan,
        "assignments": assignments,
        "liaisons": agency.memberships.select_related("user"),
        "disseminations": agency.disseminations.filter(plan=plan),
        "totals": resources.totals(),
        "totals_by_year": resources.totals_by("year"),
        "can_record": plan is not None
        and access.can_record_dissemination(request.user, agency, plan),
        "dissemination_form": DisseminationForm(),
    }
    return render(request, "assignments/agency_detail.html", context)


def _agency_form(request, agency: Agency | None):
    access.require_staff(request.user)
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.agency_save(agency=form.save(commit=False), user=request.user)
        except ValidationError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("The agency has been saved."))
            return redirect("assignments:agency-detail", pk=saved.pk)
    title = agency or _("New agency")
    return render(request, "assignments/form.html", {"form": form, "title": title})


def agency_create(request):
    return _agency_form(request, None)


def agency_edit(request, pk: int):
    return _agency_form(request, get_object_or_404(Agency, pk=pk))


@require_POST
def dissemination_create(request, pk: int):
    agency = get_object_or_404(Agency, pk=pk)
    plan = get_object_or_404(Plan, pk=whole_number(request.POST.get("plan", ""), ID) or 0)
    access.require(access.can_record_dissemination(request.user, agency, plan))
    form = DisseminationForm(request.POST)
    if form.is_valid():
        try:
            services.dissemination_record(
                plan=plan, agency=agency, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("The session has been recorded."))
    else:
        show_form_errors(request, form)
    return redirect(f"{agency_url(agency)}?plan={plan.pk}")


def agency_url(agency: Agency) -> str:
    return reverse("assignments:agency-detail", args=[agency.pk])


def membership_list(request):
    access.require_staff(request.user)
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_add(**form.cleaned_data, actor=request.user, request=request)
        except ValidationError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("The membership has been added."))
            return redirect("assignments:membership-list")
    memberships = Membership.objects.select_related("user", "agency", "commune").order_by(
        "user__username"
    )
    context = {
        "form": form,
        "memberships": memberships,
        "changes": queries.membership_history(),
    }
    return render(request, "assignments/membership_list.html", context)


@require_POST
def membership_delete(request, pk: int):
    access.require_staff(request.user)
    services.membership_remove(
        membership=get_object_or_404(Membership, pk=pk), actor=request.user, request=request
    )
    messages.success(request, _("The membership has been removed."))
    return redirect("assignments:membership-list")

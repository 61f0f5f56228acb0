"""What the views of the app share: the year asked for, the plan and village a work page is
for, and the flows of the "record X for this village" and "correct this record" pages. A
refused change is shown by ``dankhoeo.errors.show_refusal``; objects are loaded *for this
user* by the access policy (``dankhoeo.access``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assignments import queries
from assignments.models import Plan
from dankhoeo import access, bounds
from dankhoeo.errors import show_refusal


def requested_year(request) -> int:
    """The year of ``?year=`` (a 400 when not a year), else the year pages open on
    (``Plan.objects.current_year``)."""
    return bounds.query_int(request.GET, "year", bounds.YEAR, default=Plan.objects.current_year())


def plan_of_village(request, village) -> Plan:
    plans = Plan.objects.filter(villages=village)
    plan = queries.plan_from(request.GET, plans) or queries.plan_from(request.GET)
    if plan is None:
        raise PermissionDenied
    return plan


def writable_village(request, pk: int, plan: Plan):
    """The village if the user may record work for it under this plan: 404 outside the
    visible scope, 403 for a read-only role or a plan that is over."""
    village = access.village_for(request.user, pk)
    access.require(access.can_record_for(request.user, village, plan))
    return village


def redirect_to_village(village, plan):
    return redirect(f"{reverse('assignments:village-work', args=[village.pk])}?plan={plan.pk}")


def call_service(request, service, **kwargs) -> bool:
    try:
        service(**kwargs)
    except ValidationError as error:
        show_refusal(request, error)
        return False
    messages.success(request, _("Saved."))
    return True


def record_page(request, pk: int, form_class, service, title: str, **form_kwargs):
    """Shared flow of the "record X for this village" pages."""
    village = access.village_for(request.user, pk)
    plan = plan_of_village(request, village)
    writable_village(request, pk, plan)
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
            return redirect_to_village(village, plan)
    context = {"form": form, "village": village, "plan": plan, "title": title}
    return render(request, "assignments/record_form.html", context)


def correct_page(
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
            return redirect(done_url) if done_url else redirect_to_village(village, plan)
    context = {
        "form": form,
        "village": village,
        "plan": plan,
        "title": title,
        "delete_url": delete_url,
    }
    return render(request, "assignments/record_form.html", context, status=status)


def delete_record(request, record, delete, edit_url: str, done: str):
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm the deletion."))
        return redirect(edit_url)
    delete(record)
    messages.success(request, done)
    return redirect_to_village(record.village, record.plan)

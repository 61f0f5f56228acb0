"""The common plans an agency agrees with the commune for a village: recorded and corrected by
the owning agency's liaison and by provincial staff (``dankhoeo.access``), their signed
document served to whoever sees the village, their history kept."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments import queries, services
from assignments.forms import CommonPlanEditForm, CommonPlanForm
from assignments.views.common import correct_page, delete_record, record_page
from dankhoeo import access, uploads


def common_plan_create(request, pk: int):
    return record_page(
        request,
        pk,
        CommonPlanForm,
        services.common_plan_record,
        _("Record a common plan with the commune"),
    )


def common_plan_edit(request, pk: int):
    return correct_page(
        request,
        access.common_plan_for(request.user, pk, write=True),
        CommonPlanEditForm,
        lambda common_plan, **data: services.common_plan_update(common_plan=common_plan, **data),
        _("Correct a common plan with the commune"),
        delete_url=reverse("assignments:common-plan-delete", args=[pk]),
    )


@require_POST
def common_plan_delete(request, pk: int):
    return delete_record(
        request,
        access.common_plan_for(request.user, pk, write=True),
        lambda common_plan: services.common_plan_delete(common_plan=common_plan, user=request.user),
        reverse("assignments:common-plan-edit", args=[pk]),
        _("The common plan has been deleted."),
    )


def common_plan_file(request, pk: int):
    common_plan = access.common_plan_for(request.user, pk)
    if not common_plan.file:
        raise Http404
    return uploads.serve_private(common_plan.file.path, common_plan.filename)


def common_plan_history(request, pk: int):
    common_plan = access.common_plan_for(request.user, pk)
    context = {"changes": queries.common_plan_history(common_plan), "title": common_plan}
    return render(request, "assignments/history.html", context)

"""Pages of the standard: criteria sets, their criteria and indicators (staff only to change
them)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from criteria import queries, services
from criteria.forms import (
    CriteriaSetForm,
    CriterionForm,
    IndicatorForm,
)
from criteria.models import CriteriaSet, Criterion, Indicator
from dankhoeo import access
from dankhoeo.errors import Refused, show_refusal


def set_list(request):
    return render(request, "criteria/set_list.html", {"sets": queries.sets_overview()})


def set_detail(request, pk: int):
    criteria_set = get_object_or_404(CriteriaSet, pk=pk)
    criteria = criteria_set.criteria.prefetch_related("indicators__group_thresholds")
    context = {
        "criteria_set": criteria_set,
        "criteria": criteria,
        "in_use": criteria_set.is_in_use(),
        "newer": CriteriaSet.objects.filter(previous=criteria_set).first(),
    }
    return render(request, "criteria/set_detail.html", context)


def _form_page(request, form, title, on_valid, back):
    if request.method == "POST" and form.is_valid():
        try:
            saved = on_valid(form)
        except Refused as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(back(saved))
    context = {"form": form, "title": title}
    return render(request, "criteria/form_page.html", context)


def set_edit(request, pk: int | None = None):
    access.require_staff(request.user)
    instance = get_object_or_404(CriteriaSet, pk=pk) if pk else None
    form = CriteriaSetForm(request.POST or None, instance=instance)
    return _form_page(
        request,
        form,
        _("Criteria set"),
        lambda f: services.criteria_set_save(
            user=request.user, criteria_set=instance, **f.cleaned_data
        ),
        lambda saved: reverse("criteria:set", args=[saved.pk]),
    )


@require_POST
def set_action(request, pk: int, action: str):
    access.require_staff(request.user)
    criteria_set = get_object_or_404(CriteriaSet, pk=pk)
    if action == "confirm":
        services.criteria_set_confirm(user=request.user, criteria_set=criteria_set)
        messages.success(request, _("The criteria set is confirmed as verified."))
        return redirect("criteria:set", pk=pk)
    if action == "new-version":
        copy = services.criteria_set_new_version(user=request.user, criteria_set=criteria_set)
        messages.success(
            request, _("Version %(version)s was made: change it here.") % {"version": copy.version}
        )
        return redirect("criteria:set", pk=copy.pk)
    raise Http404


def criterion_edit(request, set_pk: int, pk: int | None = None):
    access.require_staff(request.user)
    criteria_set = get_object_or_404(CriteriaSet, pk=set_pk)
    instance = get_object_or_404(criteria_set.criteria, pk=pk) if pk else None
    form = CriterionForm(request.POST or None, instance=instance)
    return _form_page(
        request,
        form,
        _("Criterion"),
        lambda f: services.criterion_save(
            user=request.user, criteria_set=criteria_set, criterion=instance, **f.cleaned_data
        ),
        lambda saved: reverse("criteria:set", args=[set_pk]),
    )


def indicator_edit(request, criterion_pk: int, pk: int | None = None):
    access.require_staff(request.user)
    criterion = get_object_or_404(Criterion.objects.select_related("criteria_set"), pk=criterion_pk)
    instance = get_object_or_404(criterion.indicators, pk=pk) if pk else None
    form = IndicatorForm(request.POST or None, instance=instance)
    return _form_page(
        request,
        form,
        _("Indicator"),
        lambda f: services.indicator_save(
            user=request.user, criterion=criterion, indicator=instance, **f.cleaned_data
        ),
        lambda saved: reverse("criteria:set", args=[criterion.criteria_set_id]),
    )


@require_POST
def criterion_delete(request, pk: int):
    access.require_staff(request.user)
    criterion = get_object_or_404(Criterion, pk=pk)
    try:
        services.criterion_delete(user=request.user, criterion=criterion)
    except Refused as error:
        show_refusal(request, error)
    return redirect("criteria:set", pk=criterion.criteria_set_id)


@require_POST
def indicator_delete(request, pk: int):
    access.require_staff(request.user)
    indicator = get_object_or_404(Indicator.objects.select_related("criterion"), pk=pk)
    try:
        services.indicator_delete(user=request.user, indicator=indicator)
    except Refused as error:
        show_refusal(request, error)
    return redirect("criteria:set", pk=indicator.criterion.criteria_set_id)

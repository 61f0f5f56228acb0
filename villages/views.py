"""Pages of villages and administrative units. Thin: reads through the access policy and the
QuerySet methods, writes through ``villages.services``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dankhoeo import access, bounds, downloads, importflow
from dankhoeo import spreadsheets as xl
from dankhoeo.errors import Refused, show_refusal
from villages import imports, panels, services
from villages.forms import (
    AdminUnitForm,
    CloseUnitForm,
    VillageFilterForm,
    VillageForm,
    VillageYearForm,
)
from villages.models import AdminUnit, Village, VillageYear

PAGE_SIZE = 25


# Villages -------------------------------------------------------------------------------------


def village_list(request):
    form = VillageFilterForm(request.GET or None)
    villages = access.villages_visible_to(request.user).with_places().in_vietnamese_order()
    if form.is_bound and form.is_valid():
        villages = form.villages(villages)
    page = Paginator(villages, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "villages/village_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "is_staff": _is_staff(request)},
    )


def village_detail(request, pk: int):
    village = _visible_village(request, pk)
    return render(request, "villages/village_detail.html", _detail_context(request, village))


def _visible_village(request, pk: int) -> Village:
    return get_object_or_404(
        access.villages_visible_to(request.user)
        .with_places()
        .prefetch_related(Prefetch("years", queryset=VillageYear.objects.order_by("-year"))),
        pk=pk,
    )


def _detail_context(request, village: Village) -> dict:
    context = {
        "village": village,
        "years": village.years.all(),
        "can_edit": access.can_edit_village(request.user, village),
        "is_staff": _is_staff(request),
    }
    context["panels"] = panels.render_panels(request, village, context)
    context["links"] = panels.render_links(request, context)
    return context


def village_year_save(request, pk: int):
    """Enter or correct the statistics of one year of the village (``?year=`` fills the form with
    what that year holds): a page of its own, linked from the village page's table."""
    village = get_object_or_404(
        access.villages_visible_to(request.user).select_related("commune"), pk=pk
    )
    if not access.can_edit_village(request.user, village):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = VillageYearForm(request.POST)
        if form.is_valid():
            try:
                statistics = services.villageyear_save(
                    user=request.user, village=village, **form.cleaned_data
                )
            except Refused as error:
                show_refusal(request, error, form)
            else:
                messages.success(
                    request,
                    _("The statistics for %(year)s were saved.") % {"year": statistics.year},
                )
                return redirect("villages:detail", pk=village.pk)
        status = 400
    else:
        year = bounds.query_int(request.GET, "year", bounds.YEAR)
        shown = village.years.filter(year=year).first() if year else None
        form = VillageYearForm(instance=shown)
    context = {"village": village, "form": form}
    return render(request, "villages/village_year_form.html", context, status=status)


def village_create(request):
    access.require_staff(request.user)
    form = VillageForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            village = services.village_create(**form.cleaned_data)
        except Refused as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("The village %(name)s was added.") % {"name": village})
            return redirect("villages:detail", pk=village.pk)
    return render(request, "villages/village_form.html", {"form": form, "village": None})


def village_edit(request, pk: int):
    access.require_staff(request.user)
    village = _visible_village(request, pk)
    form = VillageForm(request.POST or None, instance=village)
    if form.is_bound and form.is_valid():
        try:
            services.village_update(village=village, **form.cleaned_data)
        except Refused as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("The village was saved."))
            return redirect("villages:detail", pk=village.pk)
    return render(request, "villages/village_form.html", {"form": form, "village": village})


# Communes -------------------------------------------------------------------------------------


def commune_detail(request, pk: int):
    commune = get_object_or_404(
        AdminUnit.objects.communes().select_related("parent", "successor", "successor__parent"),
        pk=pk,
    )
    villages = (
        access.villages_visible_to(request.user)
        .in_commune(commune)
        .with_places()
        .in_vietnamese_order()
    )
    return render(
        request,
        "villages/commune_detail.html",
        {
            "commune": commune,
            "predecessors": commune.predecessors.in_vietnamese_order(),
            "villages": villages,
            "is_staff": _is_staff(request),
        },
    )


# Administrative units (staff) --------------------------------------------------------------------


def unit_list(request):
    access.require(access.can_manage_units(request.user))
    level = request.GET.get("level", "")
    units = AdminUnit.objects.select_related("parent", "successor").in_vietnamese_order()
    if level in AdminUnit.Level.values:
        units = units.filter(level=level)
    if request.GET.get("q"):
        units = units.search(request.GET["q"])
    return render(
        request,
        "villages/unit_list.html",
        {"units": units, "levels": AdminUnit.Level.choices, "level": level},
    )


def unit_create(request):
    access.require(access.can_manage_units(request.user))
    form = AdminUnitForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            unit = services.adminunit_create(**form.cleaned_data)
        except Refused as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("The unit %(name)s was added.") % {"name": unit})
            return redirect("villages:unit-list")
    return render(request, "villages/unit_form.html", {"form": form, "unit": None})


def unit_edit(request, pk: int):
    access.require(access.can_manage_units(request.user))
    unit = get_object_or_404(AdminUnit.objects.select_related("successor"), pk=pk)
    form = AdminUnitForm(
        request.POST or None, instance=unit, history_only=unit.valid_to is not None
    )
    if form.is_bound and form.is_valid():
        try:
            services.adminunit_update(unit=unit, **form.cleaned_data)
        except Refused as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("The unit was saved."))
            return redirect("villages:unit-list")
    close_form = CloseUnitForm(unit=unit) if unit.valid_to is None else None
    return render(
        request, "villages/unit_form.html", {"form": form, "unit": unit, "close_form": close_form}
    )


@require_POST
def unit_close(request, pk: int):
    access.require(access.can_manage_units(request.user))
    unit = get_object_or_404(AdminUnit, pk=pk)
    form = CloseUnitForm(request.POST, unit=unit)
    if form.is_valid():
        try:
            services.adminunit_close(unit=unit, **form.cleaned_data)
        except Refused as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("%(unit)s was closed.") % {"unit": unit})
            return redirect("villages:unit-list")
    else:
        messages.error(request, _("Give a valid closing date."))
    return redirect("villages:unit-edit", pk=unit.pk)


# Import of the official lists (staff) ---------------------------------------------------------


def import_upload(request):
    """Upload → preview → confirm or cancel (``dankhoeo.importflow``)."""
    access.require(access.can_manage_units(request.user))
    step = importflow.run(request, services.import_flow(request.user))
    if step.response:
        return step.response
    if step.done:
        return redirect("villages:list")
    return render(request, "villages/import.html", step.context, status=step.status)


import_confirm = require_POST(import_upload)  # the Confirm button of the page


def import_template(request):
    access.require(access.can_manage_units(request.user))
    villages = Village.objects.filter(is_demo=False).with_places().in_vietnamese_order()
    return downloads.attachment(
        imports.template_workbook(villages),
        filename="danh-sach-thon-lang.xlsx",
        content_type=xl.XLSX_CONTENT_TYPE,
    )


def _is_staff(request) -> bool:
    return access.is_staff(request.user)

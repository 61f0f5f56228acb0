"""Importing a plan's agencies and assignments from Excel: upload, preview, confirm."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assignments import imports, services
from assignments.forms import ConfirmImportForm, ImportForm
from assignments.models import Plan
from assignments.views.common import show_error
from dankhoeo import access, audit, downloads
from dankhoeo import spreadsheets as xl


def import_template(request, pk: int):
    access.require_staff(request.user)
    plan = get_object_or_404(Plan, pk=pk)
    return downloads.attachment(
        imports.template_workbook(plan),
        filename=f"phan-cong-{slugify(plan.number)}.xlsx",
        content_type=xl.XLSX_CONTENT_TYPE,
    )


def import_assignments(request, pk: int):
    """GET: the upload form. POST with a file: the preview. POST with a token: save."""
    access.require_staff(request.user)
    plan = get_object_or_404(Plan, pk=pk)
    context = {"plan": plan, "form": ImportForm()}
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, plan)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                context["preview"] = imports.preview(upload, plan)
                if not context["preview"].errors:
                    context["token"] = xl.stage_upload(request.user, upload)
            except xl.SpreadsheetError as error:
                messages.error(request, str(error))
    return render(request, "assignments/import.html", context)


def _confirm(request, plan: Plan):
    form = ConfirmImportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The uploaded file is no longer available: upload it again."))
        return redirect("assignments:import", pk=plan.pk)
    token = form.cleaned_data["token"]
    try:
        path = xl.staged_path(request.user, token)
        preview = imports.preview(path, plan)
        saved = services.assignments_import(preview=preview, user=request.user)
    except xl.SpreadsheetError as error:
        messages.error(request, str(error))
        return redirect("assignments:import", pk=plan.pk)
    except ValidationError as error:
        show_error(request, error)
        return redirect("assignments:import", pk=plan.pk)
    xl.discard_staged(request.user, token)
    audit.record(
        actor=request.user,
        kind=audit.Kind.IMPORT,
        target=f"assignments {plan.number}",
        detail=", ".join(f"{key} {value}" for key, value in saved.items()),
        request=request,
    )
    messages.success(
        request,
        _("Imported: %(agencies)s agencies, %(assignments)s assignments, %(villages)s villages.")
        % saved,
    )
    return redirect("assignments:board", pk=plan.pk)

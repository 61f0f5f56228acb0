"""Importing a plan's agencies and assignments from Excel: upload, preview, confirm."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assignments import imports, services
from assignments.models import Plan
from dankhoeo import access, downloads, importflow
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
    """Upload → preview → confirm or cancel (``dankhoeo.importflow``)."""
    access.require_staff(request.user)
    plan = get_object_or_404(Plan, pk=pk)
    flow = importflow.Flow(
        read=lambda source: imports.preview(source, plan),
        save=lambda preview: services.assignments_import(preview=preview, user=request.user),
        target=f"assignments {plan.number}",
        detail=lambda saved: ", ".join(f"{key} {value}" for key, value in saved.items()),
    )
    step = importflow.run(request, flow)
    if step.done:
        messages.success(
            request,
            _(
                "Imported: %(agencies)s agencies, %(assignments)s assignments, "
                "%(villages)s villages."
            )
            % step.saved,
        )
        return redirect("assignments:board", pk=plan.pk)
    context = {**step.context, "plan": plan}
    return render(request, "assignments/import.html", context, status=step.status)

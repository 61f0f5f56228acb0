"""Importing a plan's agencies and assignments from Excel: upload, preview, confirm."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify

from assignments import imports
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
    step = importflow.run(request, imports.import_flow(request.user, plan=plan.pk))
    if step.response:
        return step.response
    if step.done:
        return redirect("assignments:board", pk=plan.pk)
    context = {**step.context, "plan": plan}
    return render(request, "assignments/import.html", context, status=step.status)

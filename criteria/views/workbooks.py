"""Excel workbooks: download a pre-filled survey or criteria set workbook, import it back
through the shared import flow (``dankhoeo.importflow``)."""

from django.shortcuts import get_object_or_404, redirect, render

from criteria import excel
from criteria.models import CriteriaSet
from criteria.views.common import requested_year
from dankhoeo import access, bounds, downloads, importflow
from dankhoeo import spreadsheets as xl


def survey_workbook(request):
    """A pre-filled workbook: one survey (``?survey=``) or every editable village of a year."""
    survey_pk = bounds.query_int(request.GET, "survey", bounds.ID)
    if survey_pk is not None:
        survey = access.survey_for(request.user, survey_pk)
        filename, content = excel.survey_workbook(request.user, [survey.village], survey.year)
    else:
        year = requested_year(request)
        villages = list(access.villages_editable_by(request.user).in_vietnamese_order())
        filename, content = excel.survey_workbook(request.user, villages, year)
    return downloads.attachment(content, filename=filename, content_type=xl.XLSX_CONTENT_TYPE)


def survey_import(request):
    access.require(access.can_import_surveys(request.user))
    step = importflow.run(request, excel.survey_import_flow(request.user))
    if step.response:
        return step.response
    if step.done:
        return redirect("criteria:surveys")
    context = {**step.context, "year": requested_year(request)}
    return render(request, "criteria/survey_import.html", context, status=step.status)


def set_workbook(request, pk: int):
    criteria_set = get_object_or_404(CriteriaSet, pk=pk)
    filename, content = excel.set_workbook(criteria_set)
    return downloads.attachment(content, filename=filename, content_type=xl.XLSX_CONTENT_TYPE)


def set_import(request, pk: int):
    access.require_staff(request.user)
    criteria_set = get_object_or_404(CriteriaSet, pk=pk)
    step = importflow.run(request, excel.set_import_flow(request.user, criteria_set=pk))
    if step.response:
        return step.response
    if step.done:
        return redirect("criteria:set", pk=pk)
    context = {**step.context, "criteria_set": criteria_set}
    return render(request, "criteria/set_import.html", context, status=step.status)

"""Pages of the criteria app: thin views over ``queries`` (reads) and ``services`` (writes)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from criteria import excel, queries, services, verdicts
from criteria.forms import (
    CriteriaSetForm,
    CriterionForm,
    DeadlineForm,
    EvidenceForm,
    IndicatorForm,
    ReasonForm,
    RecognitionForm,
    SurveyValuesForm,
)
from criteria.models import CriteriaSet, Criterion, Indicator, Survey
from dankhoeo import access, bounds, downloads, importflow, uploads
from dankhoeo.errors import Refused, show_refusal


def _year(request) -> int:
    return bounds.query_int(request.GET, "year", bounds.YEAR, default=queries.current_year())


# --- Surveys --------------------------------------------------------------------------------


def survey_list(request):
    year = _year(request)
    status = request.GET.get("status", "")
    if status not in {*Survey.Status.values, "missing", ""}:
        status = ""
    context = queries.survey_list(
        request.user,
        year,
        status=status,
        page=request.GET.get("page", 1),
        overdue_only=request.GET.get("overdue") == "1",
    )
    context.update(
        year=year,
        status=status,
        overdue_only=request.GET.get("overdue") == "1",
        years=queries.survey_years(),
        statuses=Survey.Status.choices,
        can_import=access.can_import_surveys(request.user),
        can_set_deadline=access.is_staff(request.user),
    )
    return render(request, "criteria/survey_list.html", context)


def survey_open(request, village_pk: int, year: int):
    """The survey of a village for a year, or the page to start it (404 for a year no plan in
    progress covers, unless a survey of that year exists)."""
    village = access.village_for(request.user, village_pk)
    survey = queries.survey_of(village, year)
    if survey is not None:
        return redirect("criteria:survey", pk=survey.pk)
    return _start_page(request, village, year)


def _start_page(request, village, year: int, status: int = 200):
    if not access.is_survey_year(village, year):
        raise Http404
    context = {
        "village": village,
        "year": year,
        "criteria_set": services.criteria_set_for(village, year),
        "can_edit": access.can_start_survey(request.user, village, year),
    }
    return render(request, "criteria/survey_start.html", context, status=status)


@require_POST
def survey_start(request, village_pk: int, year: int):
    village = access.village_for(request.user, village_pk, write=True)
    if not access.is_survey_year(village, year):
        raise Http404
    try:
        survey = services.survey_start(user=request.user, village=village, year=year)
    except Refused as error:
        show_refusal(request, error)
        return _start_page(request, village, year, status=400)
    return redirect("criteria:survey", pk=survey.pk)


def _survey_page(request, survey: Survey, form=None, conflict=None, status=200):
    values = queries.survey_values(survey)
    user = request.user
    can_edit = access.can_edit_survey(user, survey)
    if form is None:
        form = SurveyValuesForm(
            values=values, village=survey.village, initial={"version": survey.version}
        )
    changes, transitions = queries.survey_history(survey)
    blocks = queries.criterion_blocks(survey, values)
    for row in (row for block in blocks for row in block.rows):
        key = row.indicator.pk
        row.field, row.note_field = form[f"v_{key}"], form[f"n_{key}"]
        row.assess_field = form[f"a_{key}"] if f"a_{key}" in form.fields else None
    context = {
        "survey": survey,
        "form": form,
        "blocks": blocks,
        "can_edit": can_edit,
        "actions": access.survey_actions(user, survey),
        "reason_form": ReasonForm(),
        "evidence_form": EvidenceForm(),
        "changes": changes,
        "transitions": transitions,
        "conflict": conflict,
        "recognition": survey.recognitions.first(),
        "recognition_form": RecognitionForm(initial={"body": survey.criteria_set.recognising_body})
        if access.can_record_recognition(user, survey)
        else None,
    }
    return render(request, "criteria/survey_page.html", context, status=status)


def survey_page(request, pk: int):
    return _survey_page(request, access.survey_for(request.user, pk))


@require_POST
def survey_save(request, pk: int):
    """Save the typed values, refusing a stale version. The page's "Attach" buttons
    (``attach=<indicator>``) and its "Submit to the commune" button (``then=submit``) send the
    same form, so that what was typed is saved first and never lost; the file or the step
    follows only when the values were saved."""
    survey = access.survey_for(request.user, pk, write=True)
    values = queries.survey_values(survey)
    form = SurveyValuesForm(request.POST, values=values, village=survey.village)
    if not form.is_valid():
        messages.error(request, _("Some values are not valid: see the marked fields."))
        return _survey_page(request, survey, form=form, status=400)
    try:
        services.survey_save_values(
            user=request.user,
            survey=survey,
            version=form.cleaned_data["version"],
            values=form.value_inputs(),
            reason=form.cleaned_data["reason"],
        )
    except services.SurveyConflict as error:
        messages.error(request, error.messages[0])
        survey.refresh_from_db()
        return _survey_page(request, survey, conflict=error.changes, status=409)
    except Refused as error:
        show_refusal(request, error)
        return redirect("criteria:survey", pk=survey.pk)
    messages.success(request, _("The survey was saved."))
    if request.POST.get("attach", "").isdigit():
        return _attach(request, survey, int(request.POST["attach"]))
    if request.POST.get("then"):
        return _transition(request, survey, request.POST["then"])
    return redirect("criteria:survey", pk=survey.pk)


@require_POST
def survey_verdicts(request, pk: int):
    """For htmx: the verdicts of the values being typed, as out-of-band fragments."""
    survey = access.survey_for(request.user, pk)
    values = queries.survey_values(survey)
    form = SurveyValuesForm(request.POST, values=values, village=survey.village)
    form.is_valid()
    entered = form.value_inputs()
    live = {}
    for value in values:
        key = value.indicator_id
        if f"v_{key}" in form.errors:
            live[key] = "invalid"
            continue
        typed = entered.get(key)
        live[key] = verdicts.indicator_verdict(
            value.indicator,
            typed.value if typed else None,
            survey.village,
            assessed=typed.assessed if typed else None,
        )
    blocks = queries.criterion_blocks(survey, values, verdict_of=lambda v: live[v.indicator_id])
    summary = verdicts.summarise(b.verdict for b in blocks)
    context = {"survey": survey, "blocks": blocks, "summary": summary}
    return render(request, "criteria/_live_verdicts.html", context)


@require_POST
def survey_transition(request, pk: int, action: str):
    """A step of the review workflow: 404 for an unknown step, 403 for a step the user may
    never take, 400 with the reason when the survey cannot take it now."""
    return _transition(request, access.survey_for(request.user, pk), action)


def _transition(request, survey: Survey, action: str):
    transition = services.TRANSITIONS.get(action)
    if transition is None:
        raise Http404
    access.require(access.can_transition(request.user, survey, action))
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        transition(user=request.user, survey=survey, reason=reason)
    except Refused as error:
        show_refusal(request, error)
        return _survey_page(request, survey, status=400)
    else:
        messages.success(
            request,
            _("Done: the survey is now %(status)s.")
            % {"status": Survey.objects.get(pk=survey.pk).get_status_display().lower()},
        )
    return redirect("criteria:survey", pk=survey.pk)


@require_POST
def evidence_upload(request, pk: int, indicator_pk: int):
    survey = access.survey_for(request.user, pk, write=True)
    return _attach(request, survey, indicator_pk)


def _attach(request, survey: Survey, indicator_pk: int):
    """The file chosen for an indicator: ``file-<indicator>`` from the survey form, or
    ``file``."""
    value = get_object_or_404(survey.values, indicator_id=indicator_pk)
    chosen = request.FILES.get(f"file-{indicator_pk}") or request.FILES.get("file")
    form = EvidenceForm(request.POST, {"file": chosen} if chosen else {})
    if not form.is_valid():
        messages.error(request, _("Choose a photo or a PDF file."))
        return redirect("criteria:survey", pk=survey.pk)
    try:
        services.evidence_add(user=request.user, value=value, file=form.cleaned_data["file"])
    except Refused as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The file was attached."))
    return redirect(reverse("criteria:survey", args=[survey.pk]) + f"#indicator-{indicator_pk}")


def evidence_download(request, pk: int):
    evidence = access.evidence_for(request.user, pk)
    return uploads.serve_private(
        evidence.file.path, evidence.original_name, inline=request.GET.get("inline") == "1"
    )


@require_POST
def evidence_delete(request, pk: int):
    evidence = access.evidence_for(request.user, pk, write=True)
    survey = evidence.value.survey
    try:
        services.evidence_remove(user=request.user, evidence=evidence)
    except Refused as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The file was removed."))
    return redirect("criteria:survey", pk=survey.pk)


@require_POST
def recognition_create(request, pk: int):
    survey = access.survey_for(request.user, pk)
    access.require(access.can_record_recognition(request.user, survey))
    form = RecognitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the decision number, its date and who issued it."))
        return redirect("criteria:survey", pk=survey.pk)
    try:
        services.recognition_record(user=request.user, survey=survey, **form.cleaned_data)
    except Refused as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The recognition was recorded."))
    return redirect("criteria:survey", pk=survey.pk)


def deadline_edit(request):
    access.require_staff(request.user)
    form = DeadlineForm(request.POST or None, initial={"year": _year(request)})
    if request.method == "POST" and form.is_valid():
        services.deadline_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("The deadline was saved."))
        return redirect(reverse("criteria:surveys") + f"?year={form.cleaned_data['year']}")
    return render(request, "criteria/form_page.html", {"form": form, "title": _("Survey deadline")})


# --- Survey workbooks -----------------------------------------------------------------------


def survey_workbook(request):
    """A pre-filled workbook: one survey (``?survey=``) or every editable village of a year."""
    survey_pk = bounds.query_int(request.GET, "survey", bounds.ID)
    if survey_pk is not None:
        survey = access.survey_for(request.user, survey_pk)
        filename, content = excel.survey_workbook(request.user, [survey.village], survey.year)
    else:
        year = _year(request)
        villages = list(access.villages_editable_by(request.user).in_vietnamese_order())
        filename, content = excel.survey_workbook(request.user, villages, year)
    return downloads.attachment(content, filename=filename, content_type=excel.xl.XLSX_CONTENT_TYPE)


def survey_import(request):
    access.require(access.can_import_surveys(request.user))
    user = request.user
    flow = importflow.Flow(
        read=lambda source: excel.read_survey_workbook(user, source),
        save=lambda result: excel.apply_survey_import(user, result),
        target="surveys",
    )
    step = importflow.run(request, flow)
    if step.done:
        messages.success(request, _("%(count)s surveys were saved.") % {"count": step.saved})
        return redirect("criteria:surveys")
    context = {**step.context, "year": _year(request)}
    return render(request, "criteria/survey_import.html", context, status=step.status)


# --- Criteria sets --------------------------------------------------------------------------


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


def set_workbook(request, pk: int):
    criteria_set = get_object_or_404(CriteriaSet, pk=pk)
    filename, content = excel.set_workbook(criteria_set)
    return downloads.attachment(content, filename=filename, content_type=excel.xl.XLSX_CONTENT_TYPE)


def set_import(request, pk: int):
    access.require_staff(request.user)
    criteria_set = get_object_or_404(CriteriaSet, pk=pk)
    flow = importflow.Flow(
        read=lambda source: excel.read_set_workbook(criteria_set, source),
        save=lambda result: excel.apply_set_import(request.user, criteria_set, result),
        target=f"criteria set {criteria_set}",
        detail=lambda saved: "",
    )
    step = importflow.run(request, flow)
    if step.done:
        messages.success(request, _("The criteria and indicators were imported."))
        return redirect("criteria:set", pk=pk)
    context = {**step.context, "criteria_set": criteria_set}
    return render(request, "criteria/set_import.html", context, status=step.status)

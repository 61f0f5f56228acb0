"""Pages of the criteria app: thin views over ``queries`` (reads) and ``services`` (writes)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
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
from criteria.models import CriteriaSet, Criterion, Evidence, Indicator, Survey
from dankhoeo import access, audit, downloads, uploads
from dankhoeo.models import User


def _require_writer(user: User) -> None:
    """Viewers read only: any write is a 403."""
    if user.role == User.Role.VIEWER and not user.is_superuser:
        raise PermissionDenied


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or queries.current_year())
    except ValueError:
        return queries.current_year()


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
    )
    return render(request, "criteria/survey_list.html", context)


def survey_open(request, village_pk: int, year: int):
    """The survey of a village for a year, or the page to start it."""
    village = access.get_visible_village(request.user, pk=village_pk)
    survey = Survey.objects.filter(village=village, year=year).order_by("-pk").first()
    if survey is not None:
        return redirect("criteria:survey", pk=survey.pk)
    context = {
        "village": village,
        "year": year,
        "criteria_set": services.criteria_set_for(village, year),
        "can_edit": access.can_edit_village(request.user, village),
    }
    return render(request, "criteria/survey_start.html", context)


@require_POST
def survey_start(request, village_pk: int, year: int):
    village = access.get_visible_village(request.user, pk=village_pk)
    if not access.can_edit_village(request.user, village):
        raise PermissionDenied
    try:
        survey = services.survey_start(user=request.user, village=village, year=year)
    except services.CriteriaError as error:
        messages.error(request, error.messages[0])
        return redirect("criteria:survey-open", village_pk=village.pk, year=year)
    return redirect("criteria:survey", pk=survey.pk)


def _survey_page(request, survey: Survey, form=None, conflict=None, status=200):
    values = queries.survey_values(survey)
    user = request.user
    can_edit = survey.status == Survey.Status.DRAFT and access.can_edit_village(
        user, survey.village
    )
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
        "actions": _actions(user, survey),
        "reason_form": ReasonForm(),
        "evidence_form": EvidenceForm(),
        "changes": changes,
        "transitions": transitions,
        "conflict": conflict,
        "recognition": survey.recognitions.first(),
        "recognition_form": RecognitionForm(initial={"body": survey.criteria_set.recognising_body})
        if user.is_provincial_staff
        else None,
    }
    return render(request, "criteria/survey_page.html", context, status=status)


def _actions(user: User, survey: Survey) -> list[str]:
    """Which workflow buttons to show (the services decide; this only hides the useless)."""
    status = survey.status
    reviewer = user.is_provincial_staff or user.role == User.Role.COMMUNE
    shown = {
        "submit": status == Survey.Status.DRAFT and user.role in (User.Role.LIAISON, "staff"),
        "confirm": status == Survey.Status.SUBMITTED and user.role == User.Role.COMMUNE,
        "approve": status == Survey.Status.CONFIRMED and user.is_provincial_staff,
        "return": status in (Survey.Status.SUBMITTED, Survey.Status.CONFIRMED) and reviewer,
        "reopen": status == Survey.Status.APPROVED and user.is_provincial_staff,
    }
    return [name for name, show in shown.items() if show]


def survey_page(request, pk: int):
    return _survey_page(request, queries.get_visible_survey(request.user, pk))


@require_POST
def survey_save(request, pk: int):
    survey = queries.get_visible_survey(request.user, pk)
    if not access.can_edit_village(request.user, survey.village):
        raise PermissionDenied
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
    except services.CriteriaError as error:
        messages.error(request, error.messages[0])
        return redirect("criteria:survey", pk=survey.pk)
    messages.success(request, _("The survey was saved."))
    return redirect("criteria:survey", pk=survey.pk)


@require_POST
def survey_verdicts(request, pk: int):
    """For htmx: the verdicts of the values being typed, as out-of-band fragments."""
    survey = queries.get_visible_survey(request.user, pk)
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
    survey = queries.get_visible_survey(request.user, pk)
    _require_writer(request.user)
    transition = services.TRANSITIONS.get(action)
    if transition is None:
        raise Http404
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        transition(user=request.user, survey=survey, reason=reason)
    except services.CriteriaError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("Done: the survey is now %(status)s.")
            % {"status": Survey.objects.get(pk=survey.pk).get_status_display().lower()},
        )
    return redirect("criteria:survey", pk=survey.pk)


@require_POST
def evidence_upload(request, pk: int, indicator_pk: int):
    survey = queries.get_visible_survey(request.user, pk)
    if not access.can_edit_village(request.user, survey.village):
        raise PermissionDenied
    value = get_object_or_404(survey.values, indicator_id=indicator_pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a photo or a PDF file."))
        return redirect("criteria:survey", pk=survey.pk)
    try:
        services.evidence_add(user=request.user, value=value, file=form.cleaned_data["file"])
    except services.CriteriaError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The file was attached."))
    return redirect(reverse("criteria:survey", args=[survey.pk]) + f"#indicator-{indicator_pk}")


def _visible_evidence(user: User, pk: int) -> Evidence:
    evidence = get_object_or_404(
        Evidence.objects.select_related("value__survey__village"),
        pk=pk,
        value__survey__village__in=access.villages_visible_to(user),
    )
    return evidence


def evidence_download(request, pk: int):
    evidence = _visible_evidence(request.user, pk)
    return uploads.serve_private(
        evidence.file.path, evidence.original_name, inline=request.GET.get("inline") == "1"
    )


@require_POST
def evidence_delete(request, pk: int):
    evidence = _visible_evidence(request.user, pk)
    survey = evidence.value.survey
    if not access.can_edit_village(request.user, survey.village):
        raise PermissionDenied
    try:
        services.evidence_remove(user=request.user, evidence=evidence)
    except services.CriteriaError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The file was removed."))
    return redirect("criteria:survey", pk=survey.pk)


@require_POST
def recognition_create(request, pk: int):
    survey = queries.get_visible_survey(request.user, pk)
    access.require_staff(request.user)
    form = RecognitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the decision number, its date and who issued it."))
        return redirect("criteria:survey", pk=survey.pk)
    try:
        services.recognition_record(user=request.user, survey=survey, **form.cleaned_data)
    except services.CriteriaError as error:
        messages.error(request, error.messages[0])
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
    if request.GET.get("survey"):
        survey = queries.get_visible_survey(request.user, request.GET["survey"])
        filename, content = excel.survey_workbook(request.user, [survey.village], survey.year)
    else:
        year = _year(request)
        villages = list(access.villages_editable_by(request.user).in_vietnamese_order())
        filename, content = excel.survey_workbook(request.user, villages, year)
    return downloads.attachment(content, filename=filename, content_type=excel.xl.XLSX_CONTENT_TYPE)


def survey_import(request):
    _require_writer(request.user)
    if request.user.role == User.Role.COMMUNE:
        raise PermissionDenied
    user = request.user
    context = _import_step(
        request,
        read=lambda source: excel.read_survey_workbook(user, source),
        apply=lambda result: excel.apply_survey_import(user, result),
        target="surveys",
    )
    if "saved" in context:
        messages.success(request, _("%(count)s surveys were saved.") % {"count": context["saved"]})
        return redirect("criteria:surveys")
    context["year"] = _year(request)
    return render(request, "criteria/survey_import.html", context)


def _import_step(request, *, read, apply, target: str) -> dict:
    """Upload → preview (every error by sheet, row, column) → confirm: saved whole or not, and
    recorded in the security log as an import of ``target``."""
    if request.method != "POST":
        return {}
    token = request.POST.get("token", "")
    try:
        if token:
            result = read(excel.xl.staged_path(request.user, token))
        elif request.FILES.get("file"):
            result = read(request.FILES["file"])
            token = (
                "" if result.errors else excel.xl.stage_upload(request.user, request.FILES["file"])
            )
        else:
            return {"file_error": _("Choose an Excel file (.xlsx).")}
    except excel.xl.SpreadsheetError as error:
        return {"file_error": str(error)}
    if request.POST.get("confirm") and token and not result.errors:
        try:
            saved = apply(result)
        except services.CriteriaError as error:
            return {"file_error": error.messages[0]}
        excel.xl.discard_staged(request.user, token)
        audit.record(
            actor=request.user,
            kind=audit.Kind.IMPORT,
            target=target,
            detail="" if saved is None else str(saved),
            request=request,
        )
        return {"saved": saved}
    return {"result": result, "token": token}


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
        except services.CriteriaError as error:
            messages.error(request, error.messages[0])
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
        lambda f: services.criteria_set_save(user=request.user, form=f),
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
        lambda f: services.criterion_save(user=request.user, form=f, criteria_set=criteria_set),
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
        lambda f: services.indicator_save(user=request.user, form=f, criterion=criterion),
        lambda saved: reverse("criteria:set", args=[criterion.criteria_set_id]),
    )


@require_POST
def criterion_delete(request, pk: int):
    access.require_staff(request.user)
    criterion = get_object_or_404(Criterion, pk=pk)
    try:
        services.criterion_delete(user=request.user, criterion=criterion)
    except services.CriteriaError as error:
        messages.error(request, error.messages[0])
    return redirect("criteria:set", pk=criterion.criteria_set_id)


@require_POST
def indicator_delete(request, pk: int):
    access.require_staff(request.user)
    indicator = get_object_or_404(Indicator.objects.select_related("criterion"), pk=pk)
    try:
        services.indicator_delete(user=request.user, indicator=indicator)
    except services.CriteriaError as error:
        messages.error(request, error.messages[0])
    return redirect("criteria:set", pk=indicator.criterion.criteria_set_id)


def set_workbook(request, pk: int):
    criteria_set = get_object_or_404(CriteriaSet, pk=pk)
    filename, content = excel.set_workbook(criteria_set)
    return downloads.attachment(content, filename=filename, content_type=excel.xl.XLSX_CONTENT_TYPE)


def set_import(request, pk: int):
    access.require_staff(request.user)
    criteria_set = get_object_or_404(CriteriaSet, pk=pk)
    context = _import_step(
        request,
        read=lambda source: excel.read_set_workbook(criteria_set, source),
        apply=lambda result: excel.apply_set_import(request.user, criteria_set, result),
        target=f"criteria set {criteria_set}",
    )
    context["criteria_set"] = criteria_set
    if "saved" in context:
        messages.success(request, _("The criteria and indicators were imported."))
        return redirect("criteria:set", pk=pk)
    return render(request, "criteria/set_import.html", context)

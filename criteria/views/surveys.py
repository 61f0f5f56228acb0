"""Survey pages: the list of a year, a village's survey with its values, verdicts and evidence,
the review steps, the recognition and the year's deadline."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments.models import Plan
from criteria import queries, services, verdicts
from criteria.forms import (
    DeadlineForm,
    EvidenceForm,
    ReasonForm,
    RecognitionForm,
    SurveyValuesForm,
)
from criteria.models import Survey
from criteria.views.common import requested_year
from dankhoeo import access, uploads
from dankhoeo.bounds import ID, whole_number
from dankhoeo.errors import Refused, show_refusal


def survey_list(request):
    this_year = Plan.objects.current_year()  # the year the list opens on, and in the picker
    year = requested_year(request, default=this_year)
    status = request.GET.get("status", "")
    if status not in {*Survey.Status.values, "missing", ""}:
        status = ""
    context = queries.survey_list(
        request.user,
        year,
        status=status,
        page=request.GET.get("page", 1),
        overdue_only=request.GET.get("overdue") == "1",
        this_year=this_year,
    )
    context.update(
        year=year,
        status=status,
        overdue_only=request.GET.get("overdue") == "1",
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
    values = queries.survey_values(survey, village=survey.village)
    user = request.user
    can_edit = access.can_edit_survey(user, survey)
    if form is None:  # the fields of the values only for whoever may enter them
        form = SurveyValuesForm(
            values=values if can_edit else [],
            village=survey.village,
            initial={"version": survey.version},
        )
    changes, transitions = queries.survey_history(survey)
    blocks = queries.criterion_blocks(survey, values)
    for row in (row for block in blocks for row in block.rows) if can_edit else ():
        key = row.indicator.pk
        row.field, row.note_field = form[f"v_{key}"], form[f"n_{key}"]
        row.assess_field = form[f"a_{key}"] if f"a_{key}" in form.fields else None
    context = {
        "survey": survey,
        "form": form,
        "blocks": blocks,
        "can_edit": can_edit,
        "actions": access.survey_actions(user, survey),
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
    follows only when the values were saved. A button that names no step or no indicator of
    the survey is refused before anything is saved."""
    survey = access.survey_for(request.user, pk, write=True)
    attach = whole_number(request.POST.get("attach", ""), ID)
    then = request.POST.get("then", "")
    if (then and then not in services.TRANSITIONS) or (
        attach is not None and not survey.values.filter(indicator_id=attach).exists()
    ):
        raise Http404
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
    if attach is not None:
        return _attach(request, survey, attach)
    if then:
        return _transition(request, survey, then)
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
    form = DeadlineForm(request.POST or None, initial={"year": requested_year(request)})
    if request.method == "POST" and form.is_valid():
        services.deadline_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("The deadline was saved."))
        return redirect(reverse("criteria:surveys") + f"?year={form.cleaned_data['year']}")
    return render(request, "criteria/form_page.html", {"form": form, "title": _("Survey deadline")})

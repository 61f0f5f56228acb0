"""Each survey keeps its totals and the verdict of every criterion; after every kind of write
they equal a recount from the values, indicator by indicator."""

import importlib
from decimal import Decimal

from django.apps import apps
from django.urls import reverse

from criteria import excel, services, verdicts
from criteria.models import Survey
from tests.criteria.conftest import all_met, indicator
from tests.criteria.test_excel import as_upload, fill_all, workbook_for
from tests.criteria.test_services import walk


def recount(survey: Survey) -> tuple:
    """(met, count, reaches, {criterion id: verdict}) from the values, ignoring what is kept."""
    by_criterion = {str(c.pk): [] for c in survey.criteria_set.criteria.all()}
    for value in survey.values.select_related("indicator"):
        by_criterion[str(value.indicator.criterion_id)].append(
            verdicts.indicator_verdict(
                value.indicator, value.typed_value, survey.village, assessed=value.assessed
            )
        )
    per_criterion = {c: verdicts.criterion_verdict(v) for c, v in by_criterion.items()}
    summary = verdicts.summarise(per_criterion.values())
    return (
        summary.criteria_met,
        summary.criteria_count,
        summary.reaches_standard,
        per_criterion,
    )


def kept(survey: Survey) -> tuple:
    survey = Survey.objects.get(pk=survey.pk)
    return (
        survey.criteria_met,
        survey.criteria_count,
        survey.reaches_standard,
        survey.criterion_verdicts,
    )


def assert_kept_equals_recount(survey):
    assert kept(survey) == recount(survey)


def test_a_new_survey_keeps_an_unknown_verdict_for_every_criterion(draft):
    assert_kept_equals_recount(draft)
    assert set(kept(draft)[3].values()) == {"unknown"}
    assert len(kept(draft)[3]) == 10


def test_saving_values_keeps_the_summary(filled, liaison):
    assert_kept_equals_recount(filled)
    assert set(kept(filled)[3].values()) == {"met"}
    roads = indicator(filled, "1.1")
    services.survey_save_values(
        user=liaison,
        survey=filled,
        version=Survey.objects.get(pk=filled.pk).version,
        values={roads.pk: services.ValueInput(value=Decimal(1))},
    )
    assert_kept_equals_recount(filled)
    assert kept(filled)[3][str(roads.criterion_id)] == "not_met"
    assert kept(filled)[:3] == (9, 10, False)


def test_the_workflow_and_a_reopening_keep_the_summary(filled, liaison, commune_officer, staff):
    survey = walk(filled, liaison, commune_officer, staff)
    assert_kept_equals_recount(survey)
    survey = services.survey_reopen(user=staff, survey=survey, reason="Sai số liệu")
    assert_kept_equals_recount(survey)
    poor = indicator(survey, "6.1")
    services.survey_save_values(
        user=liaison,
        survey=survey,
        version=survey.version,
        values={poor.pk: services.ValueInput(value=Decimal(40))},
    )
    assert_kept_equals_recount(survey)
    assert kept(survey)[0] == 9


def test_a_recomputation_keeps_the_summary(filled):
    Survey.objects.filter(pk=filled.pk).update(criterion_verdicts={}, criteria_met=0)
    services.survey_recompute(survey=filled)
    assert_kept_equals_recount(filled)


def test_an_imported_workbook_keeps_the_summary(client_for, liaison, draft, world):
    client = client_for(liaison)
    workbook = workbook_for(client, year=2025)
    fill_all(workbook[str(excel.SURVEY_SHEET)])
    url = reverse("criteria:survey-import")
    preview = client.post(url, {"file": as_upload(workbook)}).content.decode()
    token = preview.split('name="token" value="')[1].split('"')[0]
    client.post(url, {"token": token, "confirm": "1"})
    for survey in Survey.objects.filter(year=2025):
        assert_kept_equals_recount(survey)
    assert Survey.objects.filter(year=2025, criteria_met=10).count() == 2


def test_the_migration_fills_in_the_surveys_made_before_it(filled, draft, liaison, world):
    other = services.survey_start(user=liaison, village=world.second, year=2025)
    services.survey_save_values(
        user=liaison, survey=other, version=other.version, values=all_met(other)
    )
    Survey.objects.update(criterion_verdicts={})
    migration = importlib.import_module("criteria.migrations.0006_survey_criterion_verdicts")
    migration.fill_in(apps, None)
    for survey in (filled, other):
        assert_kept_equals_recount(survey)

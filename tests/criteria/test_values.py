"""Issue 13, the value half, criteria side: nothing a user types or an old row holds breaks a
page, a report or a worker. Each test names the item of the issue it covers."""

import importlib
import io
from decimal import Decimal

import openpyxl
import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction
from django.urls import reverse

from criteria import excel, services
from criteria.models import SurveyValue
from dankhoeo import bounds
from dankhoeo.errors import Refused
from tests.criteria.conftest import indicator
from tests.criteria.test_excel import as_upload, fill_all, workbook_for

pytestmark = pytest.mark.django_db


# Item 1: a survey number that does not fit ----------------------------------------------------


def test_1_an_imported_number_beyond_the_bound_is_refused_in_the_preview(
    client_for, liaison, draft
):
    client = client_for(liaison)
    workbook = workbook_for(client, year=2025)
    sheet = workbook[str(excel.SURVEY_SHEET)]
    col, rows = fill_all(sheet)
    rows[(draft.village.code, "1.1")][col["number"]].value = "12.345.678.901.234"
    response = client.post(reverse("criteria:survey-import"), {"file": as_upload(workbook)})
    assert response.status_code == 200
    assert "1.000.000.000" in response.content.decode()  # the bound, written the Vietnamese way
    draft.refresh_from_db()
    assert draft.version == 1


def test_1_a_survey_holding_an_out_of_range_value_is_repaired_and_works_again(
    client_for, liaison, draft
):
    value = draft.values.get(indicator=indicator(draft, "1.1"))
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.schema_editor() as editor:  # the database as it was before the bounds
        editor.remove_constraint(SurveyValue, _constraint(SurveyValue, "number_bounded"))
    SurveyValue.objects.filter(pk=value.pk).update(value_number=Decimal("500000000000"))
    SurveyValue.history.model.objects.filter(id=value.pk).update(value_number=Decimal("5e11"))
    repair = importlib.import_module("criteria.migrations.0007_repair_out_of_bounds").repair
    repair(apps, None)
    value.refresh_from_db()
    assert value.value_number is None
    assert not SurveyValue.history.model.objects.filter(value_number__gt=10**9).exists()
    client = client_for(liaison)
    assert client.get(reverse("criteria:survey", args=[draft.pk])).status_code == 200
    saved = services.survey_save_values(
        user=liaison,
        survey=draft,
        version=draft.version,
        values={value.indicator_id: services.ValueInput(value=Decimal(80))},
    )
    assert saved.version == draft.version + 1


def _constraint(model, rule: str) -> models.CheckConstraint:
    name = f"{model._meta.app_label}_{model._meta.model_name}_{rule}"
    return next(c for c in model._meta.constraints if c.name == name)


def test_1_the_database_refuses_a_value_beyond_the_bound(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        draft.values.update(value_number=bounds.INDICATOR_NUMBER.maximum + 1)


# Item 8: the preview refuses what the save would --------------------------------------------


@pytest.mark.parametrize(
    "key, value",
    [
        ("number", -1),
        ("number", "99999999999999999999"),
        ("threshold", "1.000.000.000.000"),
        ("threshold_disadvantaged", -5),
    ],
)
def test_8_a_criteria_set_import_refuses_values_out_of_bounds(client_for, staff, kt147, key, value):
    content = client_for(staff).get(reverse("criteria:set-workbook", args=[kt147.pk])).content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook[str(excel.SET_SHEET)]
    column = [c.key for c in excel.set_columns()].index(key) + 1
    sheet.cell(row=2, column=column).value = value
    copy = services.criteria_set_new_version(user=staff, criteria_set=kt147)
    result = excel.read_set_workbook(copy, as_upload(workbook))
    assert [error.cell for error in result.errors] == [f"{chr(64 + column)}2"]


@pytest.mark.parametrize("year", [-1, "99999999999999999999", 0])
def test_8_a_survey_import_refuses_a_year_out_of_bounds(client_for, liaison, draft, year):
    client = client_for(liaison)
    workbook = workbook_for(client, year=2025)
    sheet = workbook[str(excel.SURVEY_SHEET)]
    col, rows = fill_all(sheet)
    rows[(draft.village.code, "1.1")][col["year"]].value = year
    result = excel.read_survey_workbook(liaison, as_upload(workbook))
    assert result.errors


# Item 11: surveys outside the period -------------------------------------------------------------


@pytest.mark.parametrize("year", [0, 2020, 2099])
def test_11_a_survey_outside_its_sets_period_is_refused(world, liaison, year):
    with pytest.raises(Refused):
        services.survey_start(user=liaison, village=world.village, year=year)
    assert not world.village.surveys.exists()


def test_11_the_start_page_refuses_a_year_out_of_the_period(client_for, liaison, world):
    client = client_for(liaison)
    url = reverse("criteria:survey-start", args=[world.village.pk, 2099])
    assert client.post(url).status_code in (400, 404)
    assert not world.village.surveys.exists()
    for year in (2099, 32767, 99999):
        page = client.get(reverse("criteria:survey-open", args=[world.village.pk, year]))
        assert page.status_code in (200, 404)

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from criteria import excel, services
from criteria.models import Survey
from dankhoeo.errors import Refused
from dankhoeo.models import AuditEvent
from tests.criteria.conftest import indicator


def workbook_for(client, **params):
    response = client.get(reverse("criteria:survey-workbook"), params)
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def as_upload(workbook, name="khao-sat.xlsx"):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def rows_by_code(sheet):
    header = [cell.value for cell in sheet[1]]
    return header, {
        (row[0].value, row[5].value): row for row in sheet.iter_rows(min_row=2) if row[0].value
    }


def fill_all(sheet):
    header, rows = rows_by_code(sheet)
    col = {
        key: header.index(str(c.header)) for key, c in ((c.key, c) for c in excel.survey_columns())
    }
    for (_code, ind), row in rows.items():
        kind = row[col["kind"]].value
        if kind in ("Có / Không", "Yes / no"):
            row[col["yes_no"]].value = "có"
        else:
            row[col["number"]].value = 80 if ind != "6.1" else 5
            row[col["assessed"]].value = "có"
    return col, rows


def test_the_template_is_prefilled_for_every_editable_village_with_locked_structure(
    client_for, liaison, draft, world
):
    workbook = workbook_for(client_for(liaison), year=2025)
    sheet = workbook[str(excel.SURVEY_SHEET)]
    _header, rows = rows_by_code(sheet)
    codes = {code for code, _ind in rows}
    assert codes == {world.village.code, world.second.code}
    assert len(rows) == 20
    assert sheet.protection.sheet
    assert sheet.data_validations.dataValidation  # drop-down lists


def test_a_filled_workbook_is_previewed_then_saved_whole(client_for, liaison, draft, world):
    client = client_for(liaison)
    workbook = workbook_for(client, year=2025)
    fill_all(workbook[str(excel.SURVEY_SHEET)])
    url = reverse("criteria:survey-import")
    preview = client.post(url, {"file": as_upload(workbook)})
    content = preview.content.decode()
    assert 'name="token"' in content
    assert Survey.objects.get(pk=draft.pk).version == draft.version
    token = content.split('name="token" value="')[1].split('"')[0]
    client.post(url, {"token": token, "confirm": "1"})
    draft.refresh_from_db()
    assert (draft.criteria_met, draft.criteria_count) == (10, 10)
    second = Survey.objects.get(village=world.second, year=2025)
    assert second.criteria_met == 10
    assert draft.values.get(indicator=indicator(draft, "6.1")).value_number == Decimal(5)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.IMPORT)
    assert (event.actor, event.target, event.detail) == (liaison, "surveys", "2")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda col, row: setattr(row[col["number"]], "value", "abc"), "không phải là số"),
        (lambda col, row: setattr(row[col["number"]], "value", 150), "từ 0 đến 100"),
        (lambda col, row: setattr(row[col["number"]], "value", 12345678901234), "lớn hơn"),
        (lambda col, row: setattr(row[col["year"]], "value", -1), "trở lên"),
        (lambda col, row: setattr(row[col["village_code"]], "value", "NOPE"), "Mã thôn không"),
        (lambda col, row: setattr(row[col["indicator_code"]], "value", "42.9"), "Chỉ tiêu không"),
        (lambda col, row: setattr(row[col["yes_no"]], "value", "có"), "cột"),
    ],
)
def test_errors_are_shown_by_sheet_row_and_column_and_nothing_is_saved(
    client_for, liaison, draft, change, message
):
    client = client_for(liaison)
    workbook = workbook_for(client, year=2025)
    sheet = workbook[str(excel.SURVEY_SHEET)]
    col, rows = fill_all(sheet)
    row = rows[(draft.village.code, "1.1")]
    change(col, row)
    response = client.post(reverse("criteria:survey-import"), {"file": as_upload(workbook)})
    content = response.content.decode()
    assert message.lower() in content.lower()
    assert f"<td>{row[0].row}</td>" in content
    assert not Survey.objects.filter(village=draft.village, version__gt=draft.version).exists()
    assert not Survey.objects.exclude(pk=draft.pk).exists()


def test_a_locked_survey_and_a_village_outside_the_scope_are_errors(
    client_for, liaison, staff, draft, world
):
    client = client_for(liaison)
    workbook = workbook_for(client, year=2025)
    sheet = workbook[str(excel.SURVEY_SHEET)]
    fill_all(sheet)
    Survey.objects.filter(pk=draft.pk).update(status="submitted")
    sheet.cell(row=sheet.max_row, column=1).value = world.outsider.code
    result = excel.read_survey_workbook(liaison, as_upload(workbook))
    messages = " ".join(e.message for e in result.errors)
    assert "chỉ được sửa bản nháp" in messages.lower() or "only a draft" in messages.lower()
    assert any(e.row == sheet.max_row and e.column == "A" for e in result.errors)
    with pytest.raises(Refused):
        excel.apply_survey_import(liaison, result)


def test_a_survey_changed_after_the_download_is_refused(client_for, liaison, draft):
    client = client_for(liaison)
    workbook = workbook_for(client, year=2025)
    fill_all(workbook[str(excel.SURVEY_SHEET)])
    services.survey_save_values(
        user=liaison,
        survey=draft,
        version=draft.version,
        values={indicator(draft, "1.1").pk: services.ValueInput(value=Decimal(1))},
    )
    result = excel.read_survey_workbook(liaison, as_upload(workbook))
    assert any(e.column == "D" for e in result.errors)


def test_the_import_is_all_or_nothing(client_for, liaison, draft, world, monkeypatch):
    workbook = workbook_for(client_for(liaison), year=2025)
    fill_all(workbook[str(excel.SURVEY_SHEET)])
    result = excel.read_survey_workbook(liaison, as_upload(workbook))
    assert not result.errors
    calls = []
    original = services.survey_save_values

    def fail_second(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise Refused("boom")
        return original(**kwargs)

    monkeypatch.setattr(services, "survey_save_values", fail_second)
    with pytest.raises(Refused):
        excel.apply_survey_import(liaison, result)
    assert Survey.objects.get(pk=draft.pk).version == draft.version
    assert not Survey.objects.filter(village=world.second).exists()


def test_a_set_round_trips_through_excel(client_for, staff, kt147):
    client = client_for(staff)
    response = client.get(reverse("criteria:set-workbook", args=[kt147.pk]))
    copy = services.criteria_set_new_version(user=staff, criteria_set=kt147)
    copy.criteria.all().delete()
    upload = io.BytesIO(response.content)
    upload.name = "set.xlsx"
    result = excel.read_set_workbook(copy, upload)
    assert not result.errors
    excel.apply_set_import(staff, copy, result)
    assert copy.criteria.count() == 10
    roads = indicator(Survey(criteria_set=copy), "1.1")
    assert (roads.comparator, roads.threshold, roads.is_placeholder) == ("gte", Decimal(70), True)


def test_a_set_in_use_refuses_an_import(client_for, staff, draft):
    response = client_for(staff).get(reverse("criteria:set-workbook", args=[draft.criteria_set.pk]))
    upload = io.BytesIO(response.content)
    upload.name = "set.xlsx"
    result = excel.read_set_workbook(draft.criteria_set, upload)
    assert result.errors

import io
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assignments import imports, services
from assignments.models import Agency, Assignment
from dankhoeo import spreadsheets as xl
from dankhoeo.errors import Refused
from dankhoeo.models import AuditEvent


def names(*texts) -> list[str]:
    """Sheet names and column headers as a Vietnamese user sees them in the template."""
    from django.utils import translation

    with translation.override("vi"):
        return [str(text) for text in texts]


def headers(columns) -> list[str]:
    return names(*(column.header for column in columns))


def workbook(assignments, agencies=()) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = names(imports.AGENCIES_SHEET)[0]
    sheet.append(headers(imports.AGENCY_COLUMNS))
    for row in agencies:
        sheet.append(row)
    sheet = book.create_sheet(names(imports.ASSIGNMENTS_SHEET)[0])
    sheet.append(headers(imports.ASSIGNMENT_COLUMNS))
    for row in assignments:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def upload(content: bytes, name="phan-cong.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.fixture
def vietnamese_sheets(settings):
    """The sheet and column names are translated; the tests use the Vietnamese ones."""
    from django.utils import translation

    with translation.override("vi"):
        yield


GOOD = [
    ["", "Lang Trong", "Đắk Na", "", "Sở Mới Thử", "Phụ trách", "01/02/2023", ""],
    ["V2", "", "", "STN", "", "Phối hợp", "", ""],
    ["V1", "", "", "", "", "", "", ""],
]
NEW_AGENCY = [["SMT", "Sở Mới Thử", "SMT", "Cơ quan"]]


class TestPreview:
    def test_it_matches_on_codes_then_on_names_without_accents(self, world, vietnamese_sheets):
        preview = imports.preview(io.BytesIO(workbook(GOOD, NEW_AGENCY)), world.plan)
        assert preview.errors == []
        assert [row.status for row in preview.agencies] == ["new"]
        rows = preview.assignments
        assert rows[0].village == world.unassigned_village and rows[0].agency_code == "smt"
        assert rows[1].village == world.other_village and rows[1].agency == world.agency
        assert [row.status for row in rows] == ["new", "new", "unchanged"]

    def test_each_bad_cell_is_reported_by_sheet_row_and_column(self, world, vietnamese_sheets):
        bad = [
            ["X99", "", "", "STN", "", "Phụ trách", "", ""],
            ["", "Làng Không Có", "", "STN", "", "Phối hợp", "", ""],
            ["V3", "", "", "NOPE", "", "Phối hợp", "", ""],
            ["V3", "", "", "STN", "", "Phụ trách", "01/01/2019", ""],
            ["V1", "", "", "BK", "", "Phụ trách", "", ""],
        ]
        preview = imports.preview(io.BytesIO(workbook(bad)), world.plan)
        cells = {(e.row, e.column) for e in preview.errors}
        assert cells == {(2, "A"), (3, "B"), (4, "D"), (5, "G"), (6, "F")}
        messages = " ".join(e.message for e in preview.errors)
        assert "X99" in messages and "NOPE" in messages and "2022-2027" in messages

    def test_two_leads_for_one_village_in_the_file_are_refused(self, world, vietnamese_sheets):
        rows = [
            ["V3", "", "", "STN", "", "Phụ trách", "", ""],
            ["V3", "", "", "BK", "", "Phụ trách", "", ""],
        ]
        preview = imports.preview(io.BytesIO(workbook(rows)), world.plan)
        assert [(e.row, e.column) for e in preview.errors] == [(3, "F")]

    def test_a_file_that_is_not_a_workbook_is_refused(self, world):
        with pytest.raises(xl.SpreadsheetError):
            imports.preview(io.BytesIO(b"%PDF-1.4 not a workbook"), world.plan)


class TestSave:
    def test_it_saves_everything_in_one_go(self, world, vietnamese_sheets):
        preview = imports.preview(io.BytesIO(workbook(GOOD, NEW_AGENCY)), world.plan)
        saved = services.assignments_import(preview=preview, user=None)
        assert saved == {"agencies": 1, "assignments": 2, "villages": 1}
        new = Agency.objects.get(code="SMT")
        lead = Assignment.objects.get(village=world.unassigned_village)
        assert (lead.agency, lead.role, lead.start_date.year) == (new, "lead", 2023)

    def test_nothing_is_saved_when_a_rule_refuses_a_row(self, world, vietnamese_sheets):
        preview = imports.preview(io.BytesIO(workbook(GOOD, NEW_AGENCY)), world.plan)
        # someone else gives the village a lead between preview and confirmation
        services.assignment_set(
            plan=world.plan,
            village=world.unassigned_village,
            agency=world.other_agency,
            role="lead",
            user=None,
        )
        before = Assignment.objects.count()
        with pytest.raises(Refused):
            services.assignments_import(preview=preview, user=None)
        assert Assignment.objects.count() == before
        assert not Agency.objects.filter(code="SMT").exists()


class TestPage:
    def test_staff_uploads_previews_and_confirms(
        self, world, client_for, staff, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        client = client_for(staff)
        address = reverse("assignments:import", args=[world.plan.pk])
        response = client.post(address, {"file": upload(workbook(GOOD, NEW_AGENCY))})
        assert response.status_code == 200
        token = response.context["token"]
        assert not Agency.objects.filter(code="SMT").exists()
        response = client.post(address, {"token": token})
        assert response.status_code == 302
        assert Agency.objects.filter(code="SMT").exists()
        event = AuditEvent.objects.get(kind=AuditEvent.Kind.IMPORT)
        assert (event.actor, event.target) == (staff, f"assignments {world.plan.number}")

    def test_a_file_with_errors_shows_them_and_offers_no_confirmation(
        self, world, client_for, staff, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        response = client_for(staff).post(
            reverse("assignments:import", args=[world.plan.pk]),
            {"file": upload(workbook([["X99", "", "", "STN", "", "", "", ""]]))},
        )
        assert "token" not in response.context
        assert "X99" in response.content.decode()

    def test_the_template_downloads_with_both_sheets(self, world, client_for, staff):
        response = client_for(staff).get(
            reverse("assignments:import-template", args=[world.plan.pk])
        )
        assert xl.read_back_sheet_names(response.content)[:2] == ["Cơ quan", "Phân công"]

    def test_a_liaison_may_not_import(self, world, client_for):
        address = reverse("assignments:import", args=[world.plan.pk])
        assert client_for(world.liaison).get(address).status_code == 403


class TestCommand:
    def test_dry_run_saves_nothing_and_the_real_run_saves(self, world, tmp_path, vietnamese_sheets):
        path = tmp_path / "phan-cong.xlsx"
        path.write_bytes(workbook(GOOD, NEW_AGENCY))
        out = StringIO()
        call_command("import_assignments", str(path), plan="133-KH/TU", dry_run=True, stdout=out)
        assert "Chạy thử" in out.getvalue()
        assert not Agency.objects.filter(code="SMT").exists()
        call_command("import_assignments", str(path), plan="133-KH/TU", stdout=out)
        assert Agency.objects.filter(code="SMT").exists()

    def test_errors_stop_the_command(self, world, tmp_path, vietnamese_sheets):
        path = tmp_path / "bad.xlsx"
        path.write_bytes(workbook([["X99", "", "", "STN", "", "", "", ""]]))
        with pytest.raises(CommandError, match="chưa lưu"):
            call_command("import_assignments", str(path), plan="133-KH/TU", stderr=StringIO())

    def test_an_unknown_plan_or_a_folder_is_refused_in_vietnamese(
        self, world, tmp_path, vietnamese_sheets
    ):
        with pytest.raises(CommandError, match="Không có kế hoạch số 999-KH"):
            call_command("import_assignments", str(tmp_path), plan="999-KH")
        with pytest.raises(CommandError, match="là một thư mục"):
            call_command("import_assignments", str(tmp_path), plan="133-KH/TU")


def test_an_end_before_the_start_is_caught_in_the_preview(world, vietnamese_sheets):
    rows = [["V2", "", "", "STN", "", "Phối hợp", "01/03/2023", "01/02/2023"]]
    preview = imports.preview(workbook(rows), world.plan)
    assert [(e.sheet, e.cell) for e in preview.errors] == [("Phân công", "H2")]
    assert "trước ngày bắt đầu" in preview.errors[0].message


def test_the_preview_counts_agencies_and_assignments_apart_and_names_roles(
    world, client_for, staff, settings, tmp_path, vietnamese_sheets
):
    settings.MEDIA_ROOT = tmp_path
    rows = [["V2", "", "", "SMT", "", "Phối hợp", "", ""]]
    response = client_for(staff).post(
        reverse("assignments:import", args=[world.plan.pk]),
        {"file": upload(workbook(rows, NEW_AGENCY))},
    )
    page = response.content.decode()
    assert "Cơ quan: 1 mới, 0 thay đổi, 0 không đổi." in page
    assert "Phân công: 1 mới, 0 thay đổi, 0 không đổi." in page
    assert "<td>Phối hợp</td>" in page and "supporting" not in page


def test_an_agencies_only_file_shows_the_agencies_errors(world, vietnamese_sheets):
    preview = imports.preview(workbook([], [["SMT", "", "SMT", "Cơ quan"]]), world.plan)
    assert [(e.sheet, e.cell) for e in preview.errors] == [("Cơ quan", "B2")]


def test_an_empty_workbook_is_refused_as_empty(world, vietnamese_sheets):
    with pytest.raises(xl.SpreadsheetError, match="không có dòng"):
        imports.preview(workbook([]), world.plan)

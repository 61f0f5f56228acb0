"""The import of the official village lists: matching, preview, every error, all or nothing."""

import io
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from dankhoeo import spreadsheets as xl
from dankhoeo.errors import Refused
from tests import factories as f
from tests.villages.conftest import xlsx
from villages import imports, services
from villages.models import AdminUnit, Village


@pytest.fixture
def existing(db):
    return {
        "xanh": f.make_village(
            "Đăk Xanh", aliases="Đắk Xanh", code="V-XANH", commune_unit=f.commune("23341")
        ),
        "tum": f.make_village("Đăk Tum", code="V-TUM", commune_unit=f.commune("23374")),
    }


HAPPY = [
    # matched on its code; the flag changes
    {
        "code": "V-TUM",
        "name": "Đăk Tum",
        "commune": "Xã Đăk Môn",
        "district": "Đăk Glei",
        "extremely_disadvantaged": "có",
    },
    # no code: matched on another spelling, in the commune as it was; nothing changes
    {"name": "Đắk Xanh", "commune": "Thị trấn Đăk Glei", "district": "Huyện Đăk Glei"},
    # new, in an old commune given by its code; gets a code made from the commune's
    {"name": "Làng Kon Skôi", "commune": "Đăk Na", "commune_code": 23407, "district": "Tu Mơ Rông"},
    # new, with its code, in a commune of today
    {
        "code": "KS-2",
        "name": "Thôn Mới",
        "commune": "xã đăk sao",
        "latitude": "14,9123",
        "longitude": "107,8456",
    },
]


def by_status(preview):
    return {row.number: (row.status, row.code) for row in preview.rows}


def test_the_preview_says_what_would_happen_and_saves_nothing(existing):
    preview = imports.preview(xlsx(HAPPY))
    assert preview.errors == []
    assert by_status(preview) == {
        2: ("changed", "V-TUM"),
        3: ("unchanged", "V-XANH"),
        4: ("new", "23407-01"),
        5: ("new", "KS-2"),
    }
    assert (preview.new, preview.changed, preview.unchanged) == (2, 1, 1)
    changed = preview.rows[0].changes
    assert [(c.old, c.new) for c in changed] == [("không", "có")]
    assert Village.objects.count() == 2


def test_the_import_saves_every_row(existing):
    services.village_import(source=xlsx(HAPPY))
    assert Village.objects.count() == 4
    existing["tum"].refresh_from_db()
    assert existing["tum"].extremely_disadvantaged
    skoi = Village.objects.get(code="23407-01")
    assert (skoi.name, skoi.commune) == ("Làng Kon Skôi", f.commune("23407"))
    new = Village.objects.get(code="KS-2")
    assert new.commune == f.commune("23416", after_reform=True)
    assert str(new.latitude) == "14.912300"
    assert Village.objects.search("kon skoi").get() == skoi


def test_importing_the_same_file_again_changes_nothing(existing):
    services.village_import(source=xlsx(HAPPY))
    again = imports.preview(xlsx(HAPPY))
    assert {row.status for row in again.rows} == {"unchanged"}


def test_a_new_spelling_becomes_another_spelling_and_a_rename_keeps_the_old_name(existing):
    rows = [
        {"name": "Dak Xanh", "commune": "Xã Đăk Pék"},  # the commune of today
        {"code": "V-TUM", "name": "Đắk Tum", "commune": "Đăk Môn"},
    ]
    services.village_import(source=xlsx(rows))
    xanh, tum = existing["xanh"], existing["tum"]
    xanh.refresh_from_db()
    tum.refresh_from_db()
    assert (xanh.name, xanh.alias_list) == ("Đăk Xanh", ["Đắk Xanh", "Dak Xanh"])
    assert xanh.commune == f.commune("23341")  # it keeps the commune it had
    assert (tum.name, tum.alias_list) == ("Đắk Tum", ["Đăk Tum"])


def test_an_import_makes_a_demo_village_official(existing):
    Village.objects.filter(pk=existing["tum"].pk).update(is_demo=True)
    preview = imports.preview(xlsx([{"code": "V-TUM", "name": "Đăk Tum", "commune": "Đăk Môn"}]))
    assert preview.rows[0].status == "changed"
    services.village_import(
        source=xlsx([{"code": "V-TUM", "name": "Đăk Tum", "commune": "Đăk Môn"}])
    )
    existing["tum"].refresh_from_db()
    assert not existing["tum"].is_demo


def test_the_template_lists_the_villages_and_imports_back_unchanged(existing):
    content = imports.template_workbook(Village.objects.with_places().in_vietnamese_order())
    preview = imports.preview(content)
    assert preview.errors == []
    assert [row.status for row in preview.rows] == ["unchanged", "unchanged"]


# Errors ---------------------------------------------------------------------------------------


def errors(rows) -> dict[tuple[int, str], str]:
    preview = imports.preview(xlsx(rows))
    assert all(error.sheet == str(imports.SHEET) for error in preview.errors)
    return {(error.row, error.column): error.message for error in preview.errors}


def test_an_unknown_commune_is_an_error_on_its_cell(existing):
    found = errors([{"name": "Thôn A", "commune": "Xã Không Có"}])
    assert list(found) == [(2, "D")]
    assert "Xã Không Có" in found[(2, "D")]


def test_an_old_commune_without_its_district_is_unknown(existing):
    assert list(errors([{"name": "Thôn A", "commune": "Xã Đăk Na"}])) == [(2, "D")]


def test_an_unknown_district_and_an_unknown_commune_code(existing):
    found = errors(
        [
            {"name": "Thôn A", "commune": "Đăk Na", "district": "Huyện Không Có"},
            {
                "name": "Thôn B",
                "commune": "Đăk Na",
                "commune_code": "11111",
                "district": "Tu Mơ Rông",
            },
            {
                "name": "Thôn C",
                "commune": "Đăk Sao",
                "commune_code": "23407",
                "district": "Tu Mơ Rông",
            },
        ]
    )
    assert list(found) == [(2, "F"), (3, "E"), (4, "D")]


def test_a_duplicate_code_is_an_error_on_the_second_row(existing):
    found = errors(
        [
            {"code": "D1", "name": "Thôn A", "commune": "Đăk Sao"},
            {"code": "D1", "name": "Thôn B", "commune": "Đăk Sao"},
        ]
    )
    assert list(found) == [(3, "A")]
    assert "2" in found[(3, "A")]


def test_the_same_village_twice_is_an_error(existing):
    found = errors(
        [
            {"code": "V-XANH", "name": "Đăk Xanh", "commune": "Đăk Pék"},
            {"name": "Dak Xanh", "commune": "Đăk Pék"},
            {"name": "Thôn Mới", "commune": "Đăk Sao"},
            {"name": "Thon Moi", "commune": "Đăk Sao"},
        ]
    )
    assert list(found) == [(3, "B"), (5, "B")]


def test_an_empty_name_and_a_wrong_type_are_errors_on_their_cells(existing):
    found = errors(
        [
            {"code": "E1", "commune": "Đăk Sao"},
            {"name": "Thôn B", "commune": "Đăk Sao", "latitude": "mười bốn"},
            {"name": "Thôn C", "commune": "Đăk Sao", "extremely_disadvantaged": "có lẽ"},
        ]
    )
    assert list(found) == [(2, "B"), (3, "I"), (4, "H")]


def test_a_name_that_matches_two_units_is_an_error(existing):
    AdminUnit.objects.create(
        level="commune",
        code="99200",
        name="Xã Đắk Long",
        parent=AdminUnit.objects.get(level="province", code="51"),
        valid_from=f.REFORM,
        search_text="dak long",
        sort_key="x",
    )
    found = errors([{"name": "Thôn A", "commune": "Đăk Long"}])
    assert list(found) == [(2, "D")]
    assert "23368" in found[(2, "D")] and "99200" in found[(2, "D")]


def test_a_name_that_matches_two_villages_is_an_error(existing):
    f.make_village("Đăk Xanh", code="V-XANH-2", commune_unit=f.commune("23353"))  # Đăk Pék
    found = errors([{"name": "Đăk Xanh", "commune": "Đăk Pék"}])  # both are in Đăk Pék now
    assert list(found) == [(2, "B")]
    assert "V-XANH" in found[(2, "B")]


def test_a_wrong_header_is_reported_alone(existing):
    header = ["Mã", *[str(c.header) for c in imports.COLUMNS[1:]]]
    preview = imports.preview(xlsx([{"name": "Thôn A", "commune": "Xã Không Có"}], header=header))
    assert [(e.row, e.column) for e in preview.errors] == [(1, "A")]
    assert preview.rows == []


# All or nothing ---------------------------------------------------------------------------------


def test_one_bad_row_means_nothing_is_saved(existing):
    rows = [{**HAPPY[0]}, {"name": "Thôn A", "commune": "Xã Không Có"}]
    with pytest.raises(services.ImportRefused) as refused:
        services.village_import(source=xlsx(rows))
    assert len(refused.value.preview.errors) == 1
    existing["tum"].refresh_from_db()
    assert not existing["tum"].extremely_disadvantaged


def test_a_failure_while_saving_undoes_the_rows_already_saved(existing, monkeypatch):
    calls = []

    def failing(**signal):  # after every village was written
        calls.append(signal)
        raise Refused("boom")

    monkeypatch.setattr(services.villages_saved_in_bulk, "send", failing)
    with pytest.raises(Refused):
        services.village_import(source=xlsx(HAPPY))
    assert len(calls) == 1
    assert Village.objects.count() == 2
    existing["tum"].refresh_from_db()
    assert not existing["tum"].extremely_disadvantaged


def add_formula(workbook):
    workbook.active["B2"] = "=UPPER(C2)"


def merge(workbook):
    workbook.active.merge_cells("B2:C2")


def extra_sheet(workbook):
    workbook.create_sheet("Ghi chép riêng")


ONE_ROW = [{"name": "Thôn A", "commune": "Đăk Sao"}]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"ten thon,xa\nThon A,Dak Sao\n", xl.SpreadsheetError, id="not-excel"),
        pytest.param(b"PK\x03\x04" + b"0" * xl.MAX_BYTES, xl.SpreadsheetError, id="oversized"),
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
            xl.SpreadsheetError,
            id="password-protected",
        ),
        pytest.param(xlsx(ONE_ROW, change=extra_sheet), xl.SpreadsheetError, id="extra-sheet"),
        pytest.param(xlsx([]), xl.SpreadsheetError, id="empty-sheet"),
        pytest.param(xlsx(ONE_ROW, change=add_formula), services.ImportRefused, id="formula"),
        pytest.param(xlsx(ONE_ROW, change=merge), services.ImportRefused, id="merged-cells"),
    ],
)
def test_bad_files_are_refused_with_a_reason_and_nothing_is_saved(existing, content, expected):
    with pytest.raises(expected) as refused:
        services.village_import(source=content)
    assert str(refused.value)
    if expected is services.ImportRefused:
        assert refused.value.preview.errors[0].row == 2
    assert Village.objects.count() == 2


# The management command -----------------------------------------------------------------------


def test_the_command_checks_only_with_dry_run_and_then_imports(existing, tmp_path):
    path = tmp_path / "thon.xlsx"
    path.write_bytes(xlsx(HAPPY))
    out = StringIO()
    call_command("import_villages", str(path), "--dry-run", stdout=out)
    assert "2 thôn mới, 1 thay đổi, 1 không đổi" in out.getvalue()
    assert Village.objects.count() == 2
    call_command("import_villages", str(path), stdout=StringIO())
    assert Village.objects.count() == 4


def test_the_command_lists_each_error_by_cell_and_fails(existing, tmp_path):
    path = tmp_path / "thon.xlsx"
    path.write_bytes(xlsx([{"name": "Thôn A", "commune": "Xã Không Có"}]))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_villages", str(path), stdout=StringIO(), stderr=err)
    assert "!D2:" in err.getvalue()
    assert Village.objects.count() == 2


def test_the_command_refuses_a_file_that_is_not_excel(existing, tmp_path):
    path = tmp_path / "thon.xlsx"
    path.write_text("not a workbook")
    with pytest.raises(CommandError):
        call_command("import_villages", str(path), stdout=StringIO())


# Scale and limits ---------------------------------------------------------------------------


class CountingSet(set):
    lookups = 0

    def __contains__(self, item):
        CountingSet.lookups += 1
        return super().__contains__(item)


def test_new_codes_are_found_in_one_pass(db):
    matcher = imports.Matcher(imports.Preview(sheet="Thôn"))
    matcher.codes_in_use = CountingSet({"23407-02"})
    commune = f.commune("23407")
    codes = [matcher.new_code(commune) for _ in range(300)]
    assert codes[:3] == ["23407-01", "23407-03", "23407-04"]
    assert len(set(codes)) == 300
    assert CountingSet.lookups < 2 * 300  # counting up from -01 each time takes 45.000


def test_a_file_longer_than_the_import_s_limit_is_refused_naming_the_limit(existing, monkeypatch):
    monkeypatch.setattr(imports.sheet, "MAX_ROWS", 3)  # read by the preview and the template
    rows = [{"name": f"Thôn {n}", "commune": "Đăk Sao"} for n in range(4)]
    with pytest.raises(xl.SpreadsheetError, match="tối đa 3 dòng"):
        imports.preview(xlsx(rows))
    template = openpyxl.load_workbook(io.BytesIO(imports.template_workbook([])))
    notes = [row[0] for row in template["Hướng dẫn"].iter_rows(values_only=True)]
    assert any("tối đa 3 dòng" in (note or "") for note in notes)


def test_other_spellings_are_merged_without_repeats_and_within_the_field(existing):
    village = existing["xanh"]
    village.aliases = "|".join(f"Cách viết {n:03d}" for n in range(40))  # 519 - 40 = 479 chars
    village.aliases = village.aliases[:480].rstrip("|")
    village.save()
    stored = village.aliases
    row = {"code": "V-XANH", "name": "Đăk Xanh", "commune": "Đăk Glei", "district": "Đăk Glei"}
    shouted = stored.upper()
    services.village_import(source=xlsx([{**row, "aliases": shouted}]))
    village.refresh_from_db()
    assert village.aliases == stored
    services.village_import(source=xlsx([{**row, "aliases": shouted}]))
    village.refresh_from_db()
    assert village.aliases == stored
    with pytest.raises(services.ImportRefused) as refused:
        services.village_import(source=xlsx([{**row, "aliases": "Một cách viết mới dài"}]))
    assert [(e.cell, "500" in e.message) for e in refused.value.preview.errors] == [("C2", True)]
    village.refresh_from_db()
    assert village.aliases == stored


def test_saving_an_import_costs_a_few_queries_whatever_its_rows(
    existing, django_assert_max_num_queries
):
    rows = [{"name": f"Thôn Số {n}", "commune": "xã đăk sao"} for n in range(120)]
    rows.append(HAPPY[0])  # one village changes
    preview = imports.preview(xlsx(rows))
    assert (preview.new, preview.changed, preview.errors) == (120, 1, [])
    with django_assert_max_num_queries(12):
        services.village_import_save(preview=preview)
    assert Village.objects.filter(name__startswith="Thôn Số").count() == 120
    assert Village.objects.get(code="V-TUM").extremely_disadvantaged is True


def test_a_batched_import_keeps_the_rule_of_unique_codes(existing):
    preview = imports.preview(
        xlsx([{"code": "KS-9", "name": "Thôn Chín", "commune": "xã đăk sao"}])
    )
    f.make_village("Thôn Khác", code="KS-9")  # taken meanwhile, after the preview
    with pytest.raises(Refused, match="KS-9"):
        services.village_import_save(preview=preview)
    assert not Village.objects.filter(name="Thôn Chín").exists()


def test_a_batched_import_tells_the_reports_that_villages_changed(existing, monkeypatch):
    from reports import caching

    before = caching.generation()
    services.village_import_save(preview=imports.preview(xlsx(HAPPY)))
    assert caching.generation() != before

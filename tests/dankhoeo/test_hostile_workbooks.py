"""Workbooks built to break the imports (issue #13): values that Excel itself never writes,
damaged XML, parts that would take the reader's memory, names written to deceive. Each is
refused with a Vietnamese message naming the sheet, row and column where there is one; never
a 500, never a partial save, through the library, the upload page and the command alike."""

import io
import re
import tracemalloc
import unicodedata
import zipfile
from io import StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from dankhoeo import money
from dankhoeo import spreadsheets as xl
from tests import factories as f
from tests.villages.conftest import headers, xlsx
from villages import imports, services
from villages.models import Village

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"
TITLE = "Thôn, làng"
UNREADABLE = "chính Excel cũng không đọc được"


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def patched(content: bytes, member: str, change) -> bytes:
    """The same workbook with one member's text changed by ``change`` (a new member when it
    did not exist: ``change`` gets "")."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        names = source.namelist()
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                data = change(data.decode()).encode()
            target.writestr(info, data)
        if member not in names:
            target.writestr(member, change("").encode())
    return output.getvalue()


def with_cell(cell_xml: str, content: bytes | None = None) -> bytes:
    """A village list of one good row whose cell B2 (the village's name) is ``cell_xml``."""
    content = content or xlsx([{"name": "Thôn Một", "commune": "Xã Đăk Sao"}])

    def change(text: str) -> str:
        return re.sub(r'<c r="B2"[^>]*(/>|>.*?</c>)', cell_xml, text, count=1)

    return patched(content, SHEET, change)


def preview(content: bytes):
    return imports.preview(content)


# Values Excel never writes --------------------------------------------------------------------

STORED = {
    "a number NaN": '<c r="B2"><v>NaN</v></c>',
    "a number INF": '<c r="B2"><v>INF</v></c>',
    "a number -Infinity": '<c r="B2" t="n"><v>-Infinity</v></c>',
    "a number in hex": '<c r="B2"><v>0x10</v></c>',
    "text in a number cell": '<c r="B2" t="n"><v>Thôn</v></c>',
    "a shared string past the table": '<c r="B2" t="s"><v>99999</v></c>',
    "a negative shared string": '<c r="B2" t="s"><v>-1</v></c>',
    "a shared string named by a word": '<c r="B2" t="s"><v>one</v></c>',
    "a yes/no cell holding 7": '<c r="B2" t="b"><v>7</v></c>',
    "a date cell holding a word": '<c r="B2" t="d"><v>hôm qua</v></c>',
    "a style that is not a number": '<c r="B2" s="x"><v>1</v></c>',
    "an address that is not one": '<c r="B0"><v>1</v></c>',
}


@pytest.mark.parametrize("cell", STORED.values(), ids=STORED.keys())
def test_a_value_excel_never_writes_is_named_by_its_cell(db, cell):
    result = preview(with_cell(cell))
    assert result.rows == []
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [(TITLE, 2, "B")]
    assert UNREADABLE in result.errors[0].message or "Excel có thể ghi" in result.errors[0].message


def test_a_row_number_that_is_not_one_is_reported(db):
    content = patched(
        xlsx([{"name": "Thôn Một", "commune": "Xã Đăk Sao"}]),
        SHEET,
        lambda text: text.replace('<row r="2"', '<row r="2.5"', 1),
    )
    result = preview(content)
    assert result.rows == []
    assert [(e.sheet, e.row) for e in result.errors] == [(TITLE, 2)]
    assert "2.5" in result.errors[0].message


def test_a_long_unreadable_value_is_quoted_short(db):
    result = preview(with_cell(f'<c r="B2"><v>{"9" * 50}x{"9" * 500}</v></c>'))
    assert len(result.errors[0].message) < 200


@pytest.mark.parametrize(
    ("value", "shown"),
    [("1e308", "1e+308"), ("-1e308", "-1e+308"), ("1e400", "inf"), ("1e-320", "1e-320")],
)
def test_extreme_numbers_where_a_name_belongs_are_read_as_text_or_refused(db, value, shown):
    """Excel writes 1E+308 as a number; a name column reads it as its text, never crashes."""
    result = preview(with_cell(f'<c r="B2"><v>{value}</v></c>'))
    assert all(error.row == 2 for error in result.errors)


def test_damaged_sheet_xml_is_refused_with_the_part_s_name(db):
    content = patched(
        xlsx([{"name": "Thôn Một", "commune": "Xã Đăk Sao"}]), SHEET, lambda t: t[:-40]
    )
    with pytest.raises(xl.SpreadsheetError, match=f"Phần {SHEET} của tệp bị hỏng"):
        preview(content)


def test_a_sheet_setting_the_reader_chokes_on_is_refused(db):
    def change(text: str) -> str:
        return text.replace("<sheetData", '<sheetFormatPr defaultRowHeight="tall"/><sheetData', 1)

    content = patched(xlsx([{"name": "Thôn Một", "commune": "Xã Đăk Sao"}]), SHEET, change)
    with pytest.raises(xl.SpreadsheetError, match=f"Trang tính “{TITLE}” bị hỏng"):
        preview(content)


def test_a_bad_setting_after_the_rows_is_never_read(db):
    def change(text: str) -> str:
        return text.replace("</worksheet>", '<pageMargins left="wide"/></worksheet>')

    content = patched(xlsx([{"name": "Thôn Một", "commune": "Xã Đăk Sao"}]), SHEET, change)
    assert [row.name for row in preview(content).rows] == ["Thôn Một"]


def test_thousands_of_sheets_are_named_a_few_at_a_time(db):
    def sheets(workbook):
        for number in range(300):
            workbook.create_sheet(f"Trang {number}")

    with pytest.raises(xl.SpreadsheetError) as refused:
        preview(xlsx([{"name": "Thôn Một", "commune": "Xã Đăk Sao"}], change=sheets))
    message = str(refused.value)
    assert "“Trang 0”" in message and "“Trang 4”" in message and "“Trang 5”" not in message
    assert "và 295 trang tính khác" in message


# Through the page and the command ------------------------------------------------------------


def test_the_upload_page_lists_the_unreadable_cell_and_saves_nothing(
    client_for, staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    f.make_village("Thôn Cũ")
    content = with_cell('<c r="B2"><v>NaN</v></c>')
    response = client_for(staff).post(
        reverse("villages:import"), {"file": SimpleUploadedFile("thon.xlsx", content)}
    )
    assert response.status_code == 200
    assert "token" not in response.context
    assert "<td>2</td><td>B</td>" in response.content.decode()
    assert Village.objects.count() == 1
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []  # nothing staged


def test_the_command_names_the_unreadable_cell_and_saves_nothing(db, tmp_path):
    path = tmp_path / "thon.xlsx"
    path.write_bytes(with_cell('<c r="B2" t="s"><v>99999</v></c>'))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_villages", str(path), stdout=StringIO(), stderr=err)
    assert f"{TITLE}!B2:" in err.getvalue()
    assert Village.objects.count() == 0


def test_the_command_refuses_a_damaged_sheet_in_vietnamese(db, tmp_path):
    path = tmp_path / "thon.xlsx"
    path.write_bytes(
        patched(xlsx([{"name": "Thôn Một", "commune": "Xã Đăk Sao"}]), SHEET, lambda t: t[:-40])
    )
    with pytest.raises(CommandError, match="bị hỏng"):
        call_command("import_villages", str(path), stdout=StringIO())


# Parts that cost the reader its memory -------------------------------------------------------

GOOD = [{"name": "Thôn Một", "commune": "Xã Đăk Sao"}]
MB = 1024 * 1024
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def streamed(content: bytes, member: str, head: str, repeat: str, times: int, tail: str) -> bytes:
    """The workbook with ``member`` written as head + repeat * times + tail, in chunks."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info))
        with target.open(member, "w") as part:
            part.write(head.encode())
            block = (repeat * 1000).encode()
            for _ in range(times // 1000):
                part.write(block)
            part.write(tail.encode())
    return output.getvalue()


def with_peak(action):
    """What ``action()`` returns, and the peak of Python memory it took."""
    tracemalloc.start()
    try:
        outcome = action()
        return outcome, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def refused_cheaply(content: bytes) -> str:
    """The refusal's message; the refusal costs less than 20 MB of Python memory."""

    def refuse():
        with pytest.raises(xl.SpreadsheetError) as refused:
            preview(content)
        return refused.value

    error, peak = with_peak(refuse)
    assert peak < 20 * MB
    return str(error)


def test_a_style_table_of_a_million_styles_is_refused_before_openpyxl_builds_it(db):
    content = streamed(
        xlsx(GOOD),
        "xl/styles.xml",
        f'<styleSheet xmlns="{NS}"><cellXfs>',
        '<xf numFmtId="0"/>',
        1_000_000,
        "</cellXfs></styleSheet>",
    )
    message = refused_cheaply(content)
    assert "xl/styles.xml" in message and "70.000" in message


def test_a_string_table_of_a_million_strings_for_one_cell_is_refused(db):
    content = streamed(
        xlsx(GOOD),
        "xl/sharedStrings.xml",
        f'<sst xmlns="{NS}">',
        "<si><t>x</t></si>",
        1_000_000,
        "</sst>",
    )
    assert "400.000" in refused_cheaply(content)


@pytest.mark.parametrize("member", [SHEET, "xl/styles.xml", "xl/workbook.xml"])
def test_elements_nested_a_hundred_thousand_deep_are_refused(db, member):
    def deep(text: str) -> str:
        nested = "<x:a>" * 100_000 + "</x:a>" * 100_000
        return re.sub(r"(<[a-zA-Z]+ )", r'\1xmlns:x="urn:x" ', text, count=1).replace(
            "</", nested + "</", 1
        )

    content = patched(xlsx(GOOD), member, deep)
    assert "sâu hơn 100 cấp" in refused_cheaply(content)


ENTITIES = {
    "an internal entity": '<!DOCTYPE x [<!ENTITY e "Thôn">]>',
    "entities that multiply": '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
    "an external entity": '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    "an external DTD": '<!DOCTYPE x SYSTEM "http://example.invalid/x.dtd">',
}


@pytest.mark.parametrize("member", [SHEET, "xl/workbook.xml", "[Content_Types].xml", "_rels/.rels"])
@pytest.mark.parametrize("declaration", ENTITIES.values(), ids=ENTITIES.keys())
def test_a_document_type_in_any_part_is_refused(db, member, declaration):
    def declare(text: str) -> str:
        return re.sub(r"^(<\?xml[^>]*\?>)?", lambda m: (m.group(0) or "") + declaration, text)

    message = refused_cheaply(patched(xlsx(GOOD), member, declare))
    assert f"Phần {member} của tệp có khai báo kiểu tài liệu" in message


def test_a_sheet_hidden_under_another_name_is_checked_all_the_same(db):
    content = xlsx(GOOD)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read(SHEET).decode()
    moved = patched(
        content,
        "xl/_rels/workbook.xml.rels",
        lambda text: text.replace("/xl/worksheets/sheet1.xml", "/xl/media/picture.png"),
    )
    moved = patched(
        moved, "xl/media/picture.png", lambda _: ENTITIES["an internal entity"] + sheet_xml
    )
    assert "Phần xl/media/picture.png" in refused_cheaply(moved)


def test_a_sheet_where_the_relationships_say_is_read_there(db):
    with zipfile.ZipFile(io.BytesIO(xlsx([{**GOOD[0], "name": "Thôn Hai"}]))) as archive:
        other_xml = archive.read(SHEET).decode()
    moved = patched(
        xlsx(GOOD),
        "xl/_rels/workbook.xml.rels",
        lambda text: text.replace("/xl/worksheets/sheet1.xml", "/xl/elsewhere/data.xml"),
    )
    moved = patched(moved, "xl/elsewhere/data.xml", lambda _: other_xml)
    assert [row.name for row in preview(moved).rows] == ["Thôn Hai"]


@pytest.mark.parametrize(
    "target",
    [
        "../../etc/passwd",
        "/etc/passwd",
        'http://example.invalid/sheet.xml" TargetMode="External',
        "worksheets/missing.xml",
    ],
)
def test_a_sheet_pointing_outside_the_file_is_not_found(db, target):
    content = patched(
        xlsx(GOOD),
        "xl/_rels/workbook.xml.rels",
        lambda text: text.replace("/xl/worksheets/sheet1.xml", target),
    )
    with pytest.raises(xl.SpreadsheetError):
        preview(content)


def test_a_sheet_of_other_elements_than_cells_is_refused(db):
    content = streamed(
        xlsx(GOOD),
        SHEET,
        f'<worksheet xmlns="{NS}"><sheetData/><extLst>',
        "<ext/>",
        300_000,
        "</extLst></worksheet>",
    )
    assert "quá nhiều ô" in refused_cheaply(content)


def test_thousands_of_sheets_are_refused_from_the_workbook_s_list(db):
    def many(text: str) -> str:
        sheets = "".join(
            f'<sheet name="T{n}" sheetId="{n + 9}" {R} r:id="rId1"/>' for n in range(1001)
        )
        return text.replace("</sheets>", sheets + "</sheets>")

    message = refused_cheaply(patched(xlsx(GOOD), "xl/workbook.xml", many))
    assert "xl/workbook.xml" in message and "1.000" in message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Tên thôn,Xã\nThôn Một,Xã Đăk Sao\n".encode(), "không phải là tệp Excel"),
        (
            b"<html><body><table><tr><td>Th\xc3\xb4n</td></tr></table></body></html>",
            "không phải là tệp Excel",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000), "định dạng .xls cũ"),
    ],
    ids=["csv", "html", "xls"],
)
def test_files_named_xlsx_that_are_something_else_are_refused(db, content, message):
    with pytest.raises(xl.SpreadsheetError, match=message):
        preview(content)


def test_an_opendocument_spreadsheet_is_refused(db):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(
            "content.xml",
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
            'office:1.0"/>',
        )
    with pytest.raises(xl.SpreadsheetError, match="Không đọc được tệp"):
        preview(output.getvalue())


def test_a_file_of_a_thousand_errors_shows_a_page_of_five_hundred(client_for, staff):
    rows = [{"name": f"Thôn {n}", "commune": "Xã Không Có"} for n in range(1000)]
    response = client_for(staff).post(
        reverse("villages:import"), {"file": SimpleUploadedFile("thon.xlsx", xlsx(rows))}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tệp có 1000 lỗi" in page or "1.000 lỗi" in page
    assert page.count("Xã Không Có") == 500
    assert "Chỉ liệt kê 500 lỗi đầu tiên" in page


def test_values_right_of_the_template_are_reported_once_per_column(db):
    def far_right(workbook):
        sheet = workbook.active
        for row in range(2, 52):
            sheet.cell(row=row, column=30, value="ghi chú")

    rows = [{"name": f"Thôn {n}", "commune": "Xã Đăk Sao"} for n in range(50)]
    errors = [e for e in preview(xlsx(rows, change=far_right)).errors if e.column == "AD"]
    assert [(e.row, e.column) for e in errors] == [(2, "AD")]


# Names as macOS, copy-paste and attackers type them --------------------------------------------


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_names_typed_decomposed_match_the_stored_ones_and_are_stored_composed(db):
    row = {"name": nfd("Thôn Đắk Rơ Ông"), "commune": nfd("Xã Đăk Sao")}
    assert row["name"] != "Thôn Đắk Rơ Ông"
    services.village_import(source=xlsx([row]))
    village = Village.objects.get()
    assert village.name == "Thôn Đắk Rơ Ông"
    assert village.commune.name == "Xã Đăk Sao"
    again = preview(xlsx([{"name": "Thôn Đắk Rơ Ông", "commune": "Xã Đăk Sao"}]))
    assert [(r.status, r.village) for r in again.rows] == [("unchanged", village)]
    decomposed = preview(xlsx([row]))
    assert [(r.status, r.village) for r in decomposed.rows] == [("unchanged", village)]


def test_direction_and_zero_width_characters_are_dropped_from_names(db):
    row = {"name": "Thôn\u200b Mới\u202e\u2066 1\u2069\u200f", "commune": "Xã\ufeff Đăk Sao"}
    services.village_import(source=xlsx([row]))
    assert Village.objects.get().name == "Thôn Mới 1"
    # the same name, typed clean, is the same village
    again = preview(xlsx([{"name": "Thôn Mới 1", "commune": "Xã Đăk Sao"}]))
    assert [r.status for r in again.rows] == ["unchanged"]


def test_a_control_character_xml_cannot_carry_makes_the_part_damaged(db):
    content = with_cell('<c r="B2" t="inlineStr"><is><t>Thôn&#x7; Một</t></is></c>')
    with pytest.raises(xl.SpreadsheetError, match="bị hỏng"):
        preview(content)


def test_headers_decomposed_spaced_or_with_invisible_characters_are_the_template_s(db):
    header = [nfd(f"  {text}\u200b ").replace(" ", "  ") if text else text for text in headers()]
    result = preview(xlsx(GOOD, header=header))
    assert result.errors == []
    assert [r.name for r in result.rows] == ["Thôn Một"]


def test_a_missing_or_doubled_header_is_named_by_its_column_and_nothing_is_read(db):
    missing = preview(xlsx([GOOD[0], GOOD[0]], header=["Thôn Một", "Xã Đăk Sao"]))
    assert missing.rows == [] and {e.row for e in missing.errors} == {1}
    doubled = headers()
    doubled[2] = doubled[1]
    result = preview(xlsx(GOOD, header=doubled))
    assert result.rows == []
    assert [(e.row, e.column) for e in result.errors] == [(1, "C")]


def test_a_cell_of_32767_characters_is_refused_by_its_length(db):
    result = preview(xlsx([{"name": "T" * 32767, "commune": "Xã Đăk Sao"}]))
    assert result.rows == []
    assert [(e.row, e.column) for e in result.errors] == [(2, "B")]
    assert "200" in result.errors[0].message


def test_a_date_cell_holding_a_number_no_calendar_has_is_named(db):
    columns = [xl.Column("name", "Tên"), xl.Column("day", "Ngày", kind="date")]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Lịch"
    sheet.append(["Tên", "Ngày"])
    sheet.append(["Thôn Một", 1e10])
    sheet["B2"].number_format = "dd/mm/yyyy"
    output = io.BytesIO()
    workbook.save(output)
    table = xl.read_table(xl.open_workbook(output.getvalue()), sheet="Lịch", columns=columns)
    assert table.rows == []
    assert [(e.row, e.column) for e in table.errors] == [(2, "B")]
    assert UNREADABLE in table.errors[0].message


@pytest.mark.parametrize("typed", ["1e999999999", "-1e999999999", "9" * 400])
def test_a_whole_number_of_a_billion_digits_is_refused_without_being_built(typed):
    """int() of Decimal("1e999999999") would take minutes and gigabytes."""
    column = xl.Column("version", "Phiên bản", kind="integer")
    with translation.override("vi"), pytest.raises(ValueError, match=r"9\.223\.372\.036\.854\.775"):
        xl.convert(column, typed)


@pytest.mark.parametrize("typed", ["1e999999999", "-1e999999999", "1e-999999999", "1e308"])
def test_coordinates_of_any_size_are_errors_of_their_cell(db, typed):
    row = {"name": "Thôn Một", "commune": "Xã Đăk Sao", "latitude": typed, "longitude": "108"}
    result = preview(xlsx([row]))
    assert result.rows == []
    assert {(e.row, e.column) for e in result.errors} <= {(2, "I"), (2, "J")}
    assert result.errors


def test_a_long_bad_value_is_quoted_short_in_its_error():
    column = xl.Column("version", "Phiên bản", kind="integer")
    with translation.override("vi"), pytest.raises(ValueError) as refused:
        xl.convert(column, "x\u202e" * 20000)
    assert len(str(refused.value)) < 100
    assert "\u202e" not in str(refused.value)


def test_sheet_names_in_a_message_are_printable(db):
    def odd(workbook):
        workbook.create_sheet("Trang\u202e\u200bgpj")

    with pytest.raises(xl.SpreadsheetError) as refused:
        preview(xlsx(GOOD, change=odd))
    assert "“Tranggpj”" in str(refused.value)


@pytest.mark.parametrize("typed", [1e-320, "1e-99999", "-1e-999999999", "0,00000000001"])
def test_a_number_smaller_than_any_kept_is_refused_rather_than_written_out(typed):
    column = xl.Column("value", "Giá trị", kind="decimal")
    with translation.override("vi"), pytest.raises(ValueError, match="10 chữ số thập phân"):
        xl.convert(column, typed)


def test_small_numbers_the_app_keeps_are_read():
    column = xl.Column("value", "Giá trị", kind="decimal")
    assert str(xl.convert(column, "0,0001")) == "0.0001"
    assert xl.convert(column, 0) == 0
    assert xl.convert(column, "1e-10") > 0


def test_settings_after_the_rows_are_not_read(db):
    """24.000 drop-down lists after the last row: the reader stops at the last row instead of
    building them all (tens of megabytes)."""
    validation = (
        '<dataValidation type="list" sqref="A1"><formula1>"a,b"</formula1></dataValidation>'
    )

    def after_rows(text: str) -> str:
        lists = f'<dataValidations count="24000">{validation * 24000}</dataValidations>'
        return text.replace("</sheetData>", "</sheetData>" + lists, 1)

    content = patched(xlsx(GOOD), SHEET, after_rows)
    result, peak = with_peak(lambda: preview(content))
    assert [row.name for row in result.rows] == ["Thôn Một"]
    assert peak < 15 * MB


def test_fifty_thousand_settings_in_a_sheet_are_refused_cheaply(db):
    content = streamed(
        xlsx(GOOD),
        SHEET,
        f'<worksheet xmlns="{NS}"><sheetData/><dataValidations>',
        '<dataValidation type="list" sqref="A1"/>',
        60_000,
        "</dataValidations></worksheet>",
    )
    assert "quá nhiều ô" in refused_cheaply(content)


@pytest.mark.parametrize(
    ("member", "head", "repeat", "tail"),
    [
        ("xl/styles.xml", f'<styleSheet xmlns="{NS}"><fonts>', "<font/>", "</fonts></styleSheet>"),
        (
            "xl/workbook.xml",
            f'<workbook xmlns="{NS}"><definedNames>',
            '<definedName name="x">A1</definedName>',
            "</definedNames></workbook>",
        ),
        (
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
            '<Override PartName="/x.xml" ContentType="application/xml"/>',
            "</Types>",
        ),
    ],
    ids=["fonts", "named ranges", "content types"],
)
def test_sixty_thousand_of_what_openpyxl_builds_on_opening_are_refused(
    db, member, head, repeat, tail
):
    content = streamed(xlsx(GOOD), member, head, repeat, 60_000, tail)
    message = refused_cheaply(content)
    assert member in message and "50.000" in message


def test_a_link_to_another_workbook_is_not_read(db):
    """The cached cells of a linked workbook can be millions; openpyxl would build them all."""
    relationship = (
        '<Relationship Id="rId99" Target="externalLinks/externalLink1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'externalLink"/></Relationships>'
    )
    content = patched(
        xlsx(GOOD),
        "xl/_rels/workbook.xml.rels",
        lambda text: text.replace("</Relationships>", relationship),
    )
    content = patched(
        content,
        "xl/workbook.xml",
        lambda text: text.replace(
            "</sheets>",
            f'</sheets><externalReferences><externalReference {R} r:id="rId99"/>'
            "</externalReferences>",
        ),
    )
    content = streamed(
        content,
        "xl/externalLinks/externalLink1.xml",
        f'<externalLink xmlns="{NS}"><externalBook><sheetDataSet><sheetData sheetId="0">'
        '<row r="1">',
        '<cell r="A1"><v>1</v></cell>',
        200_000,
        "</row></sheetData></sheetDataSet></externalBook></externalLink>",
    )
    result, peak = with_peak(lambda: preview(content))
    assert [row.name for row in result.rows] == ["Thôn Một"]
    assert peak < 20 * MB


def test_a_number_cell_of_a_hundred_thousand_digits_and_a_letter_is_named_in_one_pass(db):
    """A pattern that backtracks would try every split of the digits (this test would not
    end)."""
    result = preview(with_cell(f'<c r="B2"><v>{"1" * 100_000}x</v></c>'))
    assert [(e.row, e.column) for e in result.errors] == [(2, "B")]
    assert UNREADABLE in result.errors[0].message


@pytest.mark.parametrize("kind", ["decimal", "integer"])
def test_a_number_typed_as_a_very_long_text_is_refused_at_once(kind):
    column = xl.Column("value", "Giá trị", kind=kind)
    with translation.override("vi"), pytest.raises(ValueError, match="không phải"):
        xl.convert(column, "1" * 1_000_000 + "x")


def test_a_cell_of_spaces_between_two_letters_is_cleaned_in_one_pass(db):
    """Trimming with a pattern anchored at the end tried each of the spaces to the end: 33 s
    for 30.000, about an hour for these 300.000 (this test would not end)."""
    name = "T" + " " * 300_000 + "x"
    result = preview(
        with_cell(f'<c r="B2" t="inlineStr"><is><t xml:space="preserve">{name}</t></is></c>')
    )
    assert [row.name for row in result.rows] == ["T x"]


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("1.250.000 đ", 1250000), ("1250000đồng", 1250000), ("15 VNĐ.", 15), ("7\t₫", 7)],
)
def test_amounts_with_their_currency_word_are_still_read(typed, amount):
    assert money.parse_whole_amount(typed) == amount


def test_an_amount_of_spaces_between_two_characters_is_refused_in_one_pass():
    """The currency pattern tried each of the spaces to the end: 17 s for 10.000 (this test,
    of 300.000, would not end)."""
    with pytest.raises(money.AmountError):
        money.parse_whole_amount("1" + " " * 300_000 + "x")

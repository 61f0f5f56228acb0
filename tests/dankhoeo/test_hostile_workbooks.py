"""Workbooks built to break the imports (issue #13): values that Excel itself never writes,
damaged XML, parts that would take the reader's memory, names written to deceive. Each is
refused with a Vietnamese message naming the sheet, row and column where there is one; never
a 500, never a partial save, through the library, the upload page and the command alike."""

import io
import re
import zipfile
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from dankhoeo import spreadsheets as xl
from tests import factories as f
from tests.villages.conftest import xlsx
from villages import imports
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


def test_damaged_sheet_xml_is_refused_with_the_sheet_s_name(db):
    content = patched(
        xlsx([{"name": "Thôn Một", "commune": "Xã Đăk Sao"}]), SHEET, lambda t: t[:-40]
    )
    with pytest.raises(xl.SpreadsheetError, match=f"Trang tính “{TITLE}” bị hỏng"):
        preview(content)


def test_a_sheet_setting_the_reader_chokes_on_is_refused(db):
    def change(text: str) -> str:
        return text.replace("</worksheet>", '<pageMargins left="wide"/></worksheet>')

    content = patched(xlsx([{"name": "Thôn Một", "commune": "Xã Đăk Sao"}]), SHEET, change)
    with pytest.raises(xl.SpreadsheetError, match=f"Trang tính “{TITLE}” bị hỏng"):
        preview(content)


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


def test_the_upload_page_lists_the_unreadable_cell_and_saves_nothing(client_for, staff):
    f.make_village("Thôn Cũ")
    content = with_cell('<c r="B2"><v>NaN</v></c>')
    response = client_for(staff).post(
        reverse("villages:import"), {"file": SimpleUploadedFile("thon.xlsx", content)}
    )
    assert response.status_code == 200
    assert "token" not in response.context
    assert "<td>2</td><td>B</td>" in response.content.decode()
    assert Village.objects.count() == 1


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

"""Files that an official could produce by accident, or an attacker on purpose, are refused
cheaply: the cost of a refusal is bounded in memory (measured with tracemalloc and the process's
peak resident size), never in seconds (speed is measured in bench/)."""

import io
import resource
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.utils import translation

from dankhoeo import spreadsheets as xl

COLUMNS = [xl.Column(f"c{index}", f"Cột {index}") for index in range(1, 11)]  # A to J
HEADERS = [str(column.header) for column in COLUMNS]
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def workbook_bytes(*rows, change=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Thôn"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    if change:
        change(sheet)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def read(content: bytes, **options) -> xl.Table:
    return xl.read_table(xl.open_workbook(content), sheet="Thôn", columns=COLUMNS, **options)


def with_sheet_xml(content: bytes, write_rows) -> bytes:
    """The same workbook with its sheet's XML replaced, written in chunks (never whole)."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, source.read(info))
                continue
            with target.open("xl/worksheets/sheet1.xml", "w") as sheet:
                ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
                sheet.write(f'<worksheet xmlns="{ns}"><sheetData>'.encode())
                write_rows(sheet)
                sheet.write(b"</sheetData></worksheet>")
    return output.getvalue()


def cost(action) -> tuple[Exception, int, int]:
    """(the error raised, peak Python memory in bytes, growth of the peak resident size)."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    try:
        with pytest.raises(xl.SpreadsheetError) as refused:
            action()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
    return refused.value, peak, rss_growth


def test_one_cell_at_j600000_is_refused_without_building_the_empty_rows():
    def far_cell(sheet):
        sheet["J600000"] = "x"

    content = workbook_bytes(["a"] * 10, change=far_cell)
    assert len(content) < 10_000
    error, peak, rss = cost(lambda: read(content))
    assert "600000" in str(error) and "20.000" in str(error)  # the row is an address: no separator
    assert peak < 20 * MB and rss < 100 * MB


def test_a_small_file_holding_95_mb_of_cells_is_refused_before_reading_them():
    row = b"<row>" + b'<c t="n"><v>1</v></c>' * 10 + b"</row>"  # rows may go without address

    def rows(sheet):
        for _ in range(500):
            sheet.write(row * 1000)

    content = with_sheet_xml(workbook_bytes(), rows)
    assert len(content) < MB
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 90 * MB
    error, peak, rss = cost(lambda: read(content))
    assert "quá lớn" in str(error)
    assert peak < 20 * MB and rss < 100 * MB


def test_rows_beyond_the_import_s_limit_are_refused_while_scanning(monkeypatch):
    content = workbook_bytes(*[[f"T{n}"] for n in range(6)])
    error, _peak, _rss = cost(lambda: read(content, max_rows=5))
    assert "dòng 7" in str(error) and "5 dòng" in str(error)
    assert read(content, max_rows=6).rows[-1].number == 7


def test_too_many_cells_are_refused_before_reading_them():
    def rows(sheet):  # 2,000 rows of empty styled cells far beyond the columns
        cells = "".join(f'<c r="{letter}{{n}}" s="0"/>' for letter in "KLMNOPQRSTUVWXYZ")
        for number in range(2, 2000):
            sheet.write(f'<row r="{number}">{cells.format(n=number)}</row>'.encode())

    content = with_sheet_xml(workbook_bytes(), rows)
    with pytest.raises(xl.SpreadsheetError, match="quá nhiều ô"):
        read(content, max_rows=10)


def test_excel_errors_and_yes_no_cells_are_not_names():
    table = read(workbook_bytes(["#DIV/0!", True, "Đăk Xanh"]))
    messages = {error.cell: error.message for error in table.errors}
    assert set(messages) == {"A2", "B2"}
    assert "#DIV/0!" in messages["A2"]
    assert "TRUE" in messages["B2"]
    assert all(error.sheet == "Thôn" for error in table.errors)


def test_hidden_rows_and_values_outside_the_columns_are_reported():
    def hide_and_extend(sheet):
        sheet.row_dimensions[3].hidden = True
        sheet["K2"] = "ghi chú"

    table = read(workbook_bytes(["a"], ["b"], change=hide_and_extend))
    messages = {error.cell: error.message for error in table.errors}
    assert set(messages) == {"K2", "A3"}
    assert "ẩn" in messages["A3"]
    assert "không thuộc mẫu" in messages["K2"]


def test_a_macro_enabled_workbook_is_refused():
    content = workbook_bytes(["a"])
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(output, "w") as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    with pytest.raises(xl.SpreadsheetError, match="macro"):
        xl.open_workbook(output.getvalue())


def test_a_device_a_folder_or_a_missing_path_is_refused_in_vietnamese(tmp_path, db):
    for path, message in [
        ("/dev/zero", "không phải là tệp thông thường"),
        (str(tmp_path), "là một thư mục"),
        (str(tmp_path / "none.xlsx"), "Không có tệp"),
    ]:
        with pytest.raises(CommandError, match=message):
            call_command("import_villages", path)


def test_a_file_over_the_limit_is_read_in_chunks_and_refused(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(xl.ZIP_MAGIC + b"0" * (2 * MB))
    with pytest.raises(xl.SpreadsheetError, match="lớn hơn 1 MB"):
        xl.open_workbook(path, max_bytes=MB)


def test_cell_addresses_have_no_thousands_separator():
    html = render_to_string(
        "_spreadsheet_errors.html", {"errors": [xl.CellError("Thôn", 400000, "H", "sai")]}
    )
    assert "400000" in html and "400.000" not in html

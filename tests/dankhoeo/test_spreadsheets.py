import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from dankhoeo import spreadsheets as xl

COLUMNS = [
    xl.Column("code", "Mã thôn", required=True, max_length=10),
    xl.Column("name", "Tên thôn", required=True),
    xl.Column("households", "Số hộ", kind="integer", minimum=0),
    xl.Column("share", "Tỷ lệ", kind="decimal", maximum=100),
    xl.Column("since", "Từ ngày", kind="date"),
    xl.Column("poor", "ĐBKK", kind="bool"),
    xl.Column("kind", "Loại", kind="choice", choices=[("lead", "Phụ trách"), ("sup", "Phối hợp")]),
]
HEADERS = [str(c.header) for c in COLUMNS]


def workbook_bytes(*rows, title="Thôn", headers=HEADERS, extra=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    if extra:
        extra(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read(content: bytes) -> xl.Table:
    return xl.read_table(xl.open_workbook(content), sheet="Thôn", columns=COLUMNS)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def test_it_reads_typed_values_written_the_vietnamese_way():
    table = read(
        workbook_bytes(
            ["T01", "  Đăk  Xanh ", "1.234", "12,5", "18/03/2022", "có", "phu trach"],
            ["T02", "Đăk Tum", 12, 99.5, datetime.datetime(2023, 1, 2), False, "Phối hợp"],
        )
    )
    assert table.errors == []
    assert [row.values for row in table.rows] == [
        {
            "code": "T01",
            "name": "Đăk Xanh",
            "households": 1234,
            "share": Decimal("12.5"),
            "since": datetime.date(2022, 3, 18),
            "poor": True,
            "kind": "lead",
        },
        {
            "code": "T02",
            "name": "Đăk Tum",
            "households": 12,
            "share": Decimal("99.5"),
            "since": datetime.date(2023, 1, 2),
            "poor": False,
            "kind": "sup",
        },
    ]
    assert [row.number for row in table.rows] == [2, 3]


def test_every_bad_cell_is_reported_with_its_sheet_row_and_column():
    table = read(
        workbook_bytes(
            ["", "Tên", "mười", "101", "32/13/2022", "có lẽ", "khác"],
            ["T0000000003", "Tên", "-1", "1,5", None, None, None],
        )
    )
    found = {(e.sheet, e.row, e.column) for e in table.errors}
    assert found == {
        ("Thôn", 2, "A"),
        ("Thôn", 2, "C"),
        ("Thôn", 2, "D"),
        ("Thôn", 2, "E"),
        ("Thôn", 2, "F"),
        ("Thôn", 2, "G"),
        ("Thôn", 3, "A"),
        ("Thôn", 3, "C"),
    }
    messages = {e.cell: e.message for e in table.errors}
    assert messages["A2"] == "Ô này bắt buộc phải nhập."
    assert messages["C2"] == "“mười” không phải là số nguyên."


def test_formulas_and_merged_cells_are_refused():
    def merge(workbook):
        workbook.active.merge_cells("A3:B3")

    table = read(workbook_bytes(["T01", "=1+1", 1], ["T02", "x"], extra=merge))
    messages = {e.cell: e.message for e in table.errors}
    assert "B2" in messages and "công thức" in messages["B2"].lower()
    assert "A3" in messages and "gộp" in messages["A3"]


def test_a_wrong_header_stops_reading_the_rows():
    table = read(workbook_bytes(["T01", "A"], headers=["Mã", *HEADERS[1:]]))
    assert [(e.row, e.column) for e in table.errors] == [(1, "A")]
    assert table.rows == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello, not excel", "không phải là tệp Excel"),
        (xl.OLE_MAGIC + b"\0" * 100, "mật khẩu"),
        (b"PK\x03\x04broken", "Không đọc được"),
        (b"", "rỗng"),
    ],
)
def test_files_that_are_not_usable_workbooks_are_refused(content, message):
    with pytest.raises(xl.SpreadsheetError, match=message):
        xl.open_workbook(content)


def test_an_oversized_upload_is_refused_before_reading():
    upload = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"0" * 1024 * 1024)
    with pytest.raises(xl.SpreadsheetError, match="lớn hơn 1 MB"):
        xl.open_workbook(upload, max_bytes=1024 * 1024)


def test_missing_sheet_extra_sheets_and_empty_sheet_are_refused():
    with pytest.raises(xl.SpreadsheetError, match="không có trang"):
        read(workbook_bytes(["T01", "A"], title="Khác"))
    with pytest.raises(xl.SpreadsheetError, match="Ghi chú"):
        read(workbook_bytes(["T01", "A"], extra=lambda wb: wb.create_sheet("Ghi chú")))
    with pytest.raises(xl.SpreadsheetError, match="không có dòng dữ liệu"):
        read(workbook_bytes())


def test_built_workbooks_escape_formulas_and_read_back_unchanged():
    rows = [
        {"code": "T01", "name": '=HYPERLINK("x")', "households": 5, "kind": "lead"},
        {"code": "T02", "name": "@SUM(A1)", "poor": True, "since": datetime.date(2022, 3, 18)},
    ]
    content = xl.build_workbook(
        [xl.SheetSpec("Thôn", COLUMNS, rows, instructions=["Điền mỗi thôn một dòng."])]
    )
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook["Thôn"]
    assert sheet["B2"].value == '=HYPERLINK("x")'  # stored as text, no apostrophe added
    assert sheet["B2"].data_type == "s"
    assert sheet["B3"].value == "@SUM(A1)" and sheet["B3"].data_type == "s"
    assert sheet.freeze_panes == "A2"
    assert sheet["G2"].value == "Phụ trách"
    assert xl.read_back_sheet_names(content) == ["Thôn", "Hướng dẫn"]
    table = read(content)
    assert table.errors == []
    assert table.rows[0].values["name"] == '=HYPERLINK("x")'
    assert table.rows[1].values["poor"] is True


def test_a_locked_sheet_leaves_only_editable_columns_open():
    content = xl.build_workbook(
        [
            xl.SheetSpec(
                "Thôn", COLUMNS, [{"code": "T01"}], locked=True, editable_keys=["households"]
            )
        ]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Thôn"]
    assert sheet.protection.sheet is True
    assert sheet["A2"].protection.locked is True
    assert sheet["C2"].protection.locked is False
    kinds = {str(v.sqref) for v in sheet.data_validations.dataValidation}
    assert kinds == {"F2", "G2"}


def test_staged_uploads_belong_to_their_user(tmp_path, settings, staff, viewer):
    settings.MEDIA_ROOT = tmp_path
    token = xl.stage_upload(staff, SimpleUploadedFile("a.xlsx", b"PK\x03\x04data"))
    assert xl.staged_path(staff, token).read_bytes() == b"PK\x03\x04data"
    with pytest.raises(xl.SpreadsheetError):
        xl.staged_path(viewer, token)
    with pytest.raises(xl.SpreadsheetError):
        xl.staged_path(staff, "../../etc/passwd")
    xl.discard_staged(staff, token)
    with pytest.raises(xl.SpreadsheetError):
        xl.staged_path(staff, token)


def test_a_column_can_carry_its_own_number_format():
    columns = [
        xl.Column("amount", "Số tiền", kind="integer", number_format='#,##0 "đ"'),
        xl.Column("days", "Ngày công", kind="integer"),
    ]
    content = xl.build_workbook(
        [xl.SheetSpec("Nguồn lực", columns, [{"amount": 1250000, "days": 7}])]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Nguồn lực"]
    assert sheet["A2"].value == 1250000
    assert sheet["A2"].number_format == '#,##0 "đ"'
    assert sheet["B2"].number_format == "#,##0"


def test_a_choice_that_starts_like_a_formula_survives_the_round_trip():
    columns = [xl.Column("op", "Phép so sánh", kind="choice", choices=[("eq", "= bằng")])]
    content = xl.build_workbook([xl.SheetSpec("Thôn", columns, [{"op": "eq"}])])
    table = xl.read_table(xl.open_workbook(content), sheet="Thôn", columns=columns)
    assert table.errors == []
    assert table.rows[0].values == {"op": "eq"}


@pytest.mark.parametrize("count", [10, 1000])
def test_writing_a_workbook_never_rereads_the_sheet_row_by_row(monkeypatch, count):
    """A report's workbook of thousands of rows (the review of a large plan) is written in
    linear time: the sheet is not asked for its last row (openpyxl reads every cell for that)
    once per row; the title rows, the header, the rows and the bold total are where they
    belong."""
    from openpyxl.worksheet.worksheet import Worksheet

    scans = []
    original = Worksheet.max_row.fget
    monkeypatch.setattr(
        Worksheet, "max_row", property(lambda sheet: scans.append(1) or original(sheet))
    )
    rows = [{"code": f"T{n}", "households": n} for n in range(count)]
    total = {"code": "Tổng", "households": sum(range(count))}
    spec = xl.SheetSpec("Thôn", COLUMNS, rows, title_rows=["Báo cáo"], total=total)
    content = xl.build_workbook([spec])
    assert len(scans) <= 4  # the hidden sheet of the drop-down lists, whatever the rows
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Thôn"]
    assert sheet["A1"].value == "Báo cáo" and sheet["A1"].font.b
    assert sheet["A2"].value == COLUMNS[0].header
    assert sheet[f"A{count + 2}"].value == f"T{count - 1}" and not sheet[f"A{count + 2}"].font.b
    assert sheet[f"A{count + 3}"].value == "Tổng" and sheet[f"A{count + 3}"].font.b
    assert sheet.max_row == count + 3

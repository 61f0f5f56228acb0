"""Excel in and out, shared by every import and export of the app.

Reading: ``open_workbook`` refuses what is not a readable .xlsx (checked by content, size and
encryption); ``read_table`` turns one sheet into typed rows and a list of errors, each with its
sheet, row and column, so that a person can fix the file and try again. Nothing here saves
anything: importers check their own rules, show a preview, and save in one transaction.

Writing: ``build_workbook`` makes a formatted workbook (bold frozen header, drop-down lists,
optional locked structure; for reports, title rows, a total row and print setup) in which
every text is stored as text: a value that starts like a formula is never one, and keeps its
characters (no apostrophe is added).

Staging: between the preview and the confirmation an upload is kept under MEDIA_ROOT, per user,
behind an opaque token.

Pages show a list of CellError with ``{% include "_spreadsheet_errors.html" with errors=... %}``.
"""

import datetime
import io
import re
import secrets
import time
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dankhoeo import vietnamese
from dankhoeo.text import clean_input, for_export

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
STAGING_SECONDS = 24 * 3600
STAGING_QUOTA_BYTES = 4 * MAX_BYTES  # per user: four files waiting for confirmation
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INSTRUCTIONS_TITLE = gettext_lazy("Instructions")
LISTS_SHEET = "_lists"  # hidden sheet holding the drop-down lists

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and every password-protected file
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TRUE_WORDS = {"co", "x", "yes", "true", "1", "dat"}
FALSE_WORDS = {"khong", "no", "false", "0", "chua dat"}
KINDS = ("text", "integer", "decimal", "date", "bool", "choice")


class SpreadsheetError(Exception):
    """The file as a whole cannot be used; the message says why, in the user's language."""


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None
    column: str | None
    message: str

    @property
    def cell(self) -> str:
        return f"{self.column or ''}{self.row or ''}"


@dataclass(frozen=True)
class Column:
    key: str
    header: Any
    kind: str = "text"
    required: bool = False
    choices: Sequence = ()
    max_length: int | None = None
    minimum: Any = None
    maximum: Any = None
    width: int | None = None
    number_format: str | None = None  # overrides the kind's format, e.g. '#,##0 "đ"'

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    @property
    def choice_pairs(self) -> list[tuple[Any, str]]:
        """Choices as (value, label); plain strings are their own value."""
        return [
            (item[0], str(item[1])) if isinstance(item, tuple | list) else (item, str(item))
            for item in self.choices
        ]

    def labels(self) -> list[str]:
        if self.kind == "bool":
            return [_("yes"), _("no")]
        return [label for _value, label in self.choice_pairs]


@dataclass
class Row:
    number: int
    values: dict[str, Any]


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)


@dataclass
class SheetSpec:
    title: Any
    columns: Sequence[Column]
    rows: Iterable[dict] = ()
    locked: bool = False
    editable_keys: Sequence[str] = ()
    blank_rows: int = 0
    instructions: Sequence[str] = ()
    # A report's sheet: lines above the header, a bold total row after the rows, the first
    # columns kept in view, printed landscape and fitted to the page's width.
    title_rows: Sequence[str] = ()
    total: dict | None = None
    frozen_columns: int = 0
    for_print: bool = False


# Reading -----------------------------------------------------------------------------------

MAX_ROWS = 20_000  # data rows of one sheet of an import, unless the importer states its own
_CELL_SLACK = 2  # empty styled cells allowed per expected cell before the file is refused
_CHUNK = 1024 * 1024
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_MACRO_TYPE = b"macroEnabled"


class Workbook:
    """An uploaded workbook opened for streaming: openpyxl's read-only mode over the bytes,
    with the archive kept to check each sheet's XML before any cell is built."""

    def __init__(self, data: bytes):
        self.archive = zipfile.ZipFile(io.BytesIO(data))
        self.book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)

    @property
    def sheetnames(self) -> list[str]:
        return self.book.sheetnames

    def __getitem__(self, title: str):
        return self.book[title]

    def sheet_xml(self, title: str):
        """The sheet's XML, as a stream (never read whole)."""
        return self.archive.open(self.book[title]._worksheet_path)


def open_workbook(source, *, max_bytes: int = MAX_BYTES) -> Workbook:
    """Open an uploaded file, a path or bytes as a workbook, or raise SpreadsheetError.

    Cheap checks first: the size (read in chunks, never trusting a reported size), the first
    bytes, macros and the unpacked size declared by the archive; the cells are read later,
    row by row, by ``read_table``."""
    data = _read_bytes(source, max_bytes)
    if data.startswith(OLE_MAGIC):
        raise SpreadsheetError(
            _(
                "The file is password-protected or in the old .xls format. Remove the password "
                "or save it as an Excel workbook (.xlsx) and try again."
            )
        )
    if not data.startswith(ZIP_MAGIC):
        raise SpreadsheetError(_("The file is not an Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
                raise SpreadsheetError(
                    _("The workbook is too large once unpacked (more than %(size)s MB).")
                    % {"size": MAX_UNPACKED_BYTES // 1048576}
                )
            if _has_macros(archive):
                raise SpreadsheetError(
                    _(
                        "The workbook contains macros (.xlsm). Save it as an Excel workbook "
                        "(.xlsx) without macros and try again."
                    )
                )
        return Workbook(data)
    except SpreadsheetError:
        raise
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise SpreadsheetError(
            _("The file could not be read as an Excel workbook (.xlsx).")
        ) from error


def _has_macros(archive: zipfile.ZipFile) -> bool:
    names = archive.namelist()
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return True
    if "[Content_Types].xml" in names:
        with archive.open("[Content_Types].xml") as types:
            return _MACRO_TYPE in types.read(MAX_BYTES)
    return False


def _read_bytes(source, max_bytes: int) -> bytes:
    if isinstance(source, bytes):
        data = source[: max_bytes + 1]
    elif isinstance(source, str | Path):
        data = read_file_bounded(Path(source), max_bytes)
    else:
        size = getattr(source, "size", None)
        if size is not None and size > max_bytes:
            raise _too_big(max_bytes)
        source.seek(0)
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_big(max_bytes)
    if not data:
        raise SpreadsheetError(_("The file is empty."))
    return data


def read_file_bounded(path: Path, max_bytes: int) -> bytes:
    """A file named on the command line, read in chunks up to ``max_bytes`` (a device such as
    /dev/zero, a folder or a missing file is refused with a translated message)."""
    if path.is_dir():
        raise SpreadsheetError(_("%(path)s is a folder, not a file.") % {"path": path})
    if not path.exists():
        raise SpreadsheetError(_("There is no file %(path)s.") % {"path": path})
    if not path.is_file():
        raise SpreadsheetError(_("%(path)s is not a regular file.") % {"path": path})
    chunks, total = [], 0
    with path.open("rb") as handle:
        while total <= max_bytes:
            chunk = handle.read(min(_CHUNK, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    if total > max_bytes:
        raise _too_big(max_bytes)
    return b"".join(chunks)


def _too_big(max_bytes: int) -> SpreadsheetError:
    return SpreadsheetError(
        _("The file is larger than %(size)s MB.") % {"size": f"{max_bytes / 1048576:g}"}
    )


def read_table(
    workbook: Workbook,
    *,
    sheet: Any,
    columns: Sequence[Column],
    other_sheets_allowed: Sequence[Any] = (INSTRUCTIONS_TITLE,),
    max_rows: int = MAX_ROWS,
    allow_empty: bool = False,
) -> Table:
    """Read one sheet whose first row holds the column headers, at most ``max_rows`` rows
    below it and only the columns of the header. The sheet's XML is scanned first (rows,
    cells, merged cells, hidden rows, values outside the columns) so that a refused file
    costs little; then the cells are read row by row."""
    title = str(sheet)
    allowed = {vietnamese.fold(str(name)) for name in [title, LISTS_SHEET, *other_sheets_allowed]}
    if title not in workbook.sheetnames:
        raise SpreadsheetError(_("The workbook has no sheet named “%(sheet)s”.") % {"sheet": title})
    extra = [name for name in workbook.sheetnames if vietnamese.fold(name) not in allowed]
    if extra:
        raise SpreadsheetError(
            _("The workbook has sheets that are not expected: %(sheets)s. Remove them.")
            % {"sheets": ", ".join(f"“{name}”" for name in extra)}
        )
    scan = _scan_sheet(workbook, title, len(columns), max_rows)
    table = Table(errors=list(scan.errors))
    if scan.last_row < 2 and allow_empty:
        return table
    if scan.last_row < 2:
        raise SpreadsheetError(_("The sheet “%(sheet)s” has no data rows.") % {"sheet": title})
    rows = workbook[title].iter_rows(min_row=1, max_row=scan.last_row, max_col=len(columns))
    header_errors = _check_header(title, next(rows), columns)
    if header_errors:  # the columns cannot be trusted: report the header alone
        table.errors.extend(header_errors)
        return table
    for number, cells in enumerate(rows, start=2):
        if not any(_has_value(cell.value) for cell in cells):
            continue
        values = {}
        for index, column in enumerate(columns):
            cell = cells[index] if index < len(cells) else None
            letter = get_column_letter(index + 1)
            try:
                values[column.key] = convert(column, _cell_value_read(cell))
            except ValueError as error:
                table.errors.append(CellError(title, number, letter, str(error)))
        table.rows.append(Row(number, values))
    if not table.rows and not table.errors and not allow_empty:
        raise SpreadsheetError(_("The sheet “%(sheet)s” has no data rows.") % {"sheet": title})
    return table


def max_rows_note(max_rows: int = MAX_ROWS) -> str:
    """The line of a template's instructions that states the import's row limit."""
    return _(
        "At most %(max)s rows per file below the header; split a longer list into several files."
    ) % {"max": max_rows}


def _cell_value_read(cell) -> Any:
    """A cell's value, refusing what Excel computes or marks rather than what a person typed."""
    if cell is None:
        return None
    kind = getattr(cell, "data_type", None)
    if kind == "f":
        raise ValueError(_("Formulas are not allowed: type the value."))
    if kind == "e":
        raise ValueError(
            _("The cell holds the Excel error %(error)s: type the value.") % {"error": cell.value}
        )
    return cell.value


@dataclass
class _Scan:
    last_row: int = 0  # the last row holding a value
    errors: list[CellError] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)


def _scan_sheet(workbook: Workbook, title: str, width: int, max_rows: int) -> _Scan:
    """Stream the sheet's XML once, in constant memory, and stop at the first sign of a file
    larger than an import may be. Rows and cells without an address count on from the last."""
    scan = _Scan()
    budget = (max_rows + 1) * max(width, 16) * _CELL_SLACK
    cells = row = column = 0
    hidden = False
    with workbook.sheet_xml(title) as stream:
        # expat (>= 2.4) refuses entity amplification and never fetches external entities
        events = ElementTree.iterparse(stream, events=("start", "end"))  # noqa: S314
        for event, element in events:
            tag = element.tag
            if event == "start":
                if tag == f"{_NS}row":
                    row = _number(element.get("r"), row + 1)
                    column = 0
                    hidden = element.get("hidden") in ("1", "true")
                continue
            if tag == f"{_NS}c":
                cells += 1
                if cells > budget:
                    raise SpreadsheetError(
                        _("The sheet “%(sheet)s” has too many cells for an import.")
                        % {"sheet": title}
                    )
                column = _column_number(element.get("r"), column + 1)
                if len(element):  # a value, an inline string or a formula
                    _scanned_value(scan, title, row, column, width, max_rows, hidden)
                element.clear()
            elif tag == f"{_NS}row":
                element.clear()
            elif tag == f"{_NS}mergeCell":
                first = _REF.match(element.get("ref", "").partition(":")[0])
                scan.errors.append(
                    CellError(
                        title,
                        int(first.group(2)) if first else None,
                        first.group(1) if first else None,
                        _("Merged cells (%(range)s) are not allowed: unmerge them.")
                        % {"range": element.get("ref", "")},
                    )
                )
    return scan


def _scanned_value(
    scan: _Scan, title: str, row: int, column: int, width: int, max_rows: int, hidden: bool
) -> None:
    if row > max_rows + 1:
        raise SpreadsheetError(
            _(
                "The sheet “%(sheet)s” has data in row %(row)s: an import takes at most "
                "%(max)s rows below the header. Split the file."
            )
            % {"sheet": title, "row": row, "max": max_rows}
        )
    scan.last_row = max(scan.last_row, row)
    letter = get_column_letter(min(column, 18278))
    if column > width:
        scan.errors.append(
            CellError(
                title,
                row,
                letter,
                _(
                    "This column is not part of the template and would not be imported: "
                    "remove it or move its value into a column of the template."
                ),
            )
        )
    elif hidden and row > 1 and row not in scan.hidden_rows:
        scan.hidden_rows.add(row)
        scan.errors.append(
            CellError(
                title,
                row,
                letter,
                _("This row is hidden: unhide it to check it, or delete it."),
            )
        )


def _number(text: str | None, default: int) -> int:
    return int(text) if text and text.isascii() and text.isdigit() else default


def _column_number(ref: str | None, default: int) -> int:
    match = _REF.match(ref or "")
    return column_index_from_string(match.group(1)) if match else default


_REF = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")


def _has_value(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _check_header(title: str, header_row, columns: Sequence[Column]) -> list[CellError]:
    errors = []
    cells = list(header_row)
    for index, column in enumerate(columns):
        found = cells[index].value if index < len(cells) else None
        if vietnamese.fold(str(found or "")) != vietnamese.fold(str(column.header)):
            errors.append(
                CellError(
                    title,
                    1,
                    get_column_letter(index + 1),
                    _("The column header should be “%(expected)s”, not “%(found)s”.")
                    % {"expected": column.header, "found": found or ""},
                )
            )
    return errors


def convert(column: Column, raw: Any) -> Any:
    """A cell's value as Python, or ValueError with a translated message."""
    if isinstance(raw, str) and raw.startswith("'") and raw[1:2] in FORMULA_STARTS:
        raw = raw[1:]  # escaped so by older exports
    if isinstance(raw, bool) and column.kind != "bool":
        raise ValueError(
            _("The cell holds the yes/no value %(value)s, not what this column needs.")
            % {"value": "TRUE" if raw else "FALSE"}
        )
    if not _has_value(raw):
        if column.required:
            raise ValueError(_("This cell is required."))
        return None
    converter = {
        "text": _to_text,
        "integer": _to_integer,
        "decimal": _to_decimal,
        "date": _to_date,
        "bool": _to_bool,
        "choice": _to_choice,
    }[column.kind]
    value = converter(column, raw)
    if column.minimum is not None and value < column.minimum:
        raise ValueError(_("The value must be at least %(minimum)s.") % {"minimum": column.minimum})
    if column.maximum is not None and value > column.maximum:
        raise ValueError(_("The value must be at most %(maximum)s.") % {"maximum": column.maximum})
    return value


def _to_text(column: Column, raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = vietnamese.clean(clean_input(str(raw)))
    if not text and column.required:
        raise ValueError(_("This cell is required."))
    if column.max_length and len(text) > column.max_length:
        raise ValueError(
            _("The text is longer than %(length)s characters.") % {"length": column.max_length}
        )
    return text


_VI_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+(,\d+)?$")


def _parse_number(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int | float | Decimal):
        return Decimal(str(raw))
    text = unicodedata.normalize("NFC", str(raw)).strip().replace(" ", "")
    if _VI_NUMBER.match(text):
        text = text.replace(".", "").replace(",", ".")
    return Decimal(text)


def _to_decimal(column: Column, raw: Any) -> Decimal:
    try:
        value = _parse_number(raw)
    except (InvalidOperation, ValueError):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": raw}) from None
    if not value.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": raw})
    return value


def _to_integer(column: Column, raw: Any) -> int:
    try:
        value = _parse_number(raw)
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or value != value.to_integral_value():
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": raw})
    return int(value)


def _to_date(column: Column, raw: Any) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = str(raw).strip()
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": raw})


def _to_bool(column: Column, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    word = vietnamese.fold(str(raw))
    if word in TRUE_WORDS or word == vietnamese.fold(_("yes")):
        return True
    if word in FALSE_WORDS or word == vietnamese.fold(_("no")):
        return False
    raise ValueError(_("“%(value)s” is not yes or no.") % {"value": raw})


def _to_choice(column: Column, raw: Any) -> Any:
    wanted = vietnamese.fold(str(raw))
    for value, label in column.choice_pairs:
        if wanted in (vietnamese.fold(label), vietnamese.fold(str(value))):
            return value
    raise ValueError(
        _("“%(value)s” is not one of the allowed values: %(choices)s.")
        % {"value": raw, "choices": ", ".join(column.labels())}
    )


# Writing -----------------------------------------------------------------------------------


def _as_text(cells) -> None:
    """Store as text the strings openpyxl took for formulas (the app writes none): the cell
    shows "=1+1" and never computes it."""
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"


HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True)
TOTAL_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="8B1A1A")
NUMBER_FORMATS = {"integer": "#,##0", "decimal": "#,##0.##", "date": "dd/mm/yyyy"}


def build_workbook(sheets: Sequence[SheetSpec]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    lists = None
    for spec in sheets:
        worksheet = workbook.create_sheet(str(spec.title))
        for line in spec.title_rows:
            worksheet.append([for_export(str(line))])
            _as_text(worksheet[worksheet.max_row])
            worksheet.cell(row=worksheet.max_row, column=1).font = TITLE_FONT
        header = len(spec.title_rows) + 1
        worksheet.append([for_export(str(column.header)) for column in spec.columns])
        for cell in worksheet[header]:
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        worksheet.freeze_panes = f"{get_column_letter(spec.frozen_columns + 1)}{header + 1}"
        count = 0
        for row in [*spec.rows, *([spec.total] if spec.total else [])]:
            worksheet.append([_cell_value(column, row.get(column.key)) for column in spec.columns])
            _as_text(worksheet[worksheet.max_row])
            count += 1
        if spec.total:
            for cell in worksheet[worksheet.max_row]:
                cell.font = TOTAL_FONT
        if spec.for_print:
            _print_setup(worksheet, header)
        last_row = header + count + spec.blank_rows
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            worksheet.column_dimensions[letter].width = column.width or max(
                12, min(45, len(str(column.header)) + 4)
            )
            for row_number in range(header + 1, last_row + 1):
                cell = worksheet.cell(row=row_number, column=index)
                if column.number_format or column.kind in NUMBER_FORMATS:
                    cell.number_format = column.number_format or NUMBER_FORMATS[column.kind]
                if spec.locked and column.key in spec.editable_keys:
                    cell.protection = Protection(locked=False)
            if column.kind in ("choice", "bool") and last_row > header:
                lists = lists or workbook.create_sheet(LISTS_SHEET)
                cells = f"{letter}{header + 1}:{letter}{last_row}"
                _add_list_validation(worksheet, lists, column, cells)
        if spec.locked:
            worksheet.protection.sheet = True
            worksheet.protection.formatRows = False
            worksheet.protection.formatColumns = False
        if spec.instructions:
            notes = workbook.create_sheet(str(INSTRUCTIONS_TITLE))
            notes.column_dimensions["A"].width = 100
            for line in spec.instructions:
                notes.append([str(line)])
                _as_text(notes[notes.max_row])
    if lists is not None:
        lists.sheet_state = "veryHidden"
        workbook.move_sheet(lists, offset=len(workbook.sheetnames))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _print_setup(worksheet, header: int) -> None:
    """Landscape A4, fitted to the page's width, the header rows repeated on every page."""
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.paperSize = worksheet.PAPERSIZE_A4
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.print_title_rows = f"1:{header}"


def _cell_value(column: Column, value: Any) -> Any:
    """What a cell holds, through the export sanitiser (``dankhoeo.text.for_export``): no
    stored text can make openpyxl refuse the workbook."""
    if value is None:
        return None
    if column.kind == "bool":
        return _("yes") if value else _("no")
    if column.kind == "choice":
        labels = dict(column.choice_pairs)
        return for_export(labels.get(value, str(value)))
    return for_export(value)


def _add_list_validation(worksheet, lists, column: Column, cells: str) -> None:
    """A drop-down list kept on a hidden sheet (a list typed into the rule is capped at 255
    characters and breaks on commas)."""
    index = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value else 1
    letter = get_column_letter(index)
    for row, label in enumerate(column.labels(), start=1):
        _as_text([lists.cell(row=row, column=index, value=label)])
    rule = DataValidation(
        type="list",
        formula1=f"'{LISTS_SHEET}'!${letter}$1:${letter}${max(1, len(column.labels()))}",
        allow_blank=not column.required,
        showErrorMessage=True,
        errorTitle=_("Value not allowed"),
        error=_("Choose a value from the list."),
    )
    worksheet.add_data_validation(rule)
    rule.add(cells)


def read_back_sheet_names(content: bytes) -> list[str]:
    """The visible sheet names of a workbook we built (for tests and previews)."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]


# Staging -----------------------------------------------------------------------------------

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _staging_dir(user) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / str(user.pk)


def stage_upload(user, uploaded_file) -> str:
    """Keep an upload until the user confirms or cancels the import; return the token that
    names it. A user's staged files are limited to ``STAGING_QUOTA_BYTES`` (expired ones are
    removed first); over it the upload is refused with a message saying what to do."""
    directory = _staging_dir(user)
    directory.mkdir(parents=True, exist_ok=True)
    uploaded_file.seek(0)
    data = uploaded_file.read(MAX_BYTES + 1)
    staging_cleanup(directory)
    used = sum(path.stat().st_size for path in directory.glob("*.xlsx"))
    if used + len(data) > STAGING_QUOTA_BYTES:
        raise SpreadsheetError(
            _(
                "Files waiting for your confirmation already take %(used)s of your %(quota)s MB. "
                "Confirm or cancel those imports, or wait until they expire after %(hours)s hours."
            )
            % {
                "used": f"{used / 1048576:.1f} MB".replace(".", ","),
                "quota": STAGING_QUOTA_BYTES // 1048576,
                "hours": STAGING_SECONDS // 3600,
            }
        )
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.xlsx").write_bytes(data)
    return token


def staging_cleanup(directory: Path | None = None, *, now: float | None = None) -> list[Path]:
    """Remove staged uploads older than ``STAGING_SECONDS`` (of one user's folder, or of every
    user's) and the folders left empty; return what was removed. ``cleanup_staging`` runs it."""
    now = time.time() if now is None else now
    root = Path(settings.MEDIA_ROOT) / "imports"
    folders = [directory] if directory is not None else [p for p in root.glob("*") if p.is_dir()]
    removed = []
    for folder in folders:
        for path in folder.glob("*.xlsx"):
            if now - path.stat().st_mtime > STAGING_SECONDS:
                path.unlink(missing_ok=True)
                removed.append(path)
        if directory is None and not any(folder.iterdir()):
            folder.rmdir()
    return removed


def staged_path(user, token: str) -> Path:
    path = _staging_dir(user) / f"{token}.xlsx"
    if not _TOKEN.match(token or "") or not path.is_file():
        raise SpreadsheetError(_("The uploaded file is no longer available: upload it again."))
    if time.time() - path.stat().st_mtime > STAGING_SECONDS:
        path.unlink(missing_ok=True)
        raise SpreadsheetError(_("The uploaded file is no longer available: upload it again."))
    return path


def discard_staged(user, token: str) -> None:
    if _TOKEN.match(token or ""):
        (_staging_dir(user) / f"{token}.xlsx").unlink(missing_ok=True)

"""Reading an uploaded workbook: ``open_workbook`` refuses what is not a readable .xlsx
(checked by content, size, encryption and macros); ``read_table`` streams one sheet into typed
rows and a list of errors, each with its sheet, row and column."""

import io
import itertools
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from dankhoeo import bounds, vietnamese
from dankhoeo.money import format_number
from dankhoeo.spreadsheets.cells import _has_value, convert
from dankhoeo.spreadsheets.parts import check_parts
from dankhoeo.spreadsheets.scan import DAMAGED, scan_sheet
from dankhoeo.spreadsheets.spec import (
    INSTRUCTIONS_TITLE,
    LISTS_SHEET,
    MAX_BYTES,
    MAX_UNPACKED_BYTES,
    OLE_MAGIC,
    ZIP_MAGIC,
    CellError,
    Column,
    Row,
    SpreadsheetError,
    Table,
)
from dankhoeo.text import clean_input

MAX_ROWS = 20_000  # data rows of one sheet of an import, unless the importer states its own
_SHOWN_NAMES = 5  # sheet names listed in a message
_SHOWN_NAME = 40
_CHUNK = 1024 * 1024
_MACRO_TYPE = b"macroEnabled"


class Workbook:
    """An uploaded workbook opened for streaming: openpyxl's read-only mode over the bytes,
    with the archive kept to check each sheet's XML before any cell is built."""

    def __init__(self, data: bytes):
        self.archive = zipfile.ZipFile(io.BytesIO(data))
        self.book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )  # links to other workbooks are never read (their cached cells can be millions)

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
            check_parts(archive)
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
        _("The file is larger than %(size)s MB.")
        % {"size": format_number(round(Decimal(max_bytes) / 1048576, 1))}
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
            % {"sheets": _names(extra)}
        )
    scan = scan_sheet(workbook, title, len(columns), max_rows)
    table = Table(errors=list(scan.errors))
    if scan.unreadable:  # the cells cannot be built: report what the scan found
        return table
    if scan.last_row < 2 and allow_empty:
        return table
    if scan.last_row < 2:
        raise SpreadsheetError(_("The sheet “%(sheet)s” has no data rows.") % {"sheet": title})
    try:
        _read_rows(workbook, table, title, columns, scan.last_row)
    except (*DAMAGED, ValueError, TypeError, IndexError, KeyError, AttributeError) as error:
        # what the scan does not check (a sheet's page setup, views...) and the reader chokes on
        raise SpreadsheetError(
            _("The sheet “%(sheet)s” is damaged and cannot be read.") % {"sheet": title}
        ) from error
    if not table.rows and not table.errors and not allow_empty:
        raise SpreadsheetError(_("The sheet “%(sheet)s” has no data rows.") % {"sheet": title})
    return table


def _read_rows(workbook: Workbook, table: Table, title: str, columns, last_row: int) -> None:
    """The rows up to ``last_row``, typed by their columns, into ``table``."""
    rows = workbook[title].iter_rows(min_row=1, max_row=last_row, max_col=len(columns))
    header_errors = _check_header(title, next(rows), columns)
    if header_errors:  # the columns cannot be trusted: report the header alone
        table.errors.extend(header_errors)
        return
    # never asked for a row past the last: the reader would parse the rest of the sheet
    for number, cells in enumerate(itertools.islice(rows, last_row - 1), start=2):
        bounds.spend(number, last_row)
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


def _names(names: list[str]) -> str:
    """Sheet names for a message: the first few, and how many more."""
    printable = ["".join(ch for ch in name if ch.isprintable()) for name in names[:_SHOWN_NAMES]]
    shown = ", ".join(f"“{name[:_SHOWN_NAME]}”" for name in printable)
    if len(names) > _SHOWN_NAMES:
        shown += " " + _("and %(count)s other sheets") % {
            "count": format_number(len(names) - _SHOWN_NAMES)
        }
    return shown


def max_rows_note(max_rows: int = MAX_ROWS) -> str:
    """The line of a template's instructions that states the import's row limit."""
    return _(
        "At most %(max)s rows per file below the header; split a longer list into several files."
    ) % {"max": format_number(max_rows)}


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


def _check_header(title: str, header_row, columns: Sequence[Column]) -> list[CellError]:
    errors = []
    cells = list(header_row)
    for index, column in enumerate(columns):
        found = cells[index].value if index < len(cells) else None
        if vietnamese.fold(clean_input(str(found or ""))) != vietnamese.fold(str(column.header)):
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

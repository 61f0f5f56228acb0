"""The first pass over a sheet: its XML streamed once, in constant memory, before any cell is
built. It stops at the first sign of a file larger than an import may be, and reports what
would be imported wrongly (merged cells, hidden rows, values outside the columns) and every
cell whose stored value Excel itself could not have written (a number "NaN", a shared string
that does not exist, a yes/no cell holding 7...), by sheet, row and column. A sheet with such
a cell is not read any further: the reader that builds the cells would fail on it."""

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601

from dankhoeo.money import format_number
from dankhoeo.spreadsheets.spec import CellError, SpreadsheetError

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL_SLACK = 2  # empty styled cells allowed per expected cell before the file is refused
_SHOWN = 40  # characters of an unreadable value quoted in its message
_SHOWN_MERGES = 100  # merged ranges listed one by one
_MAX_OTHERS = 50_000  # elements of a sheet that are neither rows nor cells (validations...)
# What Excel writes in a number cell: digits, a point and an exponent; never NaN or INF.
# Possessive (never backtracking: "1111...1x" is refused in one pass) and at most 400 long.
_NUMBER = re.compile(r"[-+]?+(?:\d++(?:\.\d*+)?+|\.\d++)(?:[eE][-+]?+\d++)?+")
_LONGEST_NUMBER = 400
_REF = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")
_LETTERS = re.compile(r"^([A-Za-z]{1,3})")
# What a damaged archive or XML raises while it is streamed.
DAMAGED = (ElementTree.ParseError, zipfile.BadZipFile, zlib.error, EOFError, OSError)


@dataclass
class Scan:
    last_row: int = 0  # the last row holding a value
    errors: list[CellError] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    unreadable: bool = False  # a cell the reader of the cells cannot build
    merges: int = 0
    outside: set[int] = field(default_factory=set)  # columns right of the template's


def scan_sheet(workbook, title: str, width: int, max_rows: int) -> Scan:
    """Stream the sheet's XML once. Rows and cells without an address count on from the
    last."""
    try:
        return _scan(workbook, title, width, max_rows)
    except DAMAGED as error:
        raise SpreadsheetError(
            _("The sheet “%(sheet)s” is damaged and cannot be read.") % {"sheet": title}
        ) from error


def _scan(workbook, title: str, width: int, max_rows: int) -> Scan:
    scan = Scan()
    budget = (max_rows + 1) * max(width, 16) * _CELL_SLACK
    strings = len(workbook[title]._shared_strings)
    cells = row = column = others = 0
    hidden = False
    parents = []  # the open elements: each is dropped from its parent once read
    with workbook.sheet_xml(title) as stream:
        # expat (>= 2.4) refuses entity amplification and never fetches external entities
        events = ElementTree.iterparse(stream, events=("start", "end"))  # noqa: S314
        for event, element in events:
            tag = element.tag
            if event == "start":
                parents.append(element)
                if tag == f"{_NS}row":
                    row = _row_number(scan, title, element.get("r"), row + 1)
                    column = 0
                    hidden = element.get("hidden") in ("1", "true")
                continue
            parents.pop()
            if tag == f"{_NS}c":
                cells += 1
                if cells > budget:
                    raise _too_many(title)
                column = _column_number(scan, title, row, element.get("r"), column + 1)
                if len(element):  # a value, an inline string or a formula
                    _check_stored(workbook, scan, title, row, column, element, strings)
                    _scanned_value(scan, title, row, column, width, max_rows, hidden)
            elif parents and parents[-1].tag == f"{_NS}c":
                continue  # a cell's value, read with its cell
            elif tag == f"{_NS}mergeCell":
                _merged(scan, title, element.get("ref", ""))
            elif tag != f"{_NS}row":
                others += 1  # settings, columns' widths, validations...
                if others > _MAX_OTHERS:
                    raise _too_many(title)
            if parents:
                del parents[-1][-1]  # read: the element is the last child of its parent
    return scan


def _too_many(title: str) -> SpreadsheetError:
    return SpreadsheetError(
        _("The sheet “%(sheet)s” has too many cells for an import.") % {"sheet": title}
    )


def _merged(scan: Scan, title: str, ref: str) -> None:
    scan.merges += 1
    if scan.merges > _SHOWN_MERGES:
        return
    first = _REF.match(ref.partition(":")[0])
    scan.errors.append(
        CellError(
            title,
            int(first.group(2)) if first else None,
            first.group(1) if first else None,
            _("Merged cells (%(range)s) are not allowed: unmerge them.") % {"range": ref[:_SHOWN]},
        )
    )


def _date_ok(workbook, style: str | None, value: str) -> bool:
    """A number in a cell formatted as a date must be a day Excel can show (1e10 is not)."""
    if not style or int(style) not in workbook.book._date_formats:
        return True
    try:
        from_excel(float(value), workbook.book.epoch)
    except (OverflowError, ValueError):
        return False
    return True


def _check_stored(
    workbook, scan: Scan, title: str, row: int, column: int, element, strings: int
) -> None:
    """A cell's stored value must be one the reader of the cells can build, as Excel writes
    it for the cell's type (``t``); a formula's cached value is not read."""
    style = element.get("s")
    if style and not (style.isascii() and style.isdigit()):
        _unreadable(scan, title, row, column, style)
        return
    if element.find(f"{_NS}f") is not None:
        return
    kind = element.get("t", "n")
    value = element.findtext(f"{_NS}v") or None
    if value is None or kind in ("inlineStr", "str", "e"):
        return
    if kind == "n":
        good = (
            len(value) <= _LONGEST_NUMBER
            and bool(_NUMBER.fullmatch(value))
            and _date_ok(workbook, style, value)
        )
    elif kind == "s":
        good = value.isascii() and value.isdigit() and int(value) < strings
    elif kind == "b":
        good = value in ("0", "1")
    elif kind == "d":
        try:
            from_ISO8601(value)
            good = True
        except (ValueError, TypeError, OverflowError):
            good = False
    else:
        good = True  # an unknown type is read as text
    if not good:
        _unreadable(scan, title, row, column, value)


def _unreadable(scan: Scan, title: str, row: int, column: int, value: str) -> None:
    shown = value if len(value) <= _SHOWN else value[:_SHOWN] + "…"
    scan.unreadable = True
    scan.errors.append(
        CellError(
            title,
            row,
            get_column_letter(min(max(column, 1), 18278)),
            _(
                "The cell holds “%(value)s”, which Excel itself could not read: type the value "
                "again."
            )
            % {"value": shown},
        )
    )


def _scanned_value(
    scan: Scan, title: str, row: int, column: int, width: int, max_rows: int, hidden: bool
) -> None:
    if row > max_rows + 1:
        raise SpreadsheetError(
            _(
                "The sheet “%(sheet)s” has data in row %(row)s: an import takes at most "
                "%(max)s rows below the header. Split the file."
            )
            % {"sheet": title, "row": row, "max": format_number(max_rows)}
        )
    scan.last_row = max(scan.last_row, row)
    letter = get_column_letter(min(column, 18278))
    if column > width:
        if column in scan.outside:
            return  # said once per column
        scan.outside.add(column)
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


def _row_number(scan: Scan, title: str, text: str | None, default: int) -> int:
    """The row's number: its ``r`` when it has one, else the one after the last; an ``r``
    that is not a row number makes the sheet unreadable."""
    if text is None:
        return default
    if text.isascii() and text.isdigit() and 0 < int(text) <= 1_048_576:
        return int(text)
    scan.unreadable = True
    scan.errors.append(
        CellError(
            title,
            default,
            None,
            _(
                "The row's number “%(value)s” is not one Excel could write: save the file again "
                "in Excel."
            )
            % {"value": text[:_SHOWN]},
        )
    )
    return default


def _column_number(scan: Scan, title: str, row: int, ref: str | None, default: int) -> int:
    if ref is None:
        return default
    match = _REF.match(ref)
    if match and int(match.group(2)) > 0:
        return column_index_from_string(match.group(1))
    letters = _LETTERS.match(ref)  # name the cell by its letters when it has some
    if letters:
        default = column_index_from_string(letters.group(1).upper())
    scan.unreadable = True
    scan.errors.append(
        CellError(
            title,
            row,
            get_column_letter(min(default, 18278)),
            _(
                "The cell's address “%(value)s” is not one Excel could write: save the file "
                "again in Excel."
            )
            % {"value": ref[:_SHOWN]},
        )
    )
    return default

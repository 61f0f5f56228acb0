"""The shapes shared by reading and writing: columns, rows, tables, sheet specs, cell errors,
and the limits of an upload."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    bold_rows: frozenset[int] = frozenset()  # indexes into ``rows`` written bold (subtotals)
    frozen_columns: int = 0
    for_print: bool = False

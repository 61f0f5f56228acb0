"""What an import would do, row by row: new, changed or unchanged, with the changes, and how
place names are compared."""

from dataclasses import dataclass, field
from typing import Any

from dankhoeo import spreadsheets as xl
from dankhoeo import vietnamese
from villages.models import AdminUnit, Village

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
PREFIXES = ("thi tran ", "thanh pho ", "phuong ", "huyen ", "tinh ", "xa ", "thon ", "lang ")


def name_key(text: str) -> str:
    """The form in which place names are compared: accent-free, without "Xã", "Thôn"..."""
    key = vietnamese.fold(text)
    for prefix in PREFIXES:
        rest = key[len(prefix) :]
        if key.startswith(prefix) and rest and not rest[0].isdigit():
            return rest
    return key


def keys_of(place) -> set[str]:
    return {name_key(name) for name in [place.name, *place.alias_list]}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class PlannedRow:
    number: int
    status: str
    name: str
    commune: AdminUnit
    village: Village | None
    values: dict[str, Any]
    changes: list[Change] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.values.get("code") or (self.village.code if self.village else "")


@dataclass
class Preview:
    sheet: str
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[xl.CellError] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def new(self) -> int:
        return self.count(NEW)

    @property
    def changed(self) -> int:
        return self.count(CHANGED)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

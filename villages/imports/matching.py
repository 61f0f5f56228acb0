"""Matching the rows of a village list to the stored communes and villages (the rules are in
the package's docstring), one pass over the file, every name folded once."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dankhoeo import bounds, vietnamese
from dankhoeo import spreadsheets as xl
from dankhoeo.money import format_number
from villages.imports.rows import (
    CHANGED,
    NEW,
    UNCHANGED,
    Change,
    PlannedRow,
    Preview,
    keys_of,
    name_key,
)
from villages.imports.sheet import LETTER
from villages.models import AdminUnit, Village

COORDINATE = Decimal("0.000001")
ALIASES_LENGTH = Village._meta.get_field("aliases").max_length


class Matcher:
    def __init__(self, result: Preview):
        self.result = result
        units = list(
            AdminUnit.objects.filter(
                level__in=[AdminUnit.Level.DISTRICT, AdminUnit.Level.COMMUNE]
            ).order_by("sort_key", "pk")
        )
        self.units = {unit.pk: unit for unit in units}
        self.districts = [u for u in units if u.level == AdminUnit.Level.DISTRICT]
        self.communes = [u for u in units if u.level == AdminUnit.Level.COMMUNE]
        self.villages = list(Village.objects.order_by("pk"))
        self.by_code = {village.code: village for village in self.villages}
        self.by_place = defaultdict(list)
        for village in self.villages:
            self.by_place[self.now(village.commune_id)].append(village)
        self.codes_in_use = set(self.by_code)
        self.seen_codes: dict[str, int] = {}
        self.seen_villages: dict[int, int] = {}
        self.seen_new: dict[tuple[int, str], int] = {}
        self.next_number: dict[str, int] = {}
        self.keys: dict[tuple, set[str]] = {}

    def keys_of(self, place) -> set[str]:
        """The place's name keys, folded once per import (not once per row)."""
        key = (type(place), place.pk)
        if key not in self.keys:
            self.keys[key] = keys_of(place)
        return self.keys[key]

    def now(self, unit_id: int) -> int:
        """The id of the unit that exists today in this unit's lineage."""
        unit = self.units[unit_id]
        while unit.successor_id is not None:
            unit = self.units[unit.successor_id]
        return unit.pk

    def error(self, row: xl.Row, key: str, message: str) -> None:
        self.result.errors.append(xl.CellError(self.result.sheet, row.number, LETTER[key], message))

    def run(self, rows: list[xl.Row]) -> None:
        self.unreadable = {(error.row, error.column) for error in self.result.errors}
        for row in rows:
            code = row.values.get("code")
            if code:
                self.codes_in_use.add(code)
        for row in rows:
            bounds.spend()
            if "name" not in row.values or "commune" not in row.values:
                continue  # a required cell is empty or unreadable: already reported
            if not self.point_ok(row):
                continue
            commune = self.find_commune(row)
            if commune is not None:
                self.plan_row(row, commune)

    def point_ok(self, row: xl.Row) -> bool:
        """The row's coordinates lie in Vietnam and come in pairs (``bounds.check_point``); a
        cell that could not be read as a number was reported already."""
        if any((row.number, LETTER[key]) in self.unreadable for key in bounds.AXES):
            return False
        try:
            bounds.check_point(row.values.get("latitude"), row.values.get("longitude"))
        except ValidationError as error:
            for key, errors in error.error_dict.items():
                for message in ValidationError(errors).messages:
                    self.error(row, key, message)
            return False
        return True

    # Communes ---------------------------------------------------------------------------------

    def find_commune(self, row: xl.Row) -> AdminUnit | None:
        values = row.values
        if values.get("district"):
            district = self.find_district(row)
            if district is None:
                return None
            candidates = [c for c in self.communes if c.parent_id == district.pk]
            where = _("in %(district)s") % {"district": district.name}
        else:
            candidates = [c for c in self.communes if c.valid_to is None]
            where = _("among the communes of today (fill in the district for an older one)")
        if values.get("commune_code"):
            found = [c for c in candidates if c.code == values["commune_code"]]
            if not found:
                self.error(
                    row,
                    "commune_code",
                    _("There is no commune with the code %(code)s %(where)s.")
                    % {"code": values["commune_code"], "where": where},
                )
                return None
            if name_key(values["commune"]) not in self.keys_of(found[0]):
                self.error(
                    row,
                    "commune",
                    _(
                        "“%(name)s” is not the name of the commune with the code %(code)s "
                        "(%(unit)s)."
                    )
                    % {"name": values["commune"], "code": values["commune_code"], "unit": found[0]},
                )
                return None
            return found[0]
        wanted = name_key(values["commune"])
        return self.one(
            row,
            "commune",
            [c for c in candidates if wanted in self.keys_of(c)],
            _("There is no commune called “%(name)s” %(where)s.")
            % {"name": values["commune"], "where": where},
        )

    def find_district(self, row: xl.Row) -> AdminUnit | None:
        typed = row.values["district"]
        wanted = name_key(typed)
        return self.one(
            row,
            "district",
            [d for d in self.districts if d.code == typed or wanted in self.keys_of(d)],
            _("There is no district called “%(name)s”.") % {"name": typed},
        )

    def one(self, row: xl.Row, key: str, found: list, missing: str):
        if not found:
            self.error(row, key, missing)
            return None
        if len(found) > 1:
            self.error(
                row,
                key,
                _("“%(name)s” matches more than one unit: %(units)s. Give its code.")
                % {
                    "name": row.values[key],
                    "units": ", ".join(f"{unit.name} ({unit.code})" for unit in found),
                },
            )
            return None
        return found[0]

    # Villages ---------------------------------------------------------------------------------

    def plan_row(self, row: xl.Row, commune: AdminUnit) -> None:
        values = row.values
        code = values.get("code")
        place = self.now(commune.pk)
        if code:
            if code in self.seen_codes:
                self.error(
                    row,
                    "code",
                    _("The code %(code)s is also on row %(row)s.")
                    % {"code": code, "row": self.seen_codes[code]},
                )
                return
            self.seen_codes[code] = row.number
            village = self.by_code.get(code)
            matched_by_code = True
        else:
            wanted = name_key(values["name"])
            found = [v for v in self.by_place[place] if wanted in self.keys_of(v)]
            if len(found) > 1:
                self.error(
                    row,
                    "name",
                    _(
                        "“%(name)s” matches more than one village of this commune: %(villages)s. "
                        "Give the village code."
                    )
                    % {
                        "name": values["name"],
                        "villages": ", ".join(f"{v.name} ({v.code})" for v in found),
                    },
                )
                return
            village = found[0] if found else None
            matched_by_code = False
        if village is not None:
            if village.pk in self.seen_villages:
                self.error(
                    row,
                    "code" if code else "name",
                    _("This is the same village as row %(row)s.")
                    % {"row": self.seen_villages[village.pk]},
                )
                return
            self.seen_villages[village.pk] = row.number
            self.result.rows.append(self.update(row, commune, village, matched_by_code))
            return
        key = (place, name_key(values["name"]))
        if not code and key in self.seen_new:
            self.error(
                row,
                "name",
                _("The village “%(name)s” of this commune is also on row %(row)s.")
                % {"name": values["name"], "row": self.seen_new[key]},
            )
            return
        self.seen_new[key] = row.number
        self.result.rows.append(self.create(row, commune, code or self.new_code(commune)))

    def new_code(self, commune: AdminUnit) -> str:
        """The next free code of the commune ("23416-03"), counting on from the last one given
        in this import, so that a file of new villages is read in one pass."""
        number = self.next_number.get(commune.code, 1)
        while f"{commune.code}-{number:02d}" in self.codes_in_use:
            number += 1
        code = f"{commune.code}-{number:02d}"
        self.codes_in_use.add(code)
        self.next_number[commune.code] = number + 1
        return code

    def create(self, row: xl.Row, commune: AdminUnit, code: str) -> PlannedRow:
        values = row.values
        return PlannedRow(
            number=row.number,
            status=NEW,
            name=values["name"],
            commune=commune,
            village=None,
            values={
                "code": code,
                "name": values["name"],
                "aliases": self.aliases(
                    row, values["name"], (values.get("aliases") or "").split("|")
                ),
                "commune": commune,
                "ethnic_groups": values.get("ethnic_groups") or "",
                "extremely_disadvantaged": bool(values.get("extremely_disadvantaged")),
                "latitude": _coordinate(values.get("latitude")),
                "longitude": _coordinate(values.get("longitude")),
            },
        )

    def update(
        self, row: xl.Row, commune: AdminUnit, village: Village, matched_by_code: bool
    ) -> PlannedRow:
        """The changes the row brings to a village. Empty cells keep what is stored; a new
        spelling becomes another spelling, and a renamed village keeps its old name as one."""
        values = row.values
        planned: dict[str, Any] = {}
        typed = (values.get("aliases") or "").split("|")
        name = village.name
        if values["name"] not in (village.name, *village.alias_list):
            if matched_by_code:
                name = values["name"]
                typed.append(village.name)
            else:
                typed.append(values["name"])
        planned["name"] = name
        planned["aliases"] = self.aliases(row, name, [*village.alias_list, *typed])
        if not self.same_place(commune, village.commune_id):
            planned["commune"] = commune
        for key in ("ethnic_groups", "extremely_disadvantaged"):
            if values.get(key) is not None:
                planned[key] = values[key]
        for key in ("latitude", "longitude"):
            if values.get(key) is not None:
                planned[key] = _coordinate(values[key])
        planned["is_demo"] = False
        stored = {key: getattr(village, key) for key in planned if key != "commune"}
        stored["commune"] = self.units[village.commune_id]
        changed = {key: value for key, value in planned.items() if stored[key] != value}
        return PlannedRow(
            number=row.number,
            status=CHANGED if changed else UNCHANGED,
            name=name,
            commune=commune,
            village=village,
            values=changed,
            changes=[
                Change(_label(key), _shown(stored[key]), _shown(value))
                for key, value in changed.items()
            ],
        )

    def aliases(self, row: xl.Row, name: str, spellings: list[str]) -> str:
        """Other spellings merged without repeats (ignoring accents and case) and without the
        name itself (whatever their case); an error on the row when they no longer fit."""
        kept: dict[str, str] = {}
        for spelling in (vietnamese.clean(text) for text in spellings):
            if spelling and spelling.casefold() != name.casefold():
                kept.setdefault(spelling.casefold(), spelling)
        joined = "|".join(kept.values())
        if len(joined) > ALIASES_LENGTH:
            self.error(
                row,
                "aliases",
                _(
                    "With the spellings already stored, the other spellings would take "
                    "%(length)s characters; at most %(max)s fit. Shorten the list."
                )
                % {"length": format_number(len(joined)), "max": format_number(ALIASES_LENGTH)},
            )
        return joined

    def same_place(self, commune: AdminUnit, stored_id: int) -> bool:
        """The file names the village's stored commune, or what that commune became, or the
        old commune of a village entered under the new one: nothing moves."""
        return (
            commune.pk == stored_id
            or self.now(stored_id) == commune.pk
            or (self.now(commune.pk) == stored_id)
        )


def _coordinate(value: Decimal | None) -> Decimal | None:
    return value.quantize(COORDINATE) if value is not None else None


def _label(key: str) -> str:
    return str(Village._meta.get_field(key).verbose_name)


def _shown(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None:
        return ""
    return str(value)

"""Reference data: Kon Tum's three districts of Plan 133-KH/TU with their 32 communes until
30/6/2025, and Quảng Ngãi with the 13 communes that replaced them from 1/7/2025
(fixtures/admin_units.csv, from the statistics office list and NQ 1677/NQ-UBTVQH15)."""

import csv
import datetime
from pathlib import Path

from django.db import migrations

from dankhoeo import vietnamese

CSV = Path(__file__).resolve().parents[2] / "fixtures" / "admin_units.csv"


def day(text):
    return datetime.date.fromisoformat(text) if text else None


def load(apps, schema_editor):
    AdminUnit = apps.get_model("villages", "AdminUnit")
    rows = list(csv.DictReader(CSV.open(encoding="utf-8")))
    units = {}
    for row in rows:
        aliases = [vietnamese.clean(a) for a in row["aliases"].split("|") if a.strip()]
        name = vietnamese.clean(row["name"])
        unit = AdminUnit.objects.create(
            level=row["level"],
            code=row["code"],
            name=name,
            aliases="|".join(aliases),
            valid_from=day(row["valid_from"]),
            valid_to=day(row["valid_to"]),
            note=row["note"],
            search_text=" | ".join(vietnamese.fold(t) for t in [name, *aliases, row["code"]]),
            sort_key=vietnamese.place_sort_key(name),
        )
        units[(row["level"], row["code"], row["valid_from"])] = (unit, row)

    def unit_after(code, level, after):
        """The unit with this code that was valid just after a date (codes are reused)."""
        candidates = [
            unit
            for (lvl, c, _), (unit, _) in units.items()
            if c == code and lvl == level and (after is None or (unit.valid_from or after) > after)
        ]
        return candidates[0] if candidates else None

    parent_levels = {"commune": ("district", "province"), "district": ("province",)}
    for unit, row in units.values():
        if row["parent_code"]:
            for level in parent_levels[row["level"]]:
                parent = [
                    u
                    for (lvl, c, _), (u, _) in units.items()
                    if lvl == level and c == row["parent_code"]
                ]
                if parent:
                    unit.parent = parent[0]
                    break
        if row["successor_code"]:
            unit.successor = unit_after(row["successor_code"], row["level"], unit.valid_to)
        unit.save(update_fields=["parent", "successor"])


def unload(apps, schema_editor):
    AdminUnit = apps.get_model("villages", "AdminUnit")
    codes = {row["code"] for row in csv.DictReader(CSV.open(encoding="utf-8"))}
    units = AdminUnit.objects.filter(code__in=codes)
    units.update(successor=None, parent=None)
    units.delete()


class Migration(migrations.Migration):
    dependencies = [("villages", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]

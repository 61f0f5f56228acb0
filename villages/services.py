"""Writes on administrative units, villages and their yearly statistics.

Each function is keyword-only, runs in one transaction and raises ``dankhoeo.errors.Refused`` (a
``ValidationError`` with a translated message) when a rule of the domain refuses the change;
the database is then left exactly as it was. The Excel import reads in ``villages.imports`` and
saves here.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from dankhoeo import access, bounds, importflow, vietnamese
from dankhoeo.errors import Refused
from dankhoeo.models import User
from villages import imports
from villages.models import AdminUnit, Village, VillageYear, villages_saved_in_bulk

BATCH = 500  # rows written or looked up per query by an import

# Administrative units -----------------------------------------------------------------------

UNIT_FIELDS = ("code", "name", "aliases", "parent", "valid_from", "note")
# What may still change on a unit that is history (closed, usually merged into another).
HISTORY_FIELDS = ("aliases", "note")
PARENT_LEVELS = {
    AdminUnit.Level.PROVINCE: (),
    AdminUnit.Level.DISTRICT: (AdminUnit.Level.PROVINCE,),
    AdminUnit.Level.COMMUNE: (AdminUnit.Level.DISTRICT, AdminUnit.Level.PROVINCE),
}


def _date(day: datetime.date | None) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else ""


def _overlaps(unit: AdminUnit, other: AdminUnit) -> bool:
    """Whether two units' periods of validity share a day (open ends reach forever)."""
    starts_before_other_ends = (
        unit.valid_from is None or other.valid_to is None or unit.valid_from <= other.valid_to
    )
    other_starts_before_unit_ends = (
        other.valid_from is None or unit.valid_to is None or other.valid_from <= unit.valid_to
    )
    return starts_before_other_ends and other_starts_before_unit_ends


def _check_unit(unit: AdminUnit) -> None:
    if not unit.name:
        raise Refused(_("The name is required."))
    if not unit.code:
        raise Refused(_("The statistics code is required."))
    allowed = PARENT_LEVELS[unit.level]
    if unit.parent is None and allowed:
        raise Refused(_("Choose the unit this one belongs to."))
    if unit.parent is not None and unit.parent.level not in allowed:
        raise Refused(
            _("A %(level)s cannot belong to a %(parent)s.")
            % {
                "level": unit.get_level_display().lower(),
                "parent": unit.parent.get_level_display().lower(),
            }
        )
    if (
        unit.parent is not None
        and unit.parent.valid_to is not None
        and unit.valid_from is not None
        and unit.valid_from > unit.parent.valid_to
    ):
        raise Refused(
            _("%(parent)s no longer existed on %(day)s.")
            % {"parent": unit.parent.name, "day": _date(unit.valid_from)}
        )
    namesakes = AdminUnit.objects.filter(level=unit.level, code=unit.code).exclude(pk=unit.pk)
    for other in namesakes:
        if _overlaps(unit, other):
            raise Refused(
                _(
                    "The code %(code)s is used by %(other)s during the same period. A code may "
                    "only be reused by a unit that starts after the other one ended."
                )
                % {"code": unit.code, "other": other.name}
            )


@transaction.atomic
def adminunit_create(
    *,
    level: str,
    code: str,
    name: str,
    aliases: str = "",
    parent: AdminUnit | None = None,
    valid_from: datetime.date | None = None,
    note: str = "",
) -> AdminUnit:
    unit = AdminUnit(
        level=level,
        code=vietnamese.clean(code),
        name=name,
        aliases=aliases,
        parent=parent,
        valid_from=valid_from,
        note=vietnamese.clean(note),
    )
    unit.refresh_keys()
    _check_unit(unit)
    unit.save()
    return unit


@transaction.atomic
def adminunit_update(*, unit: AdminUnit, **changes) -> AdminUnit:
    """Change a unit's code, name, spellings, parent, start date or note.

    A unit that is history (closed, usually merged into another) keeps its record as it was:
    only its other spellings and note may still change, so that searching finds it."""
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"adminunit_update() cannot change {sorted(unknown)}")
    unit = AdminUnit.objects.select_for_update().get(pk=unit.pk)
    changed = {key for key, value in changes.items() if getattr(unit, key) != value}
    if unit.valid_to is not None and changed - set(HISTORY_FIELDS):
        if unit.successor_id:
            reason = _("%(unit)s was merged into %(successor)s on %(day)s.") % {
                "unit": unit.name,
                "successor": unit.successor.name,
                "day": _date(unit.valid_to + datetime.timedelta(days=1)),
            }
        else:
            reason = _("%(unit)s ceased to exist after %(day)s.") % {
                "unit": unit.name,
                "day": _date(unit.valid_to),
            }
        raise Refused(
            _("%(reason)s Its record is history: only other spellings and the note may change.")
            % {"reason": reason}
        )
    for key, value in changes.items():
        setattr(unit, key, vietnamese.clean(value) if key in ("code", "note") else value)
    unit.refresh_keys()
    _check_unit(unit)
    unit.save()
    return unit


@transaction.atomic
def adminunit_close(
    *, unit: AdminUnit, valid_to: datetime.date, successor: AdminUnit | None = None
) -> AdminUnit:
    """Record that a unit ceased to exist after ``valid_to``, merged into ``successor`` if any.

    Villages keep the commune they had: the lineage says where they are now. So a unit that
    still has current villages may only be closed into a successor."""
    unit = AdminUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.valid_to is not None:
        raise Refused(
            _("%(unit)s is already closed (valid until %(day)s).")
            % {"unit": unit.name, "day": _date(unit.valid_to)}
        )
    if unit.valid_from is not None and valid_to < unit.valid_from:
        raise Refused(_("A unit cannot end before it starts."))
    open_children = list(unit.children.filter(valid_to__isnull=True).values_list("name", flat=True))
    if open_children:
        raise Refused(
            _("%(unit)s still has current units under it: %(children)s. Close them first.")
            % {
                "unit": unit.name,
                "children": ", ".join(vietnamese.sorted_vietnamese(open_children)),
            }
        )
    if successor is not None:
        _check_successor(unit, valid_to, successor)
    else:
        current_villages = unit.villages.filter(valid_to__isnull=True).count()
        if current_villages:
            raise Refused(
                _(
                    "%(unit)s still has %(count)s current villages. Say which unit it was "
                    "merged into, so that they follow it, or move them first."
                )
                % {"unit": unit.name, "count": current_villages}
            )
    unit.valid_to = valid_to
    unit.successor = successor
    unit.save(update_fields=["valid_to", "successor"])
    return unit


def _check_successor(unit: AdminUnit, valid_to: datetime.date, successor: AdminUnit) -> None:
    if successor.level != unit.level:
        raise Refused(_("A unit can only be merged into a unit of the same level."))
    if successor.pk == unit.pk or successor.current().pk == unit.pk:
        raise Refused(_("A unit cannot be merged into itself."))
    next_day = valid_to + datetime.timedelta(days=1)
    if not successor.is_valid_on(next_day):
        raise Refused(
            _("%(successor)s does not exist on %(day)s, the day after the closing date.")
            % {"successor": successor.name, "day": _date(next_day)}
        )


# Villages -------------------------------------------------------------------------------------

VILLAGE_FIELDS = (
    "code",
    "name",
    "aliases",
    "commune",
    "ethnic_groups",
    "extremely_disadvantaged",
    "latitude",
    "longitude",
    "is_demo",
)


def _check_village(village: Village) -> None:
    _check_villages([village])


def _check_villages(villages: list[Village]) -> None:
    """The rules of a village, for one or for a whole import at once: each village's own
    fields, then its code, unique in the batch and among the stored villages (one query per
    ``BATCH`` codes, whatever the number of villages)."""
    for village in villages:
        if not village.code:
            raise Refused(_("The village code is required."))
        if not village.name:
            raise Refused(_("The name is required."))
        if village.commune.level != AdminUnit.Level.COMMUNE:
            raise Refused(_("A village must belong to a commune."))
        try:
            bounds.check_point(village.latitude, village.longitude)
        except ValidationError as error:
            raise Refused(error.error_dict) from None
    owners: dict[str, int | None] = {}
    for village in villages:
        if village.code in owners:
            raise _code_taken(village.code)
        owners[village.code] = village.pk
    codes = list(owners)
    for start in range(0, len(codes), BATCH):
        stored = Village.objects.filter(code__in=codes[start : start + BATCH])
        for code, pk in stored.values_list("code", "pk"):
            if owners[code] != pk:
                raise _code_taken(code)


def _code_taken(code: str) -> Refused:
    return Refused(_("The code %(code)s is already used by another village.") % {"code": code})


def _new_village(
    *,
    code: str,
    name: str,
    commune: AdminUnit,
    aliases: str = "",
    ethnic_groups: str = "",
    extremely_disadvantaged: bool = False,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    is_demo: bool = False,
) -> Village:
    village = Village(
        code=vietnamese.clean(code),
        name=name,
        commune=commune,
        aliases=aliases,
        ethnic_groups=vietnamese.clean(ethnic_groups),
        extremely_disadvantaged=extremely_disadvantaged,
        latitude=latitude,
        longitude=longitude,
        is_demo=is_demo,
    )
    village.refresh_keys()
    return village


def _change_village(village: Village, changes: dict) -> Village:
    unknown = set(changes) - set(VILLAGE_FIELDS)
    if unknown:
        raise TypeError(f"village_update() cannot change {sorted(unknown)}")
    for key, value in changes.items():
        setattr(
            village, key, vietnamese.clean(value) if key in ("code", "ethnic_groups") else value
        )
    village.refresh_keys()
    return village


@transaction.atomic
def village_create(**values) -> Village:
    """A new village (the keyword arguments of ``_new_village``), checked and saved."""
    village = _new_village(**values)
    _check_village(village)
    village.save()
    return village


@transaction.atomic
def village_update(*, village: Village, **changes) -> Village:
    village = _change_village(Village.objects.select_for_update().get(pk=village.pk), changes)
    _check_village(village)
    village.save()
    return village


# Yearly statistics ----------------------------------------------------------------------------

YEAR_FIELDS = (
    "households",
    "population",
    "poor_households",
    "near_poor_households",
    "ethnic_minority_share",
    "note",
)
FIRST_YEAR = 2000


@transaction.atomic
def villageyear_save(*, user: User, village: Village, year: int, **values) -> VillageYear:
    """Create or replace a village's statistics for one year (staff, and liaisons for the
    villages of their agency under a plan in progress)."""
    unknown = set(values) - set(YEAR_FIELDS)
    if unknown:
        raise TypeError(f"villageyear_save() cannot set {sorted(unknown)}")
    if not access.can_edit_village(user, village):
        raise PermissionDenied
    last_year = datetime.date.today().year + 1
    if not FIRST_YEAR <= year <= last_year:
        raise Refused(
            _("The year must be between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": last_year}
        )
    households = values.get("households")
    poor = values.get("poor_households") or 0
    near_poor = values.get("near_poor_households") or 0
    if households is not None and poor + near_poor > households:
        raise Refused(
            _(
                "Poor and near-poor households (%(count)s) cannot outnumber the households "
                "(%(households)s)."
            )
            % {"count": poor + near_poor, "households": households}
        )
    population = values.get("population")
    if households is not None and population is not None and population < households:
        raise Refused(_("The population cannot be smaller than the number of households."))
    share = values.get("ethnic_minority_share")
    if share is not None and not Decimal(0) <= share <= Decimal(100):
        raise Refused(_("The ethnic-minority share is a percentage between 0 and 100."))
    values["note"] = vietnamese.clean(values.get("note") or "")
    statistics, _created = VillageYear.objects.update_or_create(
        village=village, year=year, defaults=values
    )
    return statistics


# Import of the official lists ---------------------------------------------------------------


class ImportRefused(Refused):
    """The workbook has errors: nothing was saved. ``preview`` holds every error."""

    def __init__(self, result: imports.Preview):
        self.preview = result
        super().__init__(
            _("The file has %(count)s errors; nothing was saved. Correct them and try again.")
            % {"count": len(result.errors)}
        )


def village_import(*, source, dry_run: bool = False) -> imports.Preview:
    """Import an official village list (an .xlsx) in one transaction, or nothing at all.

    Raises ``spreadsheets.SpreadsheetError`` for a file that cannot be used and
    ``ImportRefused`` when any row has an error. With ``dry_run`` only checks."""
    result = imports.preview(source)
    if result.errors:
        raise ImportRefused(result)
    if dry_run:
        return result
    return village_import_save(preview=result)


@transaction.atomic
def village_import_save(*, preview: imports.Preview) -> imports.Preview:
    """Save a preview of an import (``imports.preview``): every row or none. The rules are
    those of ``village_create`` and ``village_update``, checked for the whole file at once;
    the villages are written ``BATCH`` at a time, so the cost grows with the rows, not with
    a query or two per row."""
    if preview.errors:
        raise ImportRefused(preview)
    new = [_new_village(**row.values) for row in preview.rows if row.status == imports.NEW]
    changes = {row.village.pk: row.values for row in preview.rows if row.status == imports.CHANGED}
    stored = []
    pks = list(changes)
    for start in range(0, len(pks), BATCH):
        bounds.spend()
        chunk = pks[start : start + BATCH]
        locked = Village.objects.select_for_update(of=("self",)).select_related("commune")
        locked = locked.filter(pk__in=chunk)
        stored += [_change_village(village, changes[village.pk]) for village in locked]
    _check_villages([*new, *stored])
    bounds.spend()
    Village.objects.bulk_create(new, batch_size=BATCH)
    fields = {*VILLAGE_FIELDS, "search_text", "sort_key"}
    Village.objects.bulk_update(stored, sorted(fields), batch_size=BATCH)
    if new or stored:
        villages_saved_in_bulk.send(sender=Village)
    return preview


def _import_counts(preview: imports.Preview) -> dict[str, int]:
    return {"new": preview.new, "changed": preview.changed, "unchanged": preview.unchanged}


@importflow.flow_factory
def import_flow(user: User) -> importflow.Flow:
    """The import of the official village list (staff: the view checks)."""
    return importflow.Flow(
        read=imports.preview,
        save=lambda preview: village_import_save(preview=preview),
        target="villages",
        detail=lambda preview: ", ".join(f"{k} {v}" for k, v in _import_counts(preview).items()),
        message=lambda preview: importflow.counts(
            _("Import done: %(new)s new villages, %(changed)s changed, %(unchanged)s unchanged."),
            _import_counts(preview),
        ),
        size=lambda preview: len(preview.rows),
        title=_("Import of the village list"),
    )

"""Writes on villages and their yearly statistics, and the saving of an Excel import of the
official lists (read in ``villages.imports``), each keyword-only, in one transaction, refused
with ``dankhoeo.errors.Refused``."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dankhoeo import access, bounds, importflow, vietnamese
from dankhoeo.errors import Refused
from dankhoeo.models import User
from villages import imports
from villages.models import AdminUnit, Village, VillageYear, villages_saved_in_bulk

BATCH = 500  # rows written or looked up per query by an import

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
    total = 2 * len(pks) + len(new)  # each changed village read then written, each new written
    for start in range(0, len(pks), BATCH):
        bounds.spend(start, total)
        chunk = pks[start : start + BATCH]
        locked = Village.objects.select_for_update(of=("self",)).select_related("commune")
        locked = locked.filter(pk__in=chunk)
        stored += [_change_village(village, changes[village.pk]) for village in locked]
    _check_villages([*new, *stored])
    for start in range(0, len(new), BATCH):
        bounds.spend(len(pks) + start, total)
        Village.objects.bulk_create(new[start : start + BATCH])
    fields = sorted({*VILLAGE_FIELDS, "search_text", "sort_key"})
    for start in range(0, len(stored), BATCH):
        bounds.spend(len(pks) + len(new) + start, total)
        Village.objects.bulk_update(stored[start : start + BATCH], fields)
    bounds.spend()
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
        preview_template="villages/_import_preview.html",
    )

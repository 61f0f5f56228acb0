"""Writes on administrative units: create, correct, and close one (usually merged into its
successor), each keyword-only, in one transaction, refused with ``dankhoeo.errors.Refused``."""

import datetime

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from dankhoeo import vietnamese
from dankhoeo.errors import Refused
from villages.models import AdminUnit

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

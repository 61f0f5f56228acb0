"""The scope of a report: the whole plan, an old district, a commune (old or new), an agency or
a village, written as a short text that fits a URL and a command line:

    ""                the whole plan
    "district:<id>"   an old district (until the 2025 reform)
    "commune:<id>"    a commune; a new commune counts the old communes merged into it
    "agency:<code>"   the villages an agency is assigned to under the plan
    "village:<code>"  one village

What a user sees inside a scope is still decided by ``dankhoeo/access/``.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from assignments.models import Agency, Plan
from dankhoeo import bounds
from villages.models import AdminUnit, Village

KINDS = ("plan", "district", "commune", "agency", "village")


class ScopeError(ValueError):
    """The scope text is malformed or names nothing that exists; the message says why."""


class ScopeMissing(ScopeError):
    """The scope text names a unit, agency or village that does not exist. A user must not
    tell it from one outside their scope (see ``exporters.resolve``)."""


@dataclass(frozen=True)
class Scope:
    kind: str
    key: str = ""
    label: str = ""
    unit: AdminUnit | None = None
    agency: Agency | None = None
    village: Village | None = None

    @property
    def text(self) -> str:
        return "" if self.kind == "plan" else f"{self.kind}:{self.key}"

    @property
    def is_whole_plan(self) -> bool:
        return self.kind == "plan"

    def plan_villages(self, plan: Plan, villages: QuerySet[Village]) -> QuerySet[Village]:
        """The villages of the plan inside this scope (a plan covers the villages listed on it
        and those assigned under it)."""
        villages = villages.among(plan.village_ids())
        if self.kind == "district":
            return villages.filter(commune__parent=self.unit)
        if self.kind == "commune":
            return villages.in_commune(self.unit)
        if self.kind == "agency":
            return villages.filter(
                pk__in=plan.assignments.filter(agency=self.agency).values("village")
            )
        if self.kind == "village":
            return villages.filter(pk=self.village.pk)
        return villages


WHOLE_PLAN = Scope("plan")


def parse_scope(text: str | None) -> Scope:
    """Read a scope text; raise ScopeError when it is malformed or names nothing."""
    text = (text or "").strip()
    if not text or text == "plan":
        return WHOLE_PLAN
    kind, _sep, key = text.partition(":")
    key = key.strip()
    if kind not in KINDS or not key:
        raise ScopeError(
            _(
                "Unknown scope “%(scope)s”: use district:<id>, commune:<id>, agency:<code> or "
                "village:<code>."
            )
            % {"scope": text}
        )
    if kind in ("district", "commune"):
        level = AdminUnit.Level.DISTRICT if kind == "district" else AdminUnit.Level.COMMUNE
        pk = bounds.whole_number(key, bounds.ID)
        unit = AdminUnit.objects.filter(level=level, pk=pk).first() if pk else None
        if unit is None:
            message = (
                _("No district with id %(key)s.")
                if kind == "district"
                else _("No commune with id %(key)s.")
            )
            raise ScopeMissing(message % {"key": key})
        label = unit.name_with_successor() if kind == "commune" else unit.name
        return Scope(kind, str(unit.pk), label, unit=unit)
    if kind == "agency":
        agency = Agency.objects.filter(code=key).first()
        if agency is None:
            raise ScopeMissing(_("No agency with code %(key)s.") % {"key": key})
        return Scope(kind, agency.code, agency.name, agency=agency)
    village = Village.objects.with_places().filter(code=key).first()
    if village is None:
        raise ScopeMissing(_("No village with code %(key)s.") % {"key": key})
    return Scope(kind, village.code, village.name, village=village)

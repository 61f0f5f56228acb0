"""Where: administrative units with their history, villages, and yearly village statistics.

Units and villages carry validity dates and a successor, because the map changed on
1 July 2025 (Kon Tum merged into Quảng Ngãi, districts abolished, communes merged). A record
keeps the unit it had when it was entered; the lineage tells what that unit is now.
"""

import datetime
import functools

from django.db import models
from django.db.models import Q
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

from dankhoeo import bounds, vietnamese


class NamedQuerySet(models.QuerySet):
    def search(self, text: str):
        """Match names, aliases and codes without accents, with đ = d, in any case."""
        folded = vietnamese.fold(text)
        if not folded:
            return self
        return self.filter(search_text__contains=folded)

    def in_vietnamese_order(self):
        return self.order_by("sort_key", "pk")


class Named(models.Model):
    """Name, aliases and the derived search and sort keys shared by units and villages."""

    name = models.CharField(_("name"), max_length=200)
    aliases = models.CharField(
        _("other spellings"),
        max_length=500,
        blank=True,
        help_text=_("Other spellings of the name, separated by “|”, e.g. Đắk Glei|Dak Glei."),
    )
    search_text = models.CharField(max_length=800, editable=False, db_index=True)
    sort_key = models.CharField(max_length=800, editable=False, db_index=True)

    class Meta:
        abstract = True

    @property
    def alias_list(self) -> list[str]:
        return [alias for alias in (vietnamese.clean(a) for a in self.aliases.split("|")) if alias]

    def refresh_keys(self) -> None:
        """Derive the stored search and sort keys from name, aliases and code. Services call
        this before saving, so that the keys are computed in one place."""
        self.name = vietnamese.clean(self.name)
        self.aliases = "|".join(self.alias_list)
        self.search_text = " | ".join(
            vietnamese.fold(text) for text in [self.name, *self.alias_list, self.code]
        )
        self.sort_key = vietnamese.place_sort_key(self.name)


class AdminUnitQuerySet(NamedQuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def communes(self):
        return self.filter(level=AdminUnit.Level.COMMUNE)

    def districts(self):
        return self.filter(level=AdminUnit.Level.DISTRICT)

    def provinces(self):
        return self.filter(level=AdminUnit.Level.PROVINCE)

    def in_province(self, province: "AdminUnit"):
        """Districts and communes of a province, and of the provinces merged into it."""
        provinces = [province.pk, *province.predecessors.values_list("pk", flat=True)]
        return self.filter(Q(parent__in=provinces) | Q(parent__parent__in=provinces))

    def still_valid(self):
        """Units that exist today (not closed)."""
        return self.filter(valid_to__isnull=True)

    def closed(self):
        return self.filter(valid_to__isnull=False)


class AdminUnit(Named):
    """A province, district or commune as it was between two dates.

    Statistics codes are reused by new units (the new Xã Đăk Sao has the code of the old one),
    so a code alone is not a key: (level, code, valid_from) is.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        DISTRICT = "district", _("District")
        COMMUNE = "commune", _("Commune")

    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    code = models.CharField(_("statistics code"), max_length=10)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("belongs to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "valid_from"],
                name="villages_adminunit_code_from_unique",
            ),
            models.UniqueConstraint(
                fields=["level", "code"],
                condition=Q(valid_from__isnull=True),
                name="villages_adminunit_code_unique_when_open_start",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="villages_adminunit_valid_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(valid_to__isnull=False),
                name="villages_adminunit_successor_needs_end",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def current(self) -> "AdminUnit":
        """Follow the lineage to the unit that exists today (a unit never has a cycle)."""
        unit = self
        while unit.successor_id is not None:
            unit = unit.successor
        return unit

    def name_with_successor(self) -> str:
        """ "Xã Đăk Na (nay là xã Đăk Sao)" for a unit that was merged; the name otherwise."""
        if self.successor_id is None:
            return self.name
        now = self.current()
        if now.name == self.name:
            return self.name
        return _("%(then)s (now %(now)s)") % {"then": self.name, "now": lower_first(now.name)}


def lower_first(name: str) -> str:
    """ "Xã Đăk Sao" → "xã Đăk Sao", as it reads inside a sentence."""
    return name[:1].lower() + name[1:] if name else name


@models.ForeignKey.register_lookup
@models.BigAutoField.register_lookup
class AnyOf(models.Lookup):
    """``pk__any_of=ids``, ``village__any_of=ids``: on PostgreSQL ``id = ANY('{…}'::bigint[])``
    with the ids written once as one array text, which the planner counts right and reads
    through the index. An IN list of thousands of placeholders is slow to build, and
    ``IN (SELECT unnest(…))`` is planned as 200 rows whatever its length. The ids are kept as
    a tuple, which Django hashes at C speed when it compares queries."""

    lookup_name = "any_of"
    prepare_rhs = False  # a tuple of ids, not one value of the field

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, _array_text(self.rhs)]
        placeholders = ", ".join(["%s"] * len(self.rhs)) or "NULL"
        return f"{lhs} IN ({placeholders})", [*lhs_params, *self.rhs]


@functools.lru_cache(maxsize=8)
def _array_text(ids: tuple[int, ...]) -> str:
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


class VillageQuerySet(NamedQuerySet):
    def among(self, ids):
        """The villages of these ids, however many (see ``AnyOf``)."""
        return self.filter(pk__any_of=tuple(ids))

    def with_places(self):
        return self.select_related(
            "commune", "commune__parent", "commune__successor", "commune__successor__parent"
        )

    def in_commune(self, commune: AdminUnit):
        """Villages of a commune, counting those of the communes merged into it."""
        return self.filter(Q(commune=commune) | Q(commune__successor=commune))

    def in_province(self, province: AdminUnit):
        """Villages whose commune lies in the province or in one merged into it."""
        return self.filter(commune__in=AdminUnit.objects.in_province(province))

    def in_district(self, district: AdminUnit):
        return self.filter(commune__parent=district)

    def flagged(self, *, extremely_disadvantaged: bool | None = None, demo: bool | None = None):
        """Keep villages with the given flags (None: either)."""
        villages = self
        if extremely_disadvantaged is not None:
            villages = villages.filter(extremely_disadvantaged=extremely_disadvantaged)
        if demo is not None:
            villages = villages.filter(is_demo=demo)
        return villages


# Sent once after an import wrote many villages at once (``bulk_create``/``bulk_update``, which
# send no post_save): whoever keeps something derived from the villages refreshes it.
villages_saved_in_bulk = Signal()


class Village(Named):
    """A village (thôn, làng). Its commune is the one it belonged to when it was entered; the
    commune's lineage says which commune it is in now."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    commune = models.ForeignKey(
        AdminUnit,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="villages",
        limit_choices_to={"level": AdminUnit.Level.COMMUNE},
    )
    ethnic_groups = models.CharField(_("ethnic groups"), max_length=200, blank=True)
    extremely_disadvantaged = models.BooleanField(
        _("extremely disadvantaged village (thôn ĐBKK)"), default=False
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=bounds.coordinate_validators("latitude"),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=bounds.coordinate_validators("longitude"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Invented for the demo; not official.")
    )

    objects = VillageQuerySet.as_manager()

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["sort_key", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="villages_village_valid_dates_ordered",
            ),
            models.CheckConstraint(
                condition=bounds.point_condition(), name="villages_village_point_in_vietnam"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def commune_now(self) -> AdminUnit:
        return self.commune.current()


class VillageYear(models.Model):
    """Statistics of a village for one year."""

    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=bounds.YEAR.validators())
    households = models.PositiveIntegerField(
        _("households"), null=True, blank=True, validators=bounds.COUNT.validators()
    )
    population = models.PositiveIntegerField(
        _("population"), null=True, blank=True, validators=bounds.COUNT.validators()
    )
    poor_households = models.PositiveIntegerField(
        _("poor households"), null=True, blank=True, validators=bounds.COUNT.validators()
    )
    near_poor_households = models.PositiveIntegerField(
        _("near-poor households"), null=True, blank=True, validators=bounds.COUNT.validators()
    )
    ethnic_minority_share = models.DecimalField(
        _("ethnic-minority share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=bounds.PERCENT.validators(),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("village statistics for a year")
        verbose_name_plural = _("village statistics by year")
        ordering = ["village", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year"], name="villages_villageyear_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(ethnic_minority_share__isnull=True)
                | Q(ethnic_minority_share__gte=0, ethnic_minority_share__lte=100),
                name="villages_villageyear_share_is_percent",
            ),
            models.CheckConstraint(
                condition=bounds.YEAR.condition("year")
                & bounds.COUNT.condition("households", null=True)
                & bounds.COUNT.condition("population", null=True)
                & bounds.COUNT.condition("poor_households", null=True)
                & bounds.COUNT.condition("near_poor_households", null=True),
                name="villages_villageyear_figures_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.year}"

    @property
    def poverty_rate(self):
        """Poor households as a percentage of households (None when unknown)."""
        if not self.households or self.poor_households is None:
            return None
        return round(100 * self.poor_households / self.households, 2)

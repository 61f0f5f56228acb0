"""What the agencies did in their villages: activities, resources mobilised, proposals and
difficulties (the "Dân vận khéo" models are in ``dvk``), on the common ``VillageWork``."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from assignments.models.plans import Agency, Plan
from criteria.models import Criterion
from dankhoeo import bounds
from villages.models import Village


class OutdatedCustom(models.Model):
    """One of the 14 outdated customs Kon Tum campaigns against (Directive 13-CT/TU)."""

    class Kind(models.TextChoices):
        HARMFUL = "harmful", _("Harmful custom (hủ tục)")
        UNSUITABLE = "unsuitable", _("Custom no longer suitable")

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=bounds.CRITERION_NUMBER.validators()
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)

    class Meta:
        verbose_name = _("outdated custom")
        verbose_name_plural = _("outdated customs")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class ResourceSource(models.Model):
    """Where mobilised resources come from (state budget, credit, enterprises, ...)."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("resource source")
        verbose_name_plural = _("resource sources")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class VillageWork(models.Model):
    """What every record of an agency's work in a village carries."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        abstract = True


class ActivityQuerySet(models.QuerySet):
    def in_year(self, year: int):
        return self.in_years(year, year)

    def in_years(self, first: int, last: int):
        return self.filter(held_on__year__gte=first, held_on__year__lte=last)

    def for_list(self):
        return self.select_related("agency", "village", "plan").prefetch_related("customs")


class Activity(VillageWork):
    class Kind(models.TextChoices):
        PROPAGANDA = "propaganda", _("Propaganda and mobilisation")
        PRODUCTION = "production", _("Production guidance")
        GARDEN = "garden", _("Mixed-garden renovation")
        TECHNOLOGY = "technology", _("Technology transfer")
        CUSTOMS = "customs", _("Campaign against outdated customs")
        HYGIENE = "hygiene", _("Hygiene and environment")
        SOCIAL_SECURITY = "social_security", _("Social security")
        SURVEY = "survey", _("Field survey")

    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    people_reached = models.PositiveIntegerField(
        _("people reached"), default=0, validators=bounds.COUNT.validators()
    )
    households_reached = models.PositiveIntegerField(
        _("households reached"), default=0, validators=bounds.COUNT.validators()
    )
    description = models.TextField(_("description"), **bounds.long_text())
    customs = models.ManyToManyField(
        OutdatedCustom,
        verbose_name=_("outdated customs addressed"),
        blank=True,
        related_name="activities",
    )
    version = models.PositiveIntegerField(_("version"), default=1)  # refuses stale edits

    history = HistoricalRecords(m2m_fields=[customs])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=bounds.COUNT.condition("people_reached")
                & bounds.COUNT.condition("households_reached")
                & bounds.length_condition("description"),
                name="assignments_activity_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.village} ({self.held_on:%d/%m/%Y})"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("file"), upload_to="activities/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename


class ResourceQuerySet(models.QuerySet):
    """Totals of mobilised resources: the one place where they are computed."""

    GROUPS = {
        "agency": ("agency_id", "agency__name"),
        "village": ("village_id", "village__name"),
        "source": ("source_id", "source__name"),
        "criterion": ("criterion_id", "criterion__name"),
        "year": ("year", "year"),
    }

    def in_year(self, year: int):
        return self.in_years(year, year)

    def in_years(self, first: int, last: int):
        return self.filter(received_on__year__gte=first, received_on__year__lte=last)

    def for_list(self):
        return self.select_related("agency", "village", "source", "plan")

    def _sums(self) -> dict:
        return {
            "cash": Sum("amount", filter=Q(kind=Resource.Kind.CASH), default=0),
            "goods": Sum("amount", filter=Q(kind=Resource.Kind.GOODS), default=0),
            "work_days": Sum("amount", filter=Q(kind=Resource.Kind.WORK_DAYS), default=0),
            "households": Sum("households_benefiting", default=0),
        }

    def totals(self) -> dict:
        """{"cash", "goods", "work_days", "households", "money"} over the whole queryset;
        money is cash plus goods valued in đồng."""
        row = self.order_by().aggregate(**self._sums())
        row["money"] = row["cash"] + row["goods"]
        return row

    def totals_with_year(self, year: int) -> dict:
        """``{"all": totals(), "year": in_year(year).totals()}`` in one query."""
        in_year = Q(received_on__year=year)
        sums = self._sums()
        for name, total in list(sums.items()):
            sums[f"year_{name}"] = Sum(
                total.source_expressions[0], filter=in_year & (total.filter or Q()), default=0
            )
        row = self.order_by().aggregate(**sums)
        found = {"all": row, "year": {name: row.pop(f"year_{name}") for name in self._sums()}}
        for totals in found.values():
            totals["money"] = totals["cash"] + totals["goods"]
        return found

    @staticmethod
    def add_up(rows: list[dict]) -> dict:
        """The totals of the rows of one ``totals_by`` (each resource lies in one row): the
        same as ``totals()`` without another query."""
        keys = ("cash", "goods", "work_days", "households", "money")
        return {key: sum(row[key] for row in rows) for key in keys}

    def totals_by(self, group: str) -> list[dict]:
        """One row per agency, village, source or year: {"key", "label", cash, goods, ...}."""
        key, label = self.GROUPS[group]
        rows = self.order_by()
        if group == "year":
            rows = rows.annotate(year=ExtractYear("received_on"))
        rows = (
            rows.values(*dict.fromkeys([key, label])).annotate(**self._sums()).order_by(label, key)
        )
        return [
            {
                "key": row[key],
                "label": row[label],
                **{name: row[name] for name in ("cash", "goods", "work_days", "households")},
                "money": row["cash"] + row["goods"],
            }
            for row in rows
        ]


class Resource(VillageWork):
    """Resources mobilised for a village: cash or goods valued in đồng, or work-days."""

    class Kind(models.TextChoices):
        CASH = "cash", _("Cash (đồng)")
        GOODS = "goods", _("Goods valued in đồng")
        WORK_DAYS = "work_days", _("Work-days")

    source = models.ForeignKey(
        ResourceSource, verbose_name=_("source"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    amount = models.BigIntegerField(
        _("amount"),
        validators=bounds.MONEY.validators(),
        help_text=_("In đồng for cash and goods; a whole number of work-days."),
    )
    received_on = models.DateField(_("date"))
    contributor = models.CharField(_("from whom"), max_length=300, blank=True)
    households_benefiting = models.PositiveIntegerField(
        _("households benefiting"), default=0, validators=bounds.COUNT.validators()
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("criterion it serves"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True, **bounds.long_text())

    version = models.PositiveIntegerField(_("version"), default=1)  # refuses stale edits

    history = HistoricalRecords()
    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("resource mobilised")
        verbose_name_plural = _("resources mobilised")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="assignments_resource_amount_positive"
            ),
            models.CheckConstraint(
                condition=bounds.MONEY.condition("amount")
                & bounds.COUNT.condition("households_benefiting")
                & bounds.length_condition("description"),
                name="assignments_resource_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} — {self.village}"

    @property
    def is_money(self) -> bool:
        return self.kind != self.Kind.WORK_DAYS


class ProposalQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Proposal.OPEN_STATUSES)

    def for_year(self, year: int):
        """Proposals raised that year, and older ones still open then (carried over)."""
        return self.for_years(year, year)

    def for_years(self, first: int, last: int):
        """Proposals raised in these years, and older ones still open in the first of them
        (carried over)."""
        carried = Q(raised_on__year__lt=first) & (
            Q(status__in=Proposal.OPEN_STATUSES) | Q(closed_on__year__gte=first)
        )
        return self.filter(Q(raised_on__year__gte=first, raised_on__year__lte=last) | carried)

    def for_list(self):
        return self.select_related("agency", "village", "addressed_agency", "raised_by")


class Proposal(VillageWork):
    """A difficulty or proposal raised by a liaison for a village, followed until closed."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("proposal status", "Open")
        FORWARDED = "forwarded", _("Forwarded")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        DECLINED = "declined", _("Declined")

    class Addressee(models.TextChoices):
        COMMUNE = "commune", _("The commune")
        PROVINCE = "province", _("The province")
        AGENCY = "agency", _("An agency")

    OPEN_STATUSES = (Status.OPEN, Status.FORWARDED, Status.IN_PROGRESS)

    title = models.CharField(_("title"), max_length=300)
    content = models.TextField(_("content"), **bounds.long_text())
    raised_on = models.DateField(_("raised on"), default=datetime.date.today)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    addressed_to = models.CharField(_("addressed to"), max_length=16, choices=Addressee.choices)
    addressed_agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency addressed"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    due_on = models.DateField(_("answer due by"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True, **bounds.long_text())
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals and difficulties")
        ordering = ["-raised_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(addressed_to="agency", addressed_agency__isnull=False)
                | (~Q(addressed_to="agency") & Q(addressed_agency__isnull=True)),
                name="assignments_proposal_agency_iff_addressed_to_agency",
                violation_error_code="addressed_agency",
                violation_error_message=_("Choose the agency the proposal is addressed to."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["resolved", "declined"], closed_on__isnull=False)
                | (~Q(status__in=["resolved", "declined"]) & Q(closed_on__isnull=True)),
                name="assignments_proposal_closed_iff_closed_status",
            ),
            models.CheckConstraint(
                condition=bounds.length_condition("content") & bounds.length_condition("answer"),
                name="assignments_proposal_texts_length",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def addressee_label(self) -> str:
        """Who must answer, as the pages show it: an agency by its short name."""
        return str(self.addressed_agency) if self.addressed_agency_id else self._addressee_level()

    @property
    def addressee_in_full(self) -> str:
        """Who must answer, as a report names it: an agency by its full name."""
        return self.addressed_agency.name if self.addressed_agency_id else self._addressee_level()

    def _addressee_level(self) -> str:
        """ "Cấp xã", "Cấp tỉnh": a proposal has an addressed agency exactly when it is addressed
        to an agency (the constraint below)."""
        return str(self.get_addressed_to_display())

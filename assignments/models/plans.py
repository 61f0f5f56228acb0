"""Who helps whom: plans, agencies, assignments, memberships, dissemination (the support
teams of a village are in ``teams``).

Memberships tie a user to an agency (liaisons) or a commune (commune officers); together with
assignments they define which villages each user may see and change (``dankhoeo/access/``).
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from criteria.models import CriteriaSet, SurveyDeadline
from dankhoeo import bounds
from villages.models import AdminUnit, Village


class PlanQuerySet(models.QuerySet):
    def current(self):
        """The plan a page opens on when none is chosen: the latest one in progress."""
        return self.order_by("-is_active", "-period_start", "number").first()

    def current_year(self) -> int:
        """The year a page opens on when none is asked for: the current plan's latest open
        year (``Plan.latest_open_year``), this year when there is no plan."""
        plan = self.current()
        return plan.latest_open_year() if plan else timezone.localdate().year

    def criteria_sets_for(
        self, villages: Iterable[Village], year: int
    ) -> dict[int, CriteriaSet | None]:
        """The criteria set that applies to each village for a year (two queries for any
        number).

        The set of the plan in progress that assigns the village (the plan covering the year
        first), else the set staff chose for the year (``SurveyDeadline.criteria_set``), else
        None.
        """
        village_ids = [v.pk for v in villages]
        plans = (
            self.filter(
                is_active=True, criteria_set__isnull=False, assignments__village__in=village_ids
            )
            .values_list("assignments__village", "period_start", "period_end", "criteria_set")
            .distinct()
        )
        by_village: dict[int, int] = {}
        for village_id, _start, _end, set_id in sorted(
            plans, key=lambda row: not (row[1] <= year <= row[2])
        ):
            by_village.setdefault(village_id, set_id)
        deadline = SurveyDeadline.objects.filter(year=year).first()
        fallback_id = deadline.criteria_set_id if deadline else None
        sets = CriteriaSet.objects.in_bulk({*by_village.values(), fallback_id} - {None})
        return {vid: sets.get(by_village.get(vid, fallback_id)) for vid in village_ids}


class Plan(models.Model):
    """A plan such as 133-KH/TU: who issued it, when, for which period and criteria set."""

    number = models.CharField(_("number"), max_length=40, unique=True, help_text="133-KH/TU")
    title = models.CharField(_("title"), max_length=500)
    issuer = models.CharField(_("issued by"), max_length=200, help_text="Tỉnh ủy Kon Tum")
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    period_start = models.PositiveSmallIntegerField(
        _("first year"), validators=bounds.YEAR.validators()
    )
    period_end = models.PositiveSmallIntegerField(
        _("last year"), validators=bounds.YEAR.validators()
    )
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
    )
    related_documents = models.TextField(
        _("related documents"),
        blank=True,
        max_length=bounds.LONG_TEXT,
        validators=bounds.long_text_validators(),
        help_text=_("One document per line."),
    )
    villages = models.ManyToManyField(
        Village,
        verbose_name=_("villages covered"),
        blank=True,
        related_name="plans",
        help_text=_("The villages the plan covers; each should get a lead agency and a team."),
    )
    is_active = models.BooleanField(
        _("in progress"),
        default=True,
        help_text=_("Liaisons enter data only for the villages of plans in progress."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    # The issuing committee's facts that head its reports (HD 36-HD/VPTW), kept once here;
    # each report may override any of them (reports.ReportDocument).
    heading_parent = models.CharField(
        _("superior body"),
        max_length=200,
        blank=True,
        help_text=_("Optional line above the committee, e.g. ĐẢNG BỘ TỈNH QUẢNG NGÃI."),
    )
    heading = models.CharField(
        _("committee as it heads its documents"),
        max_length=200,
        blank=True,
        help_text=_("e.g. TỈNH ỦY KON TUM; empty: the issuer in capitals."),
    )
    issuer_code = models.CharField(
        _("issuer's code in document numbers"),
        max_length=20,
        blank=True,
        help_text=_(
            "e.g. TU, giving report numbers such as 145-BC/TU; empty: taken from the plan's number."
        ),
    )
    document_place = models.CharField(
        _("place written on documents"), max_length=100, blank=True, help_text="Kon Tum"
    )
    signing_for = models.CharField(
        _("signing on behalf of"), max_length=200, blank=True, help_text="T/M BAN THƯỜNG VỤ"
    )
    signatory_position = models.CharField(
        _("position of the signatory"), max_length=200, blank=True, help_text="PHÓ BÍ THƯ"
    )
    signatory_name = models.CharField(_("name of the signatory"), max_length=200, blank=True)
    recipients = models.TextField(
        _("recipients"),
        blank=True,
        help_text=_("“Nơi nhận” of its reports, one recipient per line; empty: the usual list."),
    )

    # The document facts above, each with the field of a report that overrides it
    # (``reports.ReportDocument``; empty there takes the plan's): the one list that the plan's
    # form, the report's form and the report's header read.
    DOCUMENT_FACTS = (
        ("heading_parent", "issuing_parent"),
        ("heading", "issuing_body"),
        ("document_place", "place"),
        ("signing_for", "signing_for"),
        ("signatory_position", "signatory_position"),
        ("signatory_name", "signatory_name"),
        ("recipients", "recipients"),
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-period_start", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="assignments_plan_period_ordered",
            ),
            models.CheckConstraint(
                condition=bounds.YEAR.condition("period_start")
                & bounds.YEAR.condition("period_end"),
                name="assignments_plan_period_bounded",
            ),
            models.CheckConstraint(
                condition=bounds.length_condition("related_documents"),
                name="assignments_plan_related_documents_length",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def years(self) -> range:
        return range(self.period_start, self.period_end + 1)

    def latest_open_year(self) -> int:
        """The year pages open on: this year while the plan runs, its last year once it has
        ended (its first year before it starts), never a year outside its period."""
        return min(max(timezone.localdate().year, self.period_start), self.period_end)

    def village_ids(self) -> set[int]:
        """The villages the plan covers: those listed on it and those assigned under it."""
        listed = Plan.villages.through.objects.filter(plan=self).values_list(
            "village_id", flat=True
        )
        return set(listed.union(self.assignments.values_list("village_id", flat=True), all=True))

    @property
    def document_code(self) -> str:
        """The issuer's code in document numbers: "TU" of "133-KH/TU" unless set."""
        return self.issuer_code.strip() or self.number.rpartition("/")[2].strip()

    @property
    def related_document_list(self) -> list[str]:
        return [line.strip() for line in self.related_documents.splitlines() if line.strip()]


class Agency(models.Model):
    """A provincial agency, unit, enterprise or mass organisation assigned to villages."""

    class Kind(models.TextChoices):
        AGENCY = "agency", pgettext_lazy("agency kind", "Agency")
        UNIT = "unit", _("Public unit")
        ENTERPRISE = "enterprise", _("Enterprise")
        MASS_ORGANISATION = "mass_organisation", _("Mass organisation")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.AGENCY)
    is_demo = models.BooleanField(_("demo data"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Assignment(models.Model):
    """An agency put in charge of (lead) or helping (supporting) a village under a plan."""

    class Role(models.TextChoices):
        LEAD = "lead", _("In charge")
        SUPPORTING = "supporting", _("Supporting")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="assignments"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="assignments"
    )
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.LEAD)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "village", "agency"],
                name="assignments_assignment_agency_once_per_village",
            ),
            models.UniqueConstraint(
                fields=["plan", "village"],
                condition=Q(role="lead"),
                name="assignments_assignment_one_lead_per_village",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} → {self.village} ({self.plan})"


class Membership(models.Model):
    """A user's place: the agency a liaison works for, or the commune of a commune officer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    commune = models.ForeignKey(
        AdminUnit,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        limit_choices_to={"level": AdminUnit.Level.COMMUNE},
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False, commune__isnull=True)
                | Q(agency__isnull=True, commune__isnull=False),
                name="assignments_membership_agency_xor_commune",
            ),
            models.UniqueConstraint(
                fields=["user", "agency"], name="assignments_membership_agency_once"
            ),
            models.UniqueConstraint(
                fields=["user", "commune"], name="assignments_membership_commune_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.agency or self.commune}"


class Dissemination(models.Model):
    """A session in which an agency disseminated the plan to its own staff (phổ biến, quán
    triệt)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="disseminations"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="disseminations"
    )
    held_on = models.DateField(_("date"))
    attendance = models.PositiveIntegerField(_("attendance"), validators=bounds.COUNT.validators())
    note = models.TextField(
        _("note"), blank=True, max_length=bounds.LONG_TEXT, validators=bounds.long_text_validators()
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("dissemination session")
        verbose_name_plural = _("dissemination sessions")
        ordering = ["-held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=bounds.COUNT.condition("attendance") & bounds.length_condition("note"),
                name="assignments_dissemination_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.held_on:%d/%m/%Y}"

"""Who helps whom and what they did: plans, agencies, assignments and memberships.

Memberships tie a user to an agency (liaisons) or a commune (commune officers); together with
assignments they define which villages each user may see and change (``dankhoeo/access.py``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from criteria.models import CriteriaSet
from villages.models import AdminUnit, Village


class Plan(models.Model):
    """A plan such as 133-KH/TU: who issued it, when, for which period and criteria set."""

    number = models.CharField(_("number"), max_length=40, unique=True, help_text="133-KH/TU")
    title = models.CharField(_("title"), max_length=500)
    issuer = models.CharField(_("issued by"), max_length=200, help_text="Tỉnh ủy Kon Tum")
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
    )
    related_documents = models.TextField(
        _("related documents"), blank=True, help_text=_("One document per line.")
    )
    is_active = models.BooleanField(
        _("in progress"),
        default=True,
        help_text=_("Liaisons enter data only for the villages of plans in progress."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-period_start", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="assignments_plan_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Agency(models.Model):
    """A provincial agency, unit, enterprise or mass organisation assigned to villages."""

    class Kind(models.TextChoices):
        AGENCY = "agency", _("Agency")
        UNIT = "unit", _("Public unit")
        ENTERPRISE = "enterprise", _("Enterprise")
        MASS_ORGANISATION = "mass_organisation", _("Mass organisation")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.AGENCY)
    is_demo = models.BooleanField(_("demo data"), default=False)

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

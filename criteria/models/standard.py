"""The standard: versioned criteria sets, their criteria and indicators, and the thresholds
an indicator holds for a group of villages.

A criteria set is versioned data: once a survey uses it, it is never changed under that survey
(``services.criteria_set_new_version`` copies it instead).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dankhoeo import bounds


class CriteriaSet(models.Model):
    """A versioned set of criteria, issued by a legal document (e.g. Decision 147/QĐ-UBND)."""

    class Scope(models.TextChoices):
        VILLAGE = "village", _("Village")
        COMMUNE = "commune", _("Commune")

    class Status(models.TextChoices):
        PROVISIONAL = "provisional", _("Provisional (not verified)")
        VERIFIED = "verified", _("Verified")

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=300)
    legal_basis = models.CharField(
        _("legal basis"), max_length=200, help_text=_("e.g. Quyết định số 147/QĐ-UBND")
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    scope = models.CharField(_("applies to"), max_length=16, choices=Scope.choices)
    period_start = models.PositiveSmallIntegerField(
        _("first year"), validators=bounds.YEAR.validators()
    )
    period_end = models.PositiveSmallIntegerField(
        _("last year"), validators=bounds.YEAR.validators()
    )
    recognising_body = models.CharField(
        _("recognised by"),
        max_length=200,
        blank=True,
        help_text=_("The body whose decision recognises that a village meets the standard."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROVISIONAL
    )
    note = models.TextField(
        _("note"), blank=True, max_length=bounds.LONG_TEXT, validators=bounds.long_text_validators()
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
    )

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["-period_start", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="criteria_criteriaset_code_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="criteria_criteriaset_period_ordered",
            ),
            models.CheckConstraint(
                condition=bounds.YEAR.condition("period_start")
                & bounds.YEAR.condition("period_end"),
                name="criteria_criteriaset_period_bounded",
            ),
            models.CheckConstraint(
                condition=bounds.length_condition("note"), name="criteria_criteriaset_note_length"
            ),
        ]

    def __str__(self) -> str:
        if self.version > 1:
            return f"{self.legal_basis} ({self.code} v{self.version})"
        return f"{self.legal_basis} ({self.code})"

    @property
    def is_provisional(self) -> bool:
        return self.status == self.Status.PROVISIONAL

    def is_in_use(self) -> bool:
        """Used by a survey: its criteria and indicators may no longer change."""
        return self.surveys.exists()


class Criterion(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    group = models.CharField(_("group"), max_length=200, blank=True)
    number = models.PositiveSmallIntegerField(
        _("number"), validators=bounds.CRITERION_NUMBER.validators()
    )
    name = models.CharField(_("name"), max_length=300)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "number"], name="criteria_criterion_number_unique"
            ),
            models.CheckConstraint(
                condition=bounds.CRITERION_NUMBER.condition("number"),
                name="criteria_criterion_number_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class VillageGroup(models.TextChoices):
    """Groups of villages that an indicator may hold to a different threshold."""

    EXTREMELY_DISADVANTAGED = "extremely_disadvantaged", _("Extremely disadvantaged villages")


class Indicator(models.Model):
    class ValueType(models.TextChoices):
        BOOLEAN = "boolean", _("Yes / no")
        NUMBER = "number", _("Number")
        PERCENT = "percent", _("Percentage")
        CHOICE = "choice", _("Choice from a list")
        TEXT = "text", _("Text")

    class Comparator(models.TextChoices):
        GTE = "gte", "≥"
        GT = "gt", ">"
        LTE = "lte", "≤"
        LT = "lt", "<"
        EQ = "eq", "="
        ONE_OF = "one_of", _("one of the accepted choices")
        FILLED = "filled", _("filled in")

    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("criterion"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("e.g. 1.1"))
    name = models.CharField(_("name"), max_length=500)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    value_type = models.CharField(_("value type"), max_length=10, choices=ValueType.choices)
    comparator = models.CharField(
        _("comparator"), max_length=10, choices=Comparator.choices, default=Comparator.GTE
    )
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=bounds.INDICATOR_NUMBER.validators(),
        help_text=_("Leave empty while the official threshold is not known."),
    )
    choices = models.CharField(
        _("choices"), max_length=500, blank=True, help_text=_("Separated by “|”.")
    )
    accepted_choices = models.CharField(
        _("accepted choices"), max_length=500, blank=True, help_text=_("Separated by “|”.")
    )
    means_of_verification = models.CharField(_("means of verification"), max_length=500, blank=True)
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    is_placeholder = models.BooleanField(
        _("placeholder"),
        default=False,
        help_text=_("Not taken from the official text: staff must check or correct it."),
    )
    source = models.CharField(_("source of the threshold"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["criterion__number", "code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "code"], name="criteria_indicator_code_unique"
            ),
            models.CheckConstraint(
                condition=bounds.INDICATOR_NUMBER.condition("threshold", null=True),
                name="criteria_indicator_threshold_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.split("|") if c.strip()]

    @property
    def accepted_choice_list(self) -> list[str]:
        return [c.strip() for c in self.accepted_choices.split("|") if c.strip()]

    @property
    def is_numeric(self) -> bool:
        return self.value_type in (self.ValueType.NUMBER, self.ValueType.PERCENT)


class IndicatorThreshold(models.Model):
    """A threshold that replaces the indicator's own for one group of villages."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="group_thresholds",
    )
    village_group = models.CharField(
        _("village group"), max_length=30, choices=VillageGroup.choices
    )
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=14,
        decimal_places=4,
        validators=bounds.INDICATOR_NUMBER.validators(),
    )

    class Meta:
        verbose_name = _("threshold for a village group")
        verbose_name_plural = _("thresholds for village groups")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "village_group"],
                name="criteria_indicatorthreshold_one_per_group",
            ),
            models.CheckConstraint(
                condition=bounds.INDICATOR_NUMBER.condition("threshold"),
                name="criteria_indicatorthreshold_threshold_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.get_village_group_display()}: {self.threshold}"

"""The standard: criteria sets, their criteria and indicators, and the yearly village survey.

A criteria set is versioned data: once a survey uses it, it is never changed under that survey
(``services.criteria_set_new_version`` copies it instead). Verdicts are computed in one place,
``criteria/verdicts.py``; the survey keeps its totals so that lists need no recomputation.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from dankhoeo import bounds
from villages.models import Village


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


class Survey(models.Model):
    """The survey of one village for one year against one criteria set."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CONFIRMED = "confirmed", _("Confirmed by the commune")
        APPROVED = "approved", _("Approved")

    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="surveys"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=bounds.YEAR.validators())
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by every save, to refuse stale edits.")
    )
    criteria_met = models.PositiveSmallIntegerField(_("criteria met"), default=0)
    criteria_count = models.PositiveSmallIntegerField(_("number of criteria"), default=0)
    reaches_standard = models.BooleanField(_("reaches the standard"), default=False)
    criterion_verdicts = models.JSONField(
        _("verdict of each criterion"),
        default=dict,
        blank=True,
        help_text=_("Criterion id → verdict, kept with the totals whenever the values change."),
    )
    note = models.TextField(
        _("note"), blank=True, max_length=bounds.LONG_TEXT, validators=bounds.long_text_validators()
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-year", "village__sort_key"]
        indexes = [models.Index(fields=["year", "status"], name="criteria_survey_year_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "criteria_set"],
                name="criteria_survey_one_per_village_year_set",
            ),
            models.CheckConstraint(
                condition=Q(criteria_met__lte=models.F("criteria_count")),
                name="criteria_survey_met_within_count",
            ),
            models.CheckConstraint(
                condition=bounds.YEAR.condition("year"), name="criteria_survey_year_bounded"
            ),
            models.CheckConstraint(
                condition=bounds.length_condition("note"), name="criteria_survey_note_length"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.year}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED


class SurveyValue(models.Model):
    """The value of one indicator in one survey, with its verdict computed by the server."""

    class Verdict(models.TextChoices):
        MET = "met", _("Met")
        NOT_MET = "not_met", _("Not met")
        UNKNOWN = "unknown", _("Not assessed")

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    value_bool = models.BooleanField(_("yes / no value"), null=True, blank=True)
    value_number = models.DecimalField(
        _("numeric value"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        validators=bounds.INDICATOR_NUMBER.validators(),
    )
    value_text = models.CharField(_("text value"), max_length=500, blank=True)
    assessed = models.BooleanField(
        _("assessed as met"),
        null=True,
        blank=True,
        help_text=_("Used only while the indicator has no threshold to compare with."),
    )
    verdict = models.CharField(
        _("verdict"), max_length=10, choices=Verdict.choices, default=Verdict.UNKNOWN
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)
    changed_in_version = models.PositiveIntegerField(_("changed in survey version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey value")
        verbose_name_plural = _("survey values")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "indicator"], name="criteria_surveyvalue_one_per_indicator"
            ),
            models.CheckConstraint(
                condition=bounds.INDICATOR_NUMBER.condition("value_number", null=True),
                name="criteria_surveyvalue_number_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} {self.indicator.code}"

    @property
    def typed_value(self):
        """The value in the type of its indicator (None when empty)."""
        kind = self.indicator.value_type
        if kind == Indicator.ValueType.BOOLEAN:
            return self.value_bool
        if kind in (Indicator.ValueType.NUMBER, Indicator.ValueType.PERCENT):
            return self.value_number
        return self.value_text or None

    def set_typed_value(self, value) -> None:
        kind = self.indicator.value_type
        self.value_bool = value if kind == Indicator.ValueType.BOOLEAN else None
        numeric = kind in (Indicator.ValueType.NUMBER, Indicator.ValueType.PERCENT)
        self.value_number = value if numeric else None
        self.value_text = (value or "") if not numeric and kind != "boolean" else ""

    @property
    def is_answered(self) -> bool:
        return self.typed_value is not None or self.assessed is not None


def evidence_path(instance: "Evidence", filename: str) -> str:
    """A random name under evidence/<year>/: the original name is kept in the database only."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"evidence/{instance.value.survey.year}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A photo or PDF (minutes, decisions) backing one value. Served only through a view."""

    value = models.ForeignKey(
        SurveyValue, verbose_name=_("value"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class SurveyTransition(models.Model):
    """One step of the review workflow: who moved the survey, when, and why."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        pgettext_lazy("survey status", "from"), max_length=12, choices=Survey.Status.choices
    )
    to_status = models.CharField(_("to"), max_length=12, choices=Survey.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(
        _("reason"),
        blank=True,
        max_length=bounds.LONG_TEXT,
        validators=bounds.long_text_validators(),
    )

    class Meta:
        verbose_name = _("survey transition")
        verbose_name_plural = _("survey transitions")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=bounds.length_condition("reason"),
                name="criteria_surveytransition_reason_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey}: {self.from_status} → {self.to_status}"


class SurveyDeadline(models.Model):
    """The deadline of a year's surveys, and the set used for villages no plan in progress
    assigns a set to. Both are chosen by provincial staff."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=bounds.YEAR.validators()
    )
    due_on = models.DateField(_("due on"))
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set for villages without a plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("survey deadline")
        verbose_name_plural = _("survey deadlines")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=bounds.YEAR.condition("year"), name="criteria_surveydeadline_year_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.due_on:%d/%m/%Y}"


class Recognition(models.Model):
    """The decision of the competent body that recognises a village as meeting the standard."""

    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="recognitions"
    )
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        on_delete=models.PROTECT,
        related_name="recognitions",
    )
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="recognitions"
    )
    decision_number = models.CharField(_("decision number"), max_length=60)
    decided_on = models.DateField(_("decision date"))
    body = models.CharField(_("issued by"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["-decided_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "criteria_set"], name="criteria_recognition_once_per_set"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village}: {self.decision_number}"

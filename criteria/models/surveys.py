"""The yearly village survey: its values and their evidence, the review steps, the year's
deadline, and the recognition that closes it.

Verdicts are computed in one place, ``criteria/verdicts.py``; the survey keeps its totals so
that lists need no recomputation.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from criteria.models.standard import CriteriaSet, Indicator
from dankhoeo import bounds
from villages.models import Village


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

    @property
    def status_badge(self) -> str:
        """The Bootstrap class of the badge that shows the status (``criteria/_status.html``)."""
        return STATUS_BADGES[self.status]


# The colour of each status's badge, on every page that shows one.
STATUS_BADGES = {
    Survey.Status.DRAFT: "text-bg-secondary",
    Survey.Status.SUBMITTED: "text-bg-info",
    Survey.Status.CONFIRMED: "text-bg-primary",
    Survey.Status.APPROVED: "text-bg-success",
}


class SurveyValueQuerySet(models.QuerySet):
    def in_order(self):
        """The values with their indicator, criterion and group thresholds, in the order of the
        criteria set (what every page, export and verdict computation reads)."""
        return (
            self.select_related("indicator", "indicator__criterion")
            .prefetch_related("indicator__group_thresholds")
            .order_by("indicator__criterion__number", "indicator__code", "indicator__pk")
        )


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
    value_text = models.CharField(_("text value"), max_length=bounds.SURVEY_TEXT, blank=True)
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

    objects = SurveyValueQuerySet.as_manager()
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

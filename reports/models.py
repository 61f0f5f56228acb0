"""What staff keep for a report: the header, signature and narrative of a yearly review.

Issuers, places and signatories are data kept once on the plan (``assignments.Plan``, its
issuing committee's facts); a report keeps only what differs for it (an empty field takes the
plan's), its number and date, and the narrative staff wrote. The plan's successor, a new
issuing body after the 2025 reform, or another committee's review fit without code
changes. Numbers and tables are never stored here: they are gathered from the
data every time the report is rendered (``reports/gathering/``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assignments.models import Plan


class ReportDocument(models.Model):
    """The yearly review report (báo cáo sơ kết / tổng kết) of a plan, for one year and scope."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    scope = models.CharField(
        _("scope"),
        max_length=60,
        blank=True,
        help_text=_("Empty for the whole plan; otherwise e.g. commune:12, agency:CQ01."),
    )
    issuing_parent = models.CharField(
        _("superior body"),
        max_length=200,
        blank=True,
        help_text=_("Optional line above the issuing body; empty: the plan's."),
    )
    issuing_body = models.CharField(
        _("issuing body"),
        max_length=200,
        blank=True,
        help_text=_("e.g. TỈNH ỦY KON TUM; empty: the plan's."),
    )
    number = models.CharField(
        _("number"),
        max_length=60,
        blank=True,
        help_text=_("e.g. 145 or 145-BC/TU; leave empty until the office numbers the report."),
    )
    place = models.CharField(
        _("place"), max_length=100, blank=True, help_text=_("Empty: the plan's.")
    )
    dated_on = models.DateField(_("date"), null=True, blank=True)
    title = models.CharField(_("document type"), max_length=300, blank=True)
    subtitle = models.CharField(_("subtitle"), max_length=500, blank=True)
    section_leadership = models.TextField(
        _("I. Leadership, direction and organisation"), blank=True
    )
    section_results = models.TextField(_("II. Results"), blank=True)
    section_strengths = models.TextField(_("III.1. Strengths"), blank=True)
    section_limitations = models.TextField(_("III.2. Limitations and shortcomings"), blank=True)
    section_causes = models.TextField(_("III.3. Causes"), blank=True)
    section_lessons = models.TextField(_("IV. Lessons learned"), blank=True)
    section_tasks = models.TextField(_("V. Directions and tasks"), blank=True)
    section_proposals = models.TextField(_("VI. Proposals and recommendations"), blank=True)
    signing_for = models.CharField(
        _("signing on behalf of"), max_length=200, blank=True, help_text=_("Empty: the plan's.")
    )
    signatory_position = models.CharField(
        _("position of the signatory"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the plan's."),
    )
    signatory_name = models.CharField(_("name of the signatory"), max_length=200, blank=True)
    recipients = models.TextField(
        _("recipients"),
        blank=True,
        help_text=_("“Nơi nhận”: one recipient per line; empty: the plan's."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("report document")
        verbose_name_plural = _("report documents")
        ordering = ["-year", "plan", "scope"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year", "scope"], name="reports_reportdocument_one_per_scope"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.year} {self.scope}".strip()

    @property
    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


def report_file_path(instance: "ReportFile", filename: str) -> str:
    return f"report-files/{instance.pk}/{filename}"


class ReportFile(models.Model):
    """A file asked for by one person and made in the background (reports/jobs.py): its
    progress while it is made, then the file, kept for ``jobs.KEEP`` and served only to that
    person, after the same access check as the page it came from."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.CASCADE
    )
    exporter = models.CharField(_("file"), max_length=40)
    query = models.JSONField(_("parameters"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to=report_file_path, max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.exporter} {self.query}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

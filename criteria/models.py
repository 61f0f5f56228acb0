"""The standard: criteria sets, their criteria and indicators, and the yearly village survey."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    recognising_body = models.CharField(
        _("recognised by"),
        max_length=200,
        blank=True,
        help_text=_("The body whose decision recognises that a village meets the standard."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROVISIONAL
    )
    note = models.TextField(_("note"), blank=True)

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
        ]

    def __str__(self) -> str:
        if self.version > 1:
            return f"{self.legal_basis} ({self.code} v{self.version})"
        return f"{self.legal_basis} ({self.code})"

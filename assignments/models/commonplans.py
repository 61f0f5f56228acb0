"""The common plan (kế hoạch chung) each assigned agency agrees with the commune for a village:
when it was agreed, what it says, and optionally the signed document."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assignments.models.work import VillageWork
from dankhoeo import bounds


class CommonPlanQuerySet(models.QuerySet):
    def in_years(self, first: int, last: int):
        return self.filter(agreed_on__year__gte=first, agreed_on__year__lte=last)

    def for_list(self):
        return self.select_related("agency", "village", "plan")


class CommonPlan(VillageWork):
    """A plan of work agreed between an agency and the commune for one village."""

    agreed_on = models.DateField(_("agreed on"))
    content = models.TextField(_("content"), **bounds.long_text())
    file = models.FileField(_("signed document"), upload_to="common-plans/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)  # refuses stale edits

    history = HistoricalRecords()
    objects = CommonPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("common plan with the commune")
        verbose_name_plural = _("common plans with the commune")
        ordering = ["-agreed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=bounds.length_condition("content"),
                name="assignments_commonplan_content_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.village} ({self.agreed_on:%d/%m/%Y})"

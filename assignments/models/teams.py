"""The support team of a village under a plan, and its members from the agencies."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assignments.models.plans import Agency, Plan
from dankhoeo import bounds
from villages.models import Village


class SupportTeam(models.Model):
    """The support team (tổ hỗ trợ) of one village under one plan."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="teams"
    )
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="teams"
    )
    established_on = models.DateField(_("set up on"), null=True, blank=True)
    decision = models.CharField(
        _("decision setting it up"), max_length=200, blank=True, help_text="Quyết định số ..."
    )
    note = models.TextField(
        _("note"), blank=True, max_length=bounds.LONG_TEXT, validators=bounds.long_text_validators()
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("support team")
        verbose_name_plural = _("support teams")
        constraints = [
            models.CheckConstraint(
                condition=bounds.length_condition("note"),
                name="assignments_supportteam_note_length",
            ),
            models.UniqueConstraint(
                fields=["plan", "village"], name="assignments_supportteam_one_per_village"
            ),
        ]

    def __str__(self) -> str:
        return _("Support team of %(village)s") % {"village": self.village}


class TeamMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("Team leader")
        MEMBER = "member", _("Member")

    team = models.ForeignKey(
        SupportTeam, verbose_name=_("team"), on_delete=models.CASCADE, related_name="members"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency or unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="team_members",
        help_text=_("Leave empty for commune or village members."),
    )
    workplace = models.CharField(
        _("other workplace"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Commune People's Committee"),
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    role = models.CharField(_("role in the team"), max_length=16, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["role", "full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(role="leader"),
                name="assignments_teammember_one_leader_per_team",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

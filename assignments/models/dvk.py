"""The "Dân vận khéo" models an agency registers in a village, their stages and attachments."""

import datetime
import functools
import operator

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assignments.models.work import VillageWork
from dankhoeo import bounds

# The long texts of a "Dân vận khéo" model: registration facts 2-10 and the evaluation.
DVK_TEXTS = (
    *("situation", "goals", "content", "area", "forces", "resources", "timeline"),
    *("outputs", "sustainability", "evaluation"),
)


class DvkModel(VillageWork):
    """A "Dân vận khéo" model: registered with ten facts, launched, monitored, commended."""

    class Field(models.TextChoices):
        ECONOMY = "economy", _("Economy")
        CULTURE = "culture_society", _("Culture and society")
        DEFENCE = "defence_security", _("Defence and security")
        POLITICAL_SYSTEM = "political_system", _("Building the political system")

    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("Collective model")
        INDIVIDUAL = "individual", _("Individual exemplar")

    class Stage(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        LAUNCHED = "launched", _("Launched")
        MONITORED = "monitored", _("Monitored")
        COMMENDED = "commended", _("Commended and replicated")

    # The registration facts 2-10 (fact 1 is the name): long texts, in the order of the form.
    FACT_FIELDS = (
        "situation",
        "goals",
        "content",
        "area",
        "forces",
        "resources",
        "timeline",
        "outputs",
        "sustainability",
    )
    STANDARDS = {
        Kind.COLLECTIVE: [
            _("Creative, saves time and cost"),
            _("Persuades people to comply with the law voluntarily"),
            _("Mobilises many forces"),
            _("Balances collective, individual and social interests"),
            _("Sustainable"),
        ],
        Kind.INDIVIDUAL: [
            _("The person and family are exemplary"),
            _("Proposes good initiatives"),
            _("Resolves long-standing problems"),
            _("Serves the people wholeheartedly"),
            _("A cultured family every year, completes duties well"),
        ],
    }

    # The ten registration facts.
    name = models.CharField(_("1. Name of the model"), max_length=300)
    situation = models.TextField(_("2. Situation and reason"), **bounds.long_text())
    goals = models.TextField(_("3. Goals and evaluation criteria"), **bounds.long_text())
    content = models.TextField(_("4. Content and method"), **bounds.long_text())
    area = models.TextField(_("5. Area and beneficiaries"), **bounds.long_text())
    forces = models.TextField(_("6. Lead, partner and participating forces"), **bounds.long_text())
    resources = models.TextField(
        _("7. Resources (funds, facilities, people, work-days, contributions)"),
        **bounds.long_text(),
    )
    timeline = models.TextField(
        _("8. Timeline (start, schedule, evaluation dates)"), **bounds.long_text()
    )
    outputs = models.TextField(_("9. Verifiable outputs"), **bounds.long_text())
    sustainability = models.TextField(
        _("10. Sustainability and replicability"), **bounds.long_text()
    )

    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.COLLECTIVE)
    registered_on = models.DateField(_("registered on"), default=datetime.date.today)
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.REGISTERED
    )
    standard_1 = models.BooleanField(_("standard 1 met"), null=True, blank=True)
    standard_2 = models.BooleanField(_("standard 2 met"), null=True, blank=True)
    standard_3 = models.BooleanField(_("standard 3 met"), null=True, blank=True)
    standard_4 = models.BooleanField(_("standard 4 met"), null=True, blank=True)
    standard_5 = models.BooleanField(_("standard 5 met"), null=True, blank=True)
    evaluation = models.TextField(_("evaluation"), blank=True, **bounds.long_text())
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)

    version = models.PositiveIntegerField(_("version"), default=1)  # refuses stale edits

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("“Dân vận khéo” model")
        verbose_name_plural = _("“Dân vận khéo” models")
        ordering = ["-registered_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=functools.reduce(
                    operator.and_, (bounds.length_condition(n) for n in DVK_TEXTS)
                ),
                name="assignments_dvkmodel_texts_length",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def standards(self) -> list[tuple[str, bool | None]]:
        """(standard, met?) for the five standards of this kind of model."""
        values = [getattr(self, f"standard_{n}") for n in range(1, 6)]
        return list(zip(self.STANDARDS[self.Kind(self.kind)], values, strict=True))

    @property
    def standards_met(self) -> int:
        return sum(1 for _standard, met in self.standards if met)

    @property
    def registration_facts(self) -> list[tuple[str, str]]:
        names = ("name", *self.FACT_FIELDS)
        return [(self._meta.get_field(n).verbose_name, getattr(self, n)) for n in names]


class DvkAttachment(models.Model):
    model = models.ForeignKey(
        DvkModel, verbose_name=_("model"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="dvk/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename

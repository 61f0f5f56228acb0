from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Plans, agencies and their work")

    def ready(self):
        from assignments import queries
        from villages import panels

        panels.register_panel("assignments/_village_panels.html", queries.village_panels)

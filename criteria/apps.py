from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CriteriaConfig(AppConfig):
    name = "criteria"
    verbose_name = _("Criteria and yearly surveys")

    def ready(self):
        from criteria import queries
        from villages import panels

        panels.register_panel("criteria/_village_panel.html", queries.village_panel)

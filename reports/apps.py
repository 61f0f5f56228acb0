from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from reports import caching
        from villages import panels

        panels.register_link("reports/_village_links.html")
        caching.connect()

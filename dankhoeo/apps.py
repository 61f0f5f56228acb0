from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DankhoeoConfig(AppConfig):
    name = "dankhoeo"
    verbose_name = _("Users and access")

    def ready(self):
        from dankhoeo import audit

        audit.connect_receivers()

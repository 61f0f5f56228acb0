from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from dankhoeo import spreadsheets as xl
from dankhoeo.money import format_number


class Command(BaseCommand):
    help = (
        "Remove Excel uploads staged for a preview and never confirmed or cancelled, once they "
        "are older than 24 hours (run it hourly or daily from a timer)."
    )

    def handle(self, *args, **options):
        removed = xl.staging_cleanup()
        self.stdout.write(
            _("%(count)s expired staged uploads were removed.")
            % {"count": format_number(len(removed))}
        )

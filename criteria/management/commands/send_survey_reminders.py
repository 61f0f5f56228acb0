from django.core.management.base import BaseCommand
from django.utils import timezone

from criteria import reminders


class Command(BaseCommand):
    help = "Send one digest e-mail per liaison and commune officer about the year's surveys."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="default: this year")
        parser.add_argument("--dry-run", action="store_true", help="list, send nothing")

    def handle(self, *args, year=None, dry_run=False, **options):
        year = year or timezone.localdate().year
        digests = reminders.send(year, dry_run=dry_run)
        for digest in digests:
            self.stdout.write(
                f"{digest.user.email}: {len(digest.missing)} missing, "
                f"{len(digest.returned)} returned, {len(digest.waiting)} to confirm"
            )
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(f"{len(digests)} digest e-mails {verb} for {year}.")

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dankhoeo.backups import BackupError, backup_restore, verify


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with a backup folder made by `backup`. "
        "Checks every checksum first. Everything written since the backup is lost."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a dankhoeo-YYYYmmdd-HHMMSS folder")
        parser.add_argument(
            "--yes", action="store_true", help="really replace the current data (required)"
        )

    def handle(self, *args, folder: Path, yes: bool, **options):
        try:
            if not yes:
                manifest = verify(folder)
                raise CommandError(
                    _(
                        "The backup of %(created)s is intact. Restoring it replaces the "
                        "current database and uploaded files: run again with --yes."
                    )
                    % {"created": manifest["created"]}
                )
            result = backup_restore(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Restored %(folder)s (made %(created)s); row counts match.")
            % {"folder": result.folder, "created": result.manifest["created"]}
        )

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dankhoeo.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files into a new folder under --output "
        "(PostgreSQL: pg_dump custom format; SQLite: a consistent copy) with a manifest of "
        "checksums and row counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="folder for backups")
        parser.add_argument(
            "--keep", type=int, default=None, help="keep only the newest N backups in --output"
        )

    def handle(self, *args, output: Path, keep: int | None, **options):
        if keep is not None and keep < 1:
            raise CommandError(_("--keep must be at least 1."))
        try:
            result = backup_create(output=output, keep=keep)
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = result.manifest
        self.stdout.write(
            f"Backup written to {result.folder}: {manifest['engine']} database, "
            f"{sum(manifest['row_counts'].values())} rows in {len(manifest['row_counts'])} "
            f"tables, {manifest['media_files']} uploaded files."
        )

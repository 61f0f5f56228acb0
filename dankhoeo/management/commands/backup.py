from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dankhoeo import money
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
            _(
                "Backup written to %(folder)s: %(engine)s database, %(rows)s rows in "
                "%(tables)s tables, %(files)s uploaded files."
            )
            % {
                "folder": result.folder,
                "engine": manifest["engine"],
                "rows": money.format_number(sum(manifest["row_counts"].values())),
                "tables": money.format_number(len(manifest["row_counts"])),
                "files": money.format_number(manifest["media_files"]),
            }
        )

from django.core.management.base import BaseCommand, CommandError

from dankhoeo import spreadsheets as xl
from villages import services


class Command(BaseCommand):
    help = (
        "Import an official list of villages from an Excel workbook (.xlsx), the same way as the "
        "upload page: everything in one transaction, or nothing when any row has an error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and show the result; save nothing",
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            result = services.village_import(source=file, dry_run=dry_run)
        except FileNotFoundError as error:
            raise CommandError(f"{file}: no such file") from error
        except xl.SpreadsheetError as error:
            raise CommandError(str(error)) from error
        except services.ImportRefused as error:
            for problem in error.preview.errors:
                self.stderr.write(
                    f"{problem.sheet}!{problem.column or ''}{problem.row or ''}: {problem.message}"
                )
            raise CommandError(error.message) from error
        for row in result.rows:
            if row.status != "unchanged":
                changes = "; ".join(f"{c.label}: {c.old} → {c.new}" for c in row.changes)
                self.stdout.write(
                    f"  row {row.number}: {row.status} {row.code} {row.name} {changes}"
                )
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{result.new} new, {result.changed} changed, {result.unchanged} unchanged villages "
            f"{verb} imported."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")

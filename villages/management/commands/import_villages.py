from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
        except xl.SpreadsheetError as error:
            raise CommandError(str(error)) from error
        except services.ImportRefused as error:
            for problem in error.preview.errors:
                self.stderr.write(f"{problem.sheet}!{problem.cell}: {problem.message}")
            raise CommandError(error.message) from error
        for row in result.rows:
            if row.status != "unchanged":
                changes = "; ".join(f"{c.label}: {c.old} → {c.new}" for c in row.changes)
                self.stdout.write(f"  {row.number}: {row.code} {row.name} {changes}")
        counts = {"new": result.new, "changed": result.changed, "unchanged": result.unchanged}
        if dry_run:
            self.stdout.write(
                _("%(new)s new, %(changed)s changed, %(unchanged)s unchanged villages.") % counts
            )
            self.stdout.write(_("Dry run: nothing was saved."))
        else:
            self.stdout.write(
                _(
                    "Import done: %(new)s new villages, %(changed)s changed, "
                    "%(unchanged)s unchanged."
                )
                % counts
            )

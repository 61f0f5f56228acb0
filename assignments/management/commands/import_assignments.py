from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assignments import imports, services
from assignments.models import Plan
from dankhoeo import spreadsheets as xl


class Command(BaseCommand):
    help = "Import a plan's agencies and assignments from an Excel workbook (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook (sheets Agencies and Assignments)")
        parser.add_argument("--plan", required=True, help="the plan number, e.g. 133-KH/TU")
        parser.add_argument("--dry-run", action="store_true", help="check and report, save nothing")

    def handle(self, *args, **options):
        try:
            plan = Plan.objects.get(number=options["plan"])
        except Plan.DoesNotExist as error:
            raise CommandError(f"No plan numbered {options['plan']}.") from error
        try:
            preview = imports.preview(options["file"], plan)
        except (xl.SpreadsheetError, OSError) as error:
            raise CommandError(str(error)) from error
        for error in preview.errors:
            self.stderr.write(f"{error.sheet} {error.cell}: {error.message}")
        if preview.errors:
            raise CommandError(f"{len(preview.errors)} error(s): nothing saved.")
        counts = preview.counts
        self.stdout.write(
            f"{counts.get('new', 0)} new, {counts.get('changed', 0)} changed, "
            f"{counts.get('unchanged', 0)} unchanged."
        )
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing saved.")
            return
        try:
            with transaction.atomic():
                saved = services.assignments_import(preview=preview)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"Saved: {saved['agencies']} agencies, {saved['assignments']} assignments, "
            f"{saved['villages']} villages without an agency."
        )

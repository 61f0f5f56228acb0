from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

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
        plan = Plan.objects.filter(number=options["plan"]).first()
        if plan is None:
            raise CommandError(
                _("There is no plan numbered %(number)s.") % {"number": options["plan"]}
            )
        try:
            preview = imports.preview(options["file"], plan)
        except xl.SpreadsheetError as error:
            raise CommandError(str(error)) from error
        for error in preview.errors:
            self.stderr.write(f"{error.sheet}!{error.cell}: {error.message}")
        if preview.errors:
            raise CommandError(
                _("The file has %(count)s errors; nothing was saved. Correct them and try again.")
                % {"count": len(preview.errors)}
            )
        counts = preview.counts
        self.stdout.write(
            _("%(new)s new, %(changed)s changed, %(unchanged)s unchanged.")
            % {key: counts.get(key, 0) for key in ("new", "changed", "unchanged")}
        )
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was saved."))
            return
        try:
            with transaction.atomic():
                saved = services.assignments_import(preview=preview, user=None)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            _(
                "Imported: %(agencies)s agencies, %(assignments)s assignments, "
                "%(villages)s villages."
            )
            % saved
        )

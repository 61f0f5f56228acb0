"""Render any exporter from the shell:

    python manage.py render_report --list
    python manage.py render_report review-pdf --plan 133-KH/TU --year 2025 [--scope commune:12] \
        [--user USERNAME] -o report.pdf
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from dankhoeo.models import User
from reports import exporters


class Command(BaseCommand):
    help = "Render a report (PDF, Word, Excel) to a file; --list shows the exporters."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="exporter identifier (see --list)")
        parser.add_argument("--list", action="store_true", help="list the exporters and exit")
        parser.add_argument("--plan", help="plan number, e.g. 133-KH/TU")
        parser.add_argument("--year", help="year, e.g. 2025")
        parser.add_argument(
            "--scope",
            default="",
            help="empty for the whole plan, or district:<id>, commune:<id>, agency:<code>, "
            "village:<code>",
        )
        parser.add_argument("--user", help="render within this user's scope (default: all)")
        parser.add_argument("-o", "--output", help="file to write")

    def handle(self, *args, **options):
        if options["list"]:
            for exporter in exporters.EXPORTERS.values():
                kinds = ", ".join(exporter.scope_kinds) or "any"
                self.stdout.write(f"{exporter.identifier:<22} {exporter.title} (scope: {kinds})")
            return
        exporter = exporters.EXPORTERS.get(options["name"] or "")
        if exporter is None:
            known = ", ".join(exporters.EXPORTERS)
            raise CommandError(
                f"Unknown exporter {options['name']!r}; known exporters: {known}.", returncode=2
            )
        for required in ("plan", "year", "output"):
            if not options[required]:
                raise CommandError(f"--{required} is required.", returncode=2)
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']!r}.", returncode=2)
        with translation.override(settings.LANGUAGE_CODE):
            try:
                params = exporters.resolve(
                    plan=options["plan"], year=options["year"], scope=options["scope"], user=user
                )
                filename, _content_type, content = exporter.render(params)
            except exporters.ParamError as error:
                raise CommandError(str(error), returncode=2) from None
        Path(options["output"]).write_bytes(content)
        self.stdout.write(f"Wrote {options['output']} ({len(content)} bytes; {filename}).")

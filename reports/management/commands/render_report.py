"""Render any exporter from the shell:

    python manage.py render_report --list
    python manage.py render_report review-pdf --plan 133-KH/TU --year 2025 [--scope commune:12] \
        [--user USERNAME] -o report.pdf
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from dankhoeo.models import User
from dankhoeo.money import format_number
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
        with translation.override(settings.LANGUAGE_CODE):
            self._handle(options)

    def _handle(self, options):
        if options["list"]:
            for exporter in exporters.EXPORTERS.values():
                kinds = ", ".join(exporter.scope_kinds) or "any"
                self.stdout.write(f"{exporter.identifier:<22} {exporter.title} (scope: {kinds})")
            return
        exporter = exporters.EXPORTERS.get(options["name"] or "")
        if exporter is None:
            known = ", ".join(exporters.EXPORTERS)
            raise CommandError(
                _("Unknown exporter “%(name)s”; known exporters: %(known)s.")
                % {"name": options["name"] or "", "known": known},
                returncode=2,
            )
        for required in ("plan", "year", "output"):
            if not options[required]:
                raise CommandError(
                    _("--%(option)s is required.") % {"option": required}, returncode=2
                )
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(
                    _("No user named “%(name)s”.") % {"name": options["user"]}, returncode=2
                )
        output = Path(options["output"])
        if output.is_dir() or not output.parent.is_dir():
            raise CommandError(
                _("Cannot write “%(path)s”: give the path of a file in an existing folder.")
                % {"path": output},
                returncode=2,
            )
        try:
            params = exporters.resolve(
                plan=options["plan"], year=options["year"], scope=options["scope"], user=user
            )
            filename, _content_type, content = exporter.render(params)
        except exporters.ParamError as error:
            raise CommandError(str(error), returncode=2) from None
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(
                _("Cannot write “%(path)s”: %(reason)s.")
                % {"path": output, "reason": error.strerror},
                returncode=2,
            ) from None
        self.stdout.write(
            _("Wrote %(path)s (%(size)s bytes; %(filename)s).")
            % {"path": output, "size": format_number(len(content)), "filename": filename}
        )

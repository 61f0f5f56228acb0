"""Writes of the reports app: only the text staff keep for a yearly review."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dankhoeo import access
from dankhoeo.errors import Refused
from dankhoeo.models import User
from reports.models import ReportDocument


@transaction.atomic
def report_document_save(*, document: ReportDocument, user: User) -> ReportDocument:
    """Save the header, signature and narrative of a yearly review (provincial staff only)."""
    access.require_staff(user)
    if document.dated_on and not document.number.strip():
        raise Refused(_("A dated report needs its number."))
    document.updated_by = user
    document.save()
    return document

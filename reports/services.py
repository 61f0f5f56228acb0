"""Writes of the reports app: only the text staff keep for a yearly review."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dankhoeo import access
from dankhoeo.models import User
from reports.models import ReportDocument


class ReportError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@transaction.atomic
def report_document_save(*, document: ReportDocument, user: User) -> ReportDocument:
    """Save the header, signature and narrative of a yearly review (provincial staff only)."""
    access.require_staff(user)
    if document.dated_on and not document.number.strip():
        raise ReportError(_("A dated report needs its number."))
    document.updated_by = user
    document.save()
    return document

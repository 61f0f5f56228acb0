"""Files made by the app (workbooks, reports) sent to the browser as downloads.

Every download goes through ``attachment`` (or ``dankhoeo.uploads.serve_private``, Django's
``FileResponse``, for stored files): the Content-Disposition header is written as RFC 6266
asks, with ``filename*=utf-8''…`` for a name with Vietnamese letters. A raw non-ASCII name in
the header makes browsers save the file as ``_`` without its extension.
"""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def attachment(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A download of ``content`` saved under ``filename``."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response

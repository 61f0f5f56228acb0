"""The kinds of file an upload may be, and the error of a refused upload."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

# Web page code, looked for in images and outside a PDF's streams: a browser that sniffed it
# would run it.
MARKUP = re.compile(rb"<\s*(script|html|body|iframe|svg|object|embed|!doctype)", re.IGNORECASE)
# Other files hidden inside one: ZIP (and so Office files and Java archives), PDF, RAR, 7-Zip.
ARCHIVE = re.compile(rb"PK\x03\x04|PK\x05\x06|PK\x01\x02|%PDF-|Rar!\x1a\x07|7z\xbc\xaf\x27\x1c")


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    extension: str
    content_type: str
    magic: tuple[bytes, ...]
    zip_member: str = ""  # for Office files: a member every such archive holds


KINDS = {
    kind.name: kind
    for kind in [
        Kind("pdf", "PDF", ".pdf", "application/pdf", (b"%PDF-",)),
        Kind("jpeg", "JPEG", ".jpg", "image/jpeg", (b"\xff\xd8\xff",)),
        Kind("png", "PNG", ".png", "image/png", (b"\x89PNG\r\n\x1a\n",)),
        Kind(
            "xlsx",
            "Excel (.xlsx)",
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (b"PK\x03\x04",),
            zip_member="xl/workbook.xml",
        ),
        Kind(
            "docx",
            "Word (.docx)",
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (b"PK\x03\x04",),
            zip_member="word/document.xml",
        ),
    ]
}
# What a browser may show in its own window: never anything that can carry a script.
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}


class UploadRejected(ValidationError):
    """The file was refused; the message says why, in the user's language."""

"""Word and Excel files: each must open as such, within a size once unpacked, with every XML
part within the bounds ``spreadsheets.parts`` sets (no document type, no deep nesting, no
million styles), no macros, no embedded programs (OLE objects), no HTML or other documents
pulled in whole (altChunk), and no part fetched from elsewhere: a relationship may point
outside the file only as a hyperlink."""

import io
import re
import zipfile

import docx
import openpyxl
from django.utils.translation import gettext_lazy as _

from dankhoeo.spreadsheets import SpreadsheetError
from dankhoeo.spreadsheets.parts import check_parts
from dankhoeo.uploads.kinds import UploadRejected

MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # a Word or Excel file once unpacked
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>", re.IGNORECASE)
_TYPE = re.compile(rb"""\bType\s*=\s*["']([^"']*)["']""")
_EXTERNAL = re.compile(rb"""\bTargetMode\s*=\s*["']External["']""", re.IGNORECASE)
# Relationship types that bring in something other than text, pictures and links.
_FOREIGN = (b"/aFChunk", b"/oleObject", b"/control", b"/activeXControl")


def check_office(data: bytes, opener) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise UploadRejected(_("the file is too large once unpacked."), code="too_large")
            names = [name.lower() for name in archive.namelist()]
            types = archive.read("[Content_Types].xml") if "[content_types].xml" in names else b""
            if any(name.endswith("vbaproject.bin") for name in names) or b"macroEnabled" in types:
                raise UploadRejected(
                    _("the file contains macros; save it without macros (.docx or .xlsx)."),
                    code="macros",
                )
            check_parts(archive)  # well-formed XML first: the relationships are then read linearly
            _check_relationships(archive)
        opener(io.BytesIO(data))
    except UploadRejected:
        raise
    except SpreadsheetError as error:
        raise UploadRejected(str(error), code="damaged") from error
    except Exception as error:
        raise UploadRejected(
            _("the file is damaged and cannot be opened."), code="damaged"
        ) from error


def _check_relationships(archive: zipfile.ZipFile) -> None:
    for info in archive.infolist():
        if not info.filename.lower().endswith(".rels"):
            continue
        with archive.open(info) as stream:
            text = stream.read(MAX_UNPACKED_BYTES)
        for relationship in _RELATIONSHIP.findall(text):
            kind = _TYPE.search(relationship)
            kind = kind.group(1) if kind else b""
            if kind.endswith(_FOREIGN):
                raise UploadRejected(
                    _("the file embeds other programs or documents; keep only text and pictures."),
                    code="active_content",
                )
            if _EXTERNAL.search(relationship) and not kind.endswith(b"/hyperlink"):
                raise UploadRejected(
                    _("the file fetches content from outside it; keep only text and pictures."),
                    code="active_content",
                )


def open_docx(stream) -> None:
    docx.Document(stream)


def open_xlsx(stream) -> None:
    openpyxl.load_workbook(stream, read_only=True, keep_links=False).close()

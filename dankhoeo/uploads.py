"""Uploaded files: one policy for every app.

``check_upload`` accepts a file only when its *content* is of an allowed kind (the first bytes,
never the name or the browser's content type) and it is not too large, and gives back a safe
file name to store it under. ``serve_private`` sends a stored file back as a download, for views
that have already checked that the user may see it (through ``dankhoeo.access``).

Files are stored under ``MEDIA_ROOT``, outside the static files, and are never served by URL.
"""

import io
import mimetypes
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_HEAD_BYTES = 16
_MAX_STEM = 80


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


class UploadRejected(ValidationError):
    """The file was refused; the message says why, in the user's language."""


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    filename: str
    content_type: str
    size: int


def check_upload(
    file: UploadedFile,
    *,
    kinds: tuple[str, ...] = ("pdf", "jpeg", "png"),
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> CheckedUpload:
    """Check an uploaded file's size and kind by content; return its kind and a safe name.

    Raises ``UploadRejected`` (a ``ValidationError``) with a translated message. The file is
    left at its start, ready to be saved.
    """
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"Unknown upload kinds: {sorted(unknown)}")
    size = file.size if file.size is not None else _measure(file)
    if size == 0:
        raise UploadRejected(_("The file is empty."), code="empty")
    if size > max_bytes:
        raise UploadRejected(
            _("The file is too large (%(size)s); the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
        )
    kind = _detect(file, kinds)
    if kind is None:
        raise UploadRejected(
            _("This kind of file is not accepted. Accepted: %(kinds)s."),
            code="bad_kind",
            params={"kinds": ", ".join(KINDS[name].label for name in kinds)},
        )
    return CheckedUpload(
        kind=kind.name,
        filename=safe_filename(file.name or "", kind.extension),
        content_type=kind.content_type,
        size=size,
    )


def safe_filename(name: str, extension: str) -> str:
    """A name safe to store and to send back: no folders, no odd characters, a true extension.

    Vietnamese letters are kept (NFC); the extension is the one of the detected kind, so that
    "report.pdf.exe" holding a PDF becomes "report.pdf.pdf" and never runs as a program.
    """
    base = PurePath(name.replace("\\", "/")).name
    stem = unicodedata.normalize("NFC", base.rsplit(".", 1)[0] if "." in base else base)
    stem = stem.strip().strip(".")
    try:
        stem = get_valid_filename(stem)[:_MAX_STEM].strip("._-")
    except SuspiciousFileOperation:  # nothing usable left, e.g. ".."
        stem = ""
    return f"{stem or 'file'}{extension}"


def serve_private(path: str | Path, filename: str, *, inline: bool = False) -> FileResponse:
    """Send a stored file as a download. Call it only after checking the user's scope.

    ``filename`` is the name the browser saves it under (non-ASCII letters are encoded as the
    standard requires). The response forbids content sniffing and caching by shared caches.
    """
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=not inline,
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _measure(file) -> int:
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    return size


def _detect(file, kinds: tuple[str, ...]) -> Kind | None:
    file.seek(0)
    head = file.read(_HEAD_BYTES)
    file.seek(0)
    for name in kinds:
        kind = KINDS[name]
        if not head.startswith(kind.magic):
            continue
        if kind.zip_member and not _zip_has(file, kind.zip_member):
            continue
        return kind
    return None


def _zip_has(file, member: str) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        file.seek(0)

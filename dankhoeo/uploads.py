"""Uploaded files: one policy for every app.

``check_upload`` accepts a file only when its *whole content* is of an allowed kind (never the
name or the browser's content type): images are decoded by Pillow and may carry nothing after
their end, PDFs are parsed by pypdf and refused when they hold JavaScript or launch actions, Word
and Excel files must open as such and hold no macros. It gives back a safe file name to store it
under; every refusal names the file and says why.

``store`` saves a file for a model inside ``atomic_with_files``: a change refused or rolled back
leaves no file behind. ``serve_private`` sends a stored file back as a download, for views that
have already checked that the user may see it (through ``dankhoeo.access``).

Files are stored under ``MEDIA_ROOT``, outside the static files, and are never served by URL.
"""

import io
import mimetypes
import re
import unicodedata
import warnings
import zipfile
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path, PurePath

import docx
import openpyxl
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.text import get_valid_filename
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 50-megapixel photo; larger images are refused before decoding
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # a Word or Excel file once unpacked
_HEAD_BYTES = 16
_MAX_STEM = 80
_PDF_NODES = 50_000  # objects of a PDF walked in search of scripts
_MARKUP = re.compile(rb"<\s*(script|html|body|iframe|svg|object|embed|!doctype)", re.IGNORECASE)
_PNG_END = b"IEND\xaeB`\x82"


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
    """Check an uploaded file's size and kind by its whole content; return its kind and a safe
    name.

    Raises ``UploadRejected`` (a ``ValidationError``) with a translated message that names the
    file. The file is left at its start, ready to be saved.
    """
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"Unknown upload kinds: {sorted(unknown)}")
    try:
        size, kind = _judge(file, kinds, max_bytes)
    except UploadRejected as error:
        name = PurePath((file.name or "").replace("\\", "/")).name or gettext("(no name)")
        raise UploadRejected(
            _("“%(name)s”: %(reason)s"),
            code=error.code,
            params={"name": name, "reason": error.messages[0]},
        ) from error
    finally:
        file.seek(0)
    return CheckedUpload(
        kind=kind.name,
        filename=safe_filename(file.name or "", kind.extension),
        content_type=kind.content_type,
        size=size,
    )


def _judge(file, kinds: tuple[str, ...], max_bytes: int) -> tuple[int, Kind]:
    size = file.size if file.size is not None else _measure(file)
    if size == 0:
        raise UploadRejected(_("the file is empty."), code="empty")
    if size > max_bytes:
        raise UploadRejected(
            _("the file is too large (%(size)s); the limit is %(limit)s."),
            code="too_large",
            params=_sizes(size, max_bytes),
        )
    kind = _detect(file, kinds)
    if kind is None:
        raise UploadRejected(
            _("this kind of file is not accepted. Accepted: %(kinds)s."),
            code="bad_kind",
            params={"kinds": ", ".join(KINDS[name].label for name in kinds)},
        )
    file.seek(0)
    CONTENT_CHECKS[kind.name](file.read(max_bytes + 1))
    return size, kind


def _sizes(size: int, limit: int) -> dict[str, str]:
    """Both sizes, precise enough to differ (10,0 MB against 10,0 MB says nothing)."""
    shown, most = filesizeformat(size), filesizeformat(limit)
    if shown == most:
        unit = gettext("bytes")
        shown = f"{number_format(size, force_grouping=True)} {unit}"
        most = f"{number_format(limit, force_grouping=True)} {unit}"
    return {"size": shown, "limit": most}


def _check_image(data: bytes) -> None:
    if _MARKUP.search(data):
        raise UploadRejected(_("the image carries web page code."), code="polyglot")
    if data.startswith(KINDS["png"].magic[0]) and not data.endswith(_PNG_END):
        raise UploadRejected(_("the image has data after its end."), code="polyglot")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise UploadRejected(_("the image has too many pixels."), code="too_large")
                image.load()
    except UploadRejected:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning) as error:
        raise UploadRejected(_("the image is damaged or incomplete."), code="damaged") from error


_ACTIONS = {"/JavaScript", "/JS", "/Launch", "/SubmitForm", "/ImportData", "/RichMedia"}


def _check_pdf(data: bytes) -> None:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UploadRejected(
                _("the PDF is password-protected; save it without a password."), code="encrypted"
            )
        pending, seen, walked = [reader.trailer["/Root"]], set(), 0
        for page in reader.pages:
            pending.append(page)
        while pending and walked < _PDF_NODES:
            node = pending.pop()
            walked += 1
            if isinstance(node, IndirectObject):
                if (node.idnum, node.generation) in seen:
                    continue
                seen.add((node.idnum, node.generation))
                node = node.get_object()
            if isinstance(node, DictionaryObject):
                if _ACTIONS & set(node.keys()) or node.get("/S") in _ACTIONS:
                    raise UploadRejected(
                        _("the PDF carries scripts or actions that open other programs."),
                        code="active_content",
                    )
                pending.extend(node.values())
            elif isinstance(node, ArrayObject):
                pending.extend(node)
    except UploadRejected:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise UploadRejected(_("the PDF is damaged and cannot be read."), code="damaged") from error


def _check_office(data: bytes, opener) -> None:
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
        opener(io.BytesIO(data))
    except UploadRejected:
        raise
    except Exception as error:
        raise UploadRejected(
            _("the file is damaged and cannot be opened."), code="damaged"
        ) from error


def _open_docx(stream) -> None:
    docx.Document(stream)


def _open_xlsx(stream) -> None:
    openpyxl.load_workbook(stream, read_only=True).close()


CONTENT_CHECKS = {
    "pdf": _check_pdf,
    "jpeg": _check_image,
    "png": _check_image,
    "docx": lambda data: _check_office(data, _open_docx),
    "xlsx": lambda data: _check_office(data, _open_xlsx),
}


# Saving with the transaction -----------------------------------------------------------------

_written: ContextVar[list | None] = ContextVar("uploads_written", default=None)


@contextmanager
def atomic_with_files():
    """``transaction.atomic`` that also removes the files ``store`` wrote inside it when the
    block ends with an error (so its changes are rolled back). Nested blocks share the
    outermost's list: a photo saved before its sibling is refused goes too."""
    if _written.get() is not None:
        with transaction.atomic():
            yield
        return
    token = _written.set([])
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for storage, name in _written.get():
            storage.delete(name)
        raise
    finally:
        _written.reset(token)


def store(field_file, filename: str, content) -> None:
    """Save an upload into a model's file field (not the model); call it within
    ``atomic_with_files`` so that the file goes if the change does not happen."""
    field_file.save(filename, content, save=False)
    written = _written.get()
    if written is not None:
        written.append((field_file.storage, field_file.name))


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

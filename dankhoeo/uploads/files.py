"""Stored files: saved with the transaction, named safely, sent back safely."""

import unicodedata
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path, PurePath

from django.core.exceptions import SuspiciousFileOperation
from django.db import transaction
from django.http import FileResponse
from django.utils.text import get_valid_filename

from dankhoeo.uploads.kinds import INLINE_TYPES, KINDS

_MAX_STEM = 80
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
    stem = "".join(ch for ch in stem if unicodedata.category(ch)[0] != "C")  # controls, bidi
    stem = stem.strip().strip(".")
    try:
        stem = get_valid_filename(stem)[:_MAX_STEM].strip("._-")
    except SuspiciousFileOperation:  # nothing usable left, e.g. ".."
        stem = ""
    return f"{stem or 'file'}{extension}"


def serve_private(path: str | Path, filename: str, *, inline: bool = False) -> FileResponse:
    """Send a stored file as a download. Call it only after checking the user's scope.

    ``filename`` is the name the browser saves it under (non-ASCII letters are encoded as the
    standard requires). The type is the one of an accepted kind with that extension (anything
    else is sent as bytes to save); only a PDF or a photo is ever shown in the browser's own
    window. The response forbids content sniffing, scripts and caching by shared caches.
    """
    extension = PurePath(filename).suffix.lower()
    content_type = next(
        (kind.content_type for kind in KINDS.values() if kind.extension == extension),
        "application/octet-stream",
    )
    if extension == ".jpeg":
        content_type = KINDS["jpeg"].content_type
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=not (inline and content_type in INLINE_TYPES),
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

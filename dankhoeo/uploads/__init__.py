"""Uploaded files: one policy for every app.

``check_upload`` accepts a file only when its *whole content* is of an allowed kind (never the
name or the browser's content type): images are walked to their end, may hide no other file
and must decode with Pillow as a still picture of at most ``MAX_PIXELS``; PDFs are refused when
any object holds JavaScript, an action that opens a program or an attached file, or when web
page code or data follows their end; Word and Excel files must open as such, hold no macros,
embed or fetch nothing foreign, and keep their XML parts within ``spreadsheets.parts``' bounds.
It gives back a safe file name to store it under; every refusal names the file and says why.

``store`` saves a file for a model inside ``atomic_with_files``: a change refused or rolled back
leaves no file behind. ``serve_private`` sends a stored file back as a download, for views that
have already checked that the user may see it (through ``dankhoeo.access``).

Files are stored under ``MEDIA_ROOT``, outside the static files, and are never served by URL.

The package's modules, by concern: ``kinds`` (what a file may be), ``images``, ``pdfs`` and
``office`` (the checks of each kind's content), ``files`` (storing and serving). Callers use
the names below.
"""

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dankhoeo.uploads.files import atomic_with_files, safe_filename, serve_private, store
from dankhoeo.uploads.images import MAX_PIXELS, check_image
from dankhoeo.uploads.kinds import KINDS, Kind, UploadRejected
from dankhoeo.uploads.office import MAX_UNPACKED_BYTES, check_office, open_docx, open_xlsx
from dankhoeo.uploads.pdfs import check_pdf

__all__ = [
    "DEFAULT_MAX_BYTES",
    "KINDS",
    "MAX_PIXELS",
    "MAX_UNPACKED_BYTES",
    "CheckedUpload",
    "Kind",
    "UploadRejected",
    "atomic_with_files",
    "check_upload",
    "safe_filename",
    "serve_private",
    "store",
]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_HEAD_BYTES = 16
_SHOWN_NAME = 60

CONTENT_CHECKS = {
    "pdf": check_pdf,
    "jpeg": check_image,
    "png": check_image,
    "docx": lambda data: check_office(data, open_docx),
    "xlsx": lambda data: check_office(data, open_xlsx),
}


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
        name = _shown_name(file.name or "") or gettext("(no name)")
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


def _shown_name(name: str) -> str:
    """The name the person gave, as a message may show it: no folders, no control or
    direction characters, at most 60 characters."""
    base = PurePath(name.replace("\\", "/")).name
    shown = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    return shown if len(shown) <= _SHOWN_NAME else shown[: _SHOWN_NAME - 1] + "…"


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

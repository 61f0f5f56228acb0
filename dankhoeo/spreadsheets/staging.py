"""Staging: between the preview and the confirmation an upload is kept under MEDIA_ROOT, per
user, behind an opaque token, within a per-user quota; expired files are removed."""

import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from dankhoeo.spreadsheets.spec import (
    MAX_BYTES,
    STAGING_QUOTA_BYTES,
    STAGING_SECONDS,
    SpreadsheetError,
)

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _staging_dir(user) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / str(user.pk)


def stage_upload(user, uploaded_file) -> str:
    """Keep an upload until the user confirms or cancels the import; return the token that
    names it. A user's staged files are limited to ``STAGING_QUOTA_BYTES`` (expired ones are
    removed first); over it the upload is refused with a message saying what to do."""
    directory = _staging_dir(user)
    directory.mkdir(parents=True, exist_ok=True)
    uploaded_file.seek(0)
    data = uploaded_file.read(MAX_BYTES + 1)
    staging_cleanup(directory)
    used = sum(path.stat().st_size for path in directory.glob("*.xlsx"))
    if used + len(data) > STAGING_QUOTA_BYTES:
        raise SpreadsheetError(
            _(
                "Files waiting for your confirmation already take %(used)s of your %(quota)s MB. "
                "Confirm or cancel those imports, or wait until they expire after %(hours)s hours."
            )
            % {
                "used": f"{used / 1048576:.1f} MB".replace(".", ","),
                "quota": STAGING_QUOTA_BYTES // 1048576,
                "hours": STAGING_SECONDS // 3600,
            }
        )
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.xlsx").write_bytes(data)
    return token


def staging_cleanup(directory: Path | None = None, *, now: float | None = None) -> list[Path]:
    """Remove staged uploads older than ``STAGING_SECONDS`` (of one user's folder, or of every
    user's) and the folders left empty; return what was removed. ``cleanup_staging`` runs it."""
    now = time.time() if now is None else now
    root = Path(settings.MEDIA_ROOT) / "imports"
    folders = [directory] if directory is not None else [p for p in root.glob("*") if p.is_dir()]
    removed = []
    for folder in folders:
        for path in folder.glob("*.xlsx"):
            if now - path.stat().st_mtime > STAGING_SECONDS:
                path.unlink(missing_ok=True)
                removed.append(path)
        if directory is None and not any(folder.iterdir()):
            folder.rmdir()
    return removed


def staged_path(user, token: str) -> Path:
    path = _staging_dir(user) / f"{token}.xlsx"
    if not _TOKEN.match(token or "") or not path.is_file():
        raise SpreadsheetError(_("The uploaded file is no longer available: upload it again."))
    if time.time() - path.stat().st_mtime > STAGING_SECONDS:
        path.unlink(missing_ok=True)
        raise SpreadsheetError(_("The uploaded file is no longer available: upload it again."))
    return path


def discard_staged(user, token: str) -> None:
    if _TOKEN.match(token or ""):
        (_staging_dir(user) / f"{token}.xlsx").unlink(missing_ok=True)

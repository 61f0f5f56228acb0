"""Backup and restore of everything the app keeps: the database and the uploaded files.

A backup is one folder ``dankhoeo-YYYYmmdd-HHMMSS`` holding

- ``database.dump`` (PostgreSQL, ``pg_dump`` custom format) or ``database.sqlite3`` (SQLite,
  copied with SQLite's online backup API),
- ``media.tar.gz`` (everything under ``MEDIA_ROOT``),
- ``manifest.json``: when, which engine, the SHA-256 and size of each file, the number of
  uploaded files and the row count of every table.

``restore`` checks every checksum before it touches anything, restores the database in one
transaction, swaps the uploaded files in whole, and compares the row counts afterwards.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_ARCHIVE = "media.tar.gz"


class BackupError(Exception):
    """A backup or a restore could not be done; the message says why."""


@dataclass(frozen=True)
class Result:
    folder: Path
    manifest: dict


def backup_create(*, output: Path, keep: int | None = None) -> Result:
    """Write a new backup folder under ``output``; keep only the newest ``keep`` if given."""
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(
            _("%(path)s cannot hold backups: %(reason)s. Give a folder.")
            % {"path": output, "reason": error.strerror or error}
        ) from None
    if not output.is_dir():
        raise BackupError(
            _("%(path)s cannot hold backups: it is not a folder. Give a folder.") % {"path": output}
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    folder = output / f"dankhoeo-{stamp}"
    partial = output / f".partial-{stamp}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        if _engine() == "postgresql":
            counts = _pg_dump(partial / PG_DUMP)
        else:
            counts = _sqlite_copy(Path(connection.settings_dict["NAME"]), partial / SQLITE_COPY)
        media_files = _tar_media(partial / MEDIA_ARCHIVE)
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "engine": _engine(),
            "files": {
                path.name: {"sha256": _sha256(path), "bytes": path.stat().st_size}
                for path in sorted(partial.iterdir())
            },
            "media_files": media_files,
            "row_counts": counts,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial.rename(folder)  # a folder with a manifest is always complete
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    if keep:
        for old in sorted(output.glob("dankhoeo-*"))[:-keep]:
            shutil.rmtree(old)
    return Result(folder=folder, manifest=manifest)


def backup_restore(*, folder: Path) -> Result:
    """Replace the database and the uploaded files with those of a backup folder."""
    manifest = verify(folder)
    if manifest["engine"] != _engine():
        raise BackupError(
            f"The backup is of a {manifest['engine']} database; this site uses {_engine()}."
        )
    connection.close()
    if _engine() == "postgresql":
        _pg_restore(folder / PG_DUMP)
    else:
        _sqlite_copy(folder / SQLITE_COPY, Path(connection.settings_dict["NAME"]))
    _untar_media(folder / MEDIA_ARCHIVE)
    counts = row_counts()
    wrong = {
        table: (expected, counts.get(table))
        for table, expected in manifest["row_counts"].items()
        if counts.get(table) != expected
    }
    if wrong:
        raise BackupError(
            _("Row counts differ after the restore (expected, found): %(wrong)s") % {"wrong": wrong}
        )
    return Result(folder=folder, manifest=manifest)


def verify(folder: Path) -> dict:
    """Read the manifest and check every file's checksum; the manifest if all is well."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(
            _("%(folder)s is not a backup folder: it has no readable %(manifest)s.")
            % {"folder": folder, "manifest": MANIFEST}
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("%(folder)s is not a backup of this app.") % {"folder": folder})
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(
        isinstance(expected, dict) and Path(name).name == name for name, expected in files.items()
    ):
        raise BackupError(_("The manifest of %(folder)s is damaged.") % {"folder": folder})
    for name, expected in files.items():
        path = folder / name
        if not path.is_file() or _sha256(path) != expected.get("sha256"):
            raise BackupError(
                _("%(path)s is missing or damaged (its checksum differs).") % {"path": path}
            )
    return manifest


def row_counts() -> dict[str, int]:
    """The number of rows of every table in the database."""
    with connection.cursor() as cursor:
        return _count_rows(cursor, connection.introspection.table_names(cursor))


def _count_rows(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
        counts[table] = cursor.fetchone()[0]
    return counts


def media_checksums(root: Path | None = None) -> dict[str, str]:
    """SHA-256 of every uploaded file, by path under MEDIA_ROOT."""
    root = Path(root or settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): _sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _engine() -> str:
    return connection.vendor  # "postgresql" or "sqlite"


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ]:
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            _("%(program)s is not installed (on Debian: apt-get install postgresql-client).")
            % {"program": command[0]}
        )
    result = subprocess.run(  # noqa: S603 - fixed programs, arguments are ours
        command, env=_pg_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": command[0], "error": result.stderr.strip()}
        )


def _pg_dump(path: Path) -> dict[str, int]:
    """Dump the database and count its rows in one snapshot, so that the counts in the
    manifest are exactly those of the dump even while people keep working."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _count_rows(cursor, connection.introspection.table_names(cursor))
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={path}",
            ]
        )
    return counts


def _pg_restore(path: Path) -> None:
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(path),
        ]
    )


def _sqlite_copy(source: Path, target: Path) -> dict[str, int]:
    """Copy a live SQLite database page by page, consistent even while it is in use; the row
    counts of the copy."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
        cursor = dst.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = [name for (name,) in cursor.fetchall() if not name.startswith("sqlite_")]
        return _count_rows(cursor, tables)
    finally:
        src.close()
        dst.close()


def _tar_media(path: Path) -> int:
    root = Path(settings.MEDIA_ROOT)
    count = 0
    with tarfile.open(path, "w:gz") as archive:
        if root.exists():
            for item in sorted(root.rglob("*")):
                if item.is_file():
                    archive.add(item, arcname=str(item.relative_to(root)), recursive=False)
                    count += 1
    return count


def _untar_media(path: Path) -> None:
    """Unpack beside MEDIA_ROOT, then swap the folders, so that a failure changes nothing."""
    root = Path(settings.MEDIA_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=root.parent))
    try:
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(fresh, filter="data")
    except (OSError, tarfile.TarError) as error:
        shutil.rmtree(fresh, ignore_errors=True)
        raise BackupError(f"The uploaded files could not be unpacked: {error}") from None
    old = root.with_name(root.name + ".before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if root.exists():
        root.rename(old)
    fresh.rename(root)
    shutil.rmtree(old, ignore_errors=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

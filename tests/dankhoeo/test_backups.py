"""Backup and restore: back up, wipe, restore, compare."""

import json
import shutil
import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from dankhoeo import audit
from dankhoeo.backups import _sqlite_copy, media_checksums, row_counts
from dankhoeo.models import AuditEvent, User
from tests.conftest import make_user


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "evidence" / "2026").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "2026" / "biên-bản.pdf").write_bytes(b"%PDF-1.7 demo")
    (settings.MEDIA_ROOT / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    return settings.MEDIA_ROOT


def only_folder(path):
    (folder,) = path.glob("dankhoeo-*")
    return folder


@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_gives_back_every_row_and_file(tmp_path, media, capsys):
    make_user("tinh.a", User.Role.STAFF)
    make_user("xa.b", User.Role.COMMUNE)
    audit.record(actor=None, kind=AuditEvent.Kind.EXPORT, target="Báo cáo năm")
    rows_before, files_before = row_counts(), media_checksums()
    assert rows_before["dankhoeo_user"] == 2 and len(files_before) == 2

    call_command("backup", output=tmp_path / "backups")
    folder = only_folder(tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor == "postgresql"
    assert set(manifest["files"]) == {"database.dump", "media.tar.gz"}
    assert manifest["row_counts"] == rows_before

    call_command("flush", interactive=False)
    shutil.rmtree(media)
    assert User.objects.count() == 0 and media_checksums() == {}

    call_command("restore", str(folder), yes=True)
    assert row_counts() == rows_before
    assert media_checksums() == files_before
    assert set(User.objects.values_list("username", flat=True)) == {"tinh.a", "xa.b"}
    assert AuditEvent.objects.get().target == "Báo cáo năm"
    out = capsys.readouterr().out
    assert "Đã ghi bản sao lưu vào" in out and "tệp đã tải lên" in out
    assert "số dòng của các bảng khớp" in out
    assert "Backup written" not in out and "row counts match" not in out


@pytest.mark.django_db(transaction=True)
def test_restore_needs_yes_and_refuses_a_damaged_backup(tmp_path, media):
    make_user("tinh.a", User.Role.STAFF)
    call_command("backup", output=tmp_path)
    folder = only_folder(tmp_path)
    with pytest.raises(CommandError, match=r"còn nguyên vẹn.*hãy chạy lại với --yes"):
        call_command("restore", str(folder))
    with (folder / "media.tar.gz").open("ab") as archive:
        archive.write(b"tampered")
    User.objects.all().delete()
    with pytest.raises(CommandError, match="bị hỏng"):
        call_command("restore", str(folder), yes=True)
    assert User.objects.count() == 0  # nothing was touched


def test_restore_refuses_a_folder_without_a_manifest(tmp_path, db):
    with pytest.raises(CommandError, match=r"không đọc được manifest\.json"):
        call_command("restore", str(tmp_path), yes=True)


def test_a_file_or_a_device_as_the_output_is_a_translated_refusal(tmp_path, db):
    taken = tmp_path / "a-file"
    taken.write_text("x")
    for output in (taken, taken / "below"):
        with pytest.raises(CommandError, match="Hãy cho một thư mục"):
            call_command("backup", output=output)


@pytest.mark.parametrize(
    "manifest",
    [
        [],
        {"format": "other"},
        {"format": None, "files": {}},
        "FORMAT_WITH_FILES_LIST",
        "FORMAT_WITH_A_PATH_OUTSIDE",
    ],
)
def test_a_hostile_manifest_is_refused_in_words(tmp_path, db, manifest):
    from dankhoeo.backups import FORMAT

    if manifest == "FORMAT_WITH_FILES_LIST":
        manifest = {"format": FORMAT, "files": ["db.dump"]}
    elif manifest == "FORMAT_WITH_A_PATH_OUTSIDE":
        manifest = {"format": FORMAT, "files": {"../../etc/passwd": {"sha256": "0"}}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match=r"không phải bản sao lưu|bị hỏng"):
        call_command("restore", str(tmp_path), yes=True)


@pytest.mark.django_db(transaction=True)
def test_keep_prunes_older_backups(tmp_path, media):
    old = tmp_path / "dankhoeo-20200101-000000"
    old.mkdir()
    call_command("backup", output=tmp_path, keep=1)
    assert not old.exists()
    assert len(list(tmp_path.glob("dankhoeo-*"))) == 1


def test_the_sqlite_copy_is_complete_and_counts_rows(tmp_path):
    source = tmp_path / "live.sqlite3"
    with sqlite3.connect(source) as db:
        db.execute("CREATE TABLE village (name TEXT)")
        db.executemany("INSERT INTO village VALUES (?)", [("Đăk Xanh",), ("Kon Hring",)])
    db.close()
    counts = _sqlite_copy(source, tmp_path / "copy.sqlite3")
    assert counts == {"village": 2}
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("SELECT name FROM village ORDER BY name").fetchall() == [
        ("Kon Hring",),
        ("Đăk Xanh",),
    ]
    copy.close()

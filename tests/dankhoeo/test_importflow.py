"""The one import flow, through the villages import page: staged files go once the import is
confirmed, cancelled or replaced, expired ones by ``cleanup_staging``, and a user's staging has a
quota with a message that says what to do."""

import os
import time
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from dankhoeo import spreadsheets as xl
from dankhoeo.spreadsheets import staging
from tests.villages.conftest import xlsx
from villages.models import Village

ROWS = [{"name": "Thôn Mới", "commune": "Xã Đăk Sao"}]
URL = "villages:import"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def staged(media) -> list:
    return sorted(path.name for path in (media / "imports").rglob("*.xlsx"))


def upload(rows=ROWS):
    return SimpleUploadedFile("thon.xlsx", xlsx(rows))


def test_cancel_removes_the_staged_file_and_saves_nothing(client_for, staff, media, db):
    client = client_for(staff)
    token = client.post(reverse(URL), {"file": upload()}).context["token"]
    assert staged(media) == [f"{token}.xlsx"]
    response = client.post(reverse(URL), {"token": token, "cancel": "1"})
    assert response.status_code == 200
    assert staged(media) == []
    assert not Village.objects.filter(name="Thôn Mới").exists()


def test_confirm_removes_the_staged_file(client_for, staff, media, db):
    client = client_for(staff)
    token = client.post(reverse(URL), {"file": upload()}).context["token"]
    assert client.post(reverse(URL), {"token": token, "confirm": "1"}).status_code == 302
    assert staged(media) == []
    assert Village.objects.filter(name="Thôn Mới").exists()


def test_a_new_upload_replaces_the_file_of_the_previous_preview(client_for, staff, media, db):
    client = client_for(staff)
    first = client.post(reverse(URL), {"file": upload()}).context["token"]
    second = client.post(reverse(URL), {"file": upload(), "previous": first}).context["token"]
    assert staged(media) == [f"{second}.xlsx"]


def test_the_confirmation_reads_the_file_again_with_the_same_checks(client_for, staff, media, db):
    client = client_for(staff)
    token = client.post(reverse(URL), {"file": upload()}).context["token"]
    path = xl.staged_path(staff, token)
    path.write_bytes(xlsx([{"name": "Thôn Mới", "commune": "Xã Không Có"}]))  # as if it changed
    response = client.post(reverse(URL), {"token": token, "confirm": "1"})
    assert [(e.row, e.column) for e in response.context["preview"].errors] == [(2, "D")]
    assert not Village.objects.filter(name="Thôn Mới").exists()
    assert staged(media) == []


def test_staging_has_a_quota_per_user_with_a_clear_message(
    client_for, staff, media, monkeypatch, db
):
    client = client_for(staff)
    client.post(reverse(URL), {"file": upload()})
    monkeypatch.setattr(staging, "STAGING_QUOTA_BYTES", staged_size(media) + 10)
    response = client.post(reverse(URL), {"file": upload()})
    assert response.status_code == 400
    message = response.context["form"].errors["file"][0]
    assert "chờ bạn xác nhận" in message and "24 giờ" in message
    assert len(staged(media)) == 1


def staged_size(media) -> int:
    return sum(path.stat().st_size for path in (media / "imports").rglob("*.xlsx"))


def test_cleanup_staging_removes_expired_uploads_only(staff, viewer, media, db):
    old = xl.stage_upload(staff, upload())
    fresh = xl.stage_upload(viewer, upload())
    long_ago = time.time() - xl.STAGING_SECONDS - 60
    os.utime(xl.staged_path(staff, old), (long_ago, long_ago))
    out = StringIO()
    call_command("cleanup_staging", stdout=out)
    assert staged(media) == [f"{fresh}.xlsx"]
    assert not (media / "imports" / str(staff.pk)).exists()
    assert "1" in out.getvalue()

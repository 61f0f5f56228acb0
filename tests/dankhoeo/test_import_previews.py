"""The preview of a large upload is made by the queue: the file is staged, the person is sent
to the job's page, which shows the progress, then the same preview as a small file's page
(what would be created or changed) with Confirm and Cancel; Confirm queues the save of that
staged file. A small file keeps its preview in the request. Only the uploader follows the job."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from dankhoeo import bounds, importjobs
from dankhoeo.models import ImportJob
from tests.conftest import make_user
from tests.villages.conftest import xlsx
from villages.models import Village

URL = "villages:import"
ROWS = [{"name": f"Thôn Xem Trước {n}", "commune": "Xã Đăk Sao"} for n in range(4)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def threshold(monkeypatch):
    monkeypatch.setattr(bounds, "IMPORT_AT_ONCE_ROWS", 3)


def run_the_queue() -> int:
    ran = 0
    for task in DBTaskResult.objects.all():
        importjobs.import_in_background.call(*task.args_kwargs["args"])
        task.delete()
        ran += 1
    return ran


def upload(client, rows=ROWS):
    return client.post(reverse(URL), {"file": SimpleUploadedFile("thon.xlsx", xlsx(rows))})


def staged(media) -> list:
    return list((media / "imports").rglob("*.xlsx"))


def test_a_file_at_the_threshold_is_previewed_in_the_request(client_for, staff, db):
    response = upload(client_for(staff), ROWS[:3])
    assert response.status_code == 200 and response.context["token"]
    assert "Thôn Xem Trước 2" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_large_file_is_previewed_by_the_queue(client_for, staff, media, db):
    client = client_for(staff)
    response = upload(client)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    assert (job.user, job.confirmed_at, job.status) == (staff, None, ImportJob.Status.QUEUED)
    assert len(staged(media)) == 1  # kept for the preview and the save
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page and 'hx-trigger="every 1s"' in page
    assert "kiểm tra ở chế độ nền" in page

    assert run_the_queue() == 1
    job.refresh_from_db()
    assert (job.status, job.progress, job.rows) == (ImportJob.Status.CHECKED, 100, 4)
    status = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in status  # nothing more to wait for
    for row in ROWS:  # the same preview as the import's own page
        assert row["name"] in status
    assert "4 mới" in status
    assert reverse("import-job-confirm", args=[job.pk]) in status
    assert "Xác nhận" in status and 'name="csrfmiddlewaretoken"' in status
    assert not Village.objects.filter(name__startswith="Thôn Xem Trước").exists()
    assert len(staged(media)) == 1


def test_confirm_queues_the_save_of_the_staged_file(client_for, staff, media, db):
    client = client_for(staff)
    location = upload(client)["Location"]
    run_the_queue()
    job = ImportJob.objects.get()
    confirm_url = reverse("import-job-confirm", args=[job.pk])
    response = client.post(confirm_url, {"confirm": "1"})
    assert response.status_code == 302 and response["Location"] == location
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED and job.confirmed_at is not None
    assert DBTaskResult.objects.count() == 1
    assert not Village.objects.filter(name__startswith="Thôn Xem Trước").exists()
    page = client.get(location).content.decode()
    assert "<progress" in page and "lưu ở chế độ nền" in page

    again = client.post(confirm_url, {"confirm": "1"}, follow=True)  # a second click
    assert "không còn chờ xác nhận" in again.content.decode()
    assert DBTaskResult.objects.count() == 1

    run_the_queue()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Village.objects.filter(name__startswith="Thôn Xem Trước").count() == 4
    assert not staged(media)
    assert "4 thôn mới" in client.get(location).content.decode()


def test_cancel_removes_the_staged_file_and_saves_nothing(client_for, staff, media, db):
    client = client_for(staff)
    upload(client)
    run_the_queue()
    job = ImportJob.objects.get()
    response = client.post(
        reverse("import-job-confirm", args=[job.pk]), {"cancel": "1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(URL)
    assert "Đã hủy lượt nhập" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED and not staged(media)
    assert not DBTaskResult.objects.exists()
    assert not Village.objects.filter(name__startswith="Thôn Xem Trước").exists()


def test_a_preview_that_fails_saves_nothing_and_says_so(client_for, staff, media, monkeypatch, db):
    client = client_for(staff)
    location = upload(client)["Location"]
    monkeypatch.setattr(bounds, "IMPORT_JOB_SECONDS", -1)
    run_the_queue()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and not staged(media)
    page = client.get(location).content.decode()
    assert "chưa lưu gì" in page and reverse("import-job-confirm", args=[job.pk]) not in page


def test_an_unreadable_large_upload_is_refused_on_the_form(client_for, staff, media, db):
    bad = SimpleUploadedFile("thon.xlsx", b"PK\x03\x04 not really a workbook")
    response = client_for(staff).post(reverse(URL), {"file": bad})
    assert response.status_code == 400 and "Excel" in response.context["form"].errors["file"][0]
    assert not ImportJob.objects.exists() and not staged(media)


def test_only_the_uploader_follows_the_job(client_for, staff, db):
    location = upload(client_for(staff))["Location"]
    run_the_queue()
    job = ImportJob.objects.get()
    for user in (
        make_user("tinh.khac", staff.Role.STAFF),
        make_user("quan.tri", staff.Role.STAFF, is_superuser=True),
    ):
        other = client_for(user)
        assert other.get(location).status_code == 404
        url = reverse("import-job-confirm", args=[job.pk])
        assert other.post(url, {"confirm": "1"}).status_code == 404
        assert other.post(url, {"cancel": "1"}).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and not DBTaskResult.objects.exists()


def test_a_large_file_of_assignments_is_previewed_by_the_queue(
    client_for, staff, world_for_assignments, monkeypatch
):
    plan, content = world_for_assignments
    monkeypatch.setattr(bounds, "IMPORT_AT_ONCE_ROWS", 1)
    client = client_for(staff)
    url = reverse("assignments:import", args=[plan.pk])
    response = client.post(url, {"file": SimpleUploadedFile("pc.xlsx", content)})
    assert response.status_code == 302
    run_the_queue()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED and job.back == url
    page = client.get(response["Location"]).content.decode()
    assert "Thôn Một (M1)" in page and "Thôn Hai (M2)" in page  # the assignments' table
    client.post(reverse("import-job-confirm", args=[job.pk]), {"confirm": "1"})
    run_the_queue()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert plan.assignments.count() == 2

"""A file of many villages is made in the background: the person sees its progress, then
downloads it; nobody else can; it is kept for a while, then removed. Small files come at once."""

import datetime
import os

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reports import jobs
from reports.models import ReportFile
from tests.conftest import make_user

from .test_views import export_url

Status = ReportFile.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def large(monkeypatch):
    """Every file of more than one village counts as large."""
    monkeypatch.setattr(jobs, "AT_ONCE_VILLAGES", 1)


def run_the_queue():
    """What the worker does with each queued task (the worker itself closes the connection,
    which a test's transaction cannot survive: the browser test runs the real one)."""
    for task in DBTaskResult.objects.all():
        assert task.task_path == "reports.jobs.make_report_file"
        jobs.make_report_file.call(*task.args_kwargs["args"], **task.args_kwargs["kwargs"])


def test_a_small_file_comes_at_once(client_for, staff, known):
    response = client_for(staff).get(export_url("review-pdf"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert not ReportFile.objects.exists()


def test_a_large_file_shows_progress_then_a_link(client_for, staff, known, large):
    client = client_for(staff)
    response = client.get(export_url("review-pdf"))
    job = ReportFile.objects.get()
    assert response.status_code == 302 and str(job.pk) in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page and 'hx-trigger="every 1s"' in page
    assert "Đang chờ: 0%" in page
    run_the_queue()
    job.refresh_from_db()
    assert (job.status, job.progress) == (Status.READY, 100)
    status = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "file-download" in status and "hx-trigger" not in status
    download = client.get(f"{response['Location']}download/")
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_nobody_else_gets_the_file(client, client_for, staff, known, large):
    client_for(staff).get(export_url("review-xlsx"))
    run_the_queue()
    job = ReportFile.objects.get()
    other = make_user("other-staff", staff.Role.STAFF)
    client.force_login(other)
    assert client.get(f"/reports/files/{job.pk}/").status_code == 404
    assert client.get(f"/reports/files/{job.pk}/download/").status_code == 404


def test_a_file_is_not_offered_before_it_is_ready(client_for, staff, known, large):
    client = client_for(staff)
    client.get(export_url("dashboard-xlsx"))
    job = ReportFile.objects.get()
    assert client.get(f"/reports/files/{job.pk}/download/").status_code == 404


def test_old_files_are_removed(client_for, staff, known, large):
    client_for(staff).get(export_url("review-docx"))
    run_the_queue()
    job = ReportFile.objects.get()
    path = job.file.path
    assert job.status == Status.READY
    assert jobs.prune(timezone.now() + jobs.KEEP + datetime.timedelta(minutes=1)) == 1
    assert not ReportFile.objects.exists()
    assert not os.path.exists(path)

"""Every import runs within a time budget: over it, it stops inside its transaction, saves
nothing and says so. A file of many rows is saved by the queue: the person who confirmed it
follows the progress, then reads the result (numbers written the Vietnamese way) or the
file's errors; nobody else sees the job."""

import itertools
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from assignments import imports as assignment_imports
from criteria import excel
from dankhoeo import bounds, importflow, importjobs
from dankhoeo.models import AuditEvent, ImportJob
from tests.conftest import make_user
from tests.villages.conftest import xlsx
from villages import services
from villages.models import Village

URL = "villages:import"
ROWS = [{"name": f"Thôn Số {n}", "commune": "Xã Đăk Sao"} for n in range(3)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(rows=ROWS):
    return SimpleUploadedFile("thon.xlsx", xlsx(rows))


def run_the_queue():
    """What the worker does with each queued task (once)."""
    for task in DBTaskResult.objects.all():
        assert task.task_path == "dankhoeo.importjobs.import_in_background"
        importjobs.import_in_background.call(*task.args_kwargs["args"])
        task.delete()


class Clock:
    """time.monotonic for bounds: each reading one second later than the last."""

    def __init__(self):
        self.ticks = itertools.count()

    def monotonic(self):
        return next(self.ticks)


# The time budget ---------------------------------------------------------------------------


def test_an_import_over_its_time_stops_and_saves_nothing(world_for_assignments, monkeypatch):
    plan, rows = world_for_assignments
    with translation.override("vi"):
        preview = assignment_imports.preview(rows, plan)
    assert preview.errors == [] and len(preview.assignments) == 2
    monkeypatch.setattr(bounds, "time", Clock())
    with pytest.raises(bounds.OverBudget) as over, bounds.time_budget(1.5):
        from assignments import services as work

        work.assignments_import(preview=preview, user=None)  # the second row is one too many
    assert "1" in over.value.messages[0]
    assert not plan.assignments.exists()


def test_the_page_says_in_vietnamese_that_the_import_took_too_long(
    client_for, staff, monkeypatch, db
):
    client = client_for(staff)
    token = client.post(reverse(URL), {"file": upload()}).context["token"]
    monkeypatch.setattr(bounds, "IMPORT_SECONDS", -1)
    response = client.post(reverse(URL), {"token": token, "confirm": "1"}, follow=True)
    shown = [str(message) for message in response.context["messages"]]
    assert any("chưa lưu gì" in message and "giây" in message for message in shown), shown
    assert not Village.objects.filter(name__startswith="Thôn Số").exists()


def test_a_preview_over_its_time_is_refused_on_the_form(client_for, staff, monkeypatch, db):
    monkeypatch.setattr(bounds, "IMPORT_SECONDS", -1)
    response = client_for(staff).post(reverse(URL), {"file": upload()})
    assert response.status_code == 400
    assert "chưa lưu gì" in response.context["form"].errors["file"][0]


# Large imports in the queue ----------------------------------------------------------------


@pytest.fixture
def large(monkeypatch):
    monkeypatch.setattr(bounds, "IMPORT_AT_ONCE_ROWS", 1)


def queue_the_preview(client, rows=ROWS):
    response = client.post(reverse(URL), {"file": upload(rows)})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def confirm(client, rows=ROWS):
    """Upload a large file, let the queue preview it, press Confirm."""
    queue_the_preview(client, rows)
    run_the_queue()
    job = ImportJob.objects.get()
    return client.post(reverse("import-job-confirm", args=[job.pk]), {"confirm": "1"})


def test_a_large_import_is_saved_by_the_queue_with_progress(client_for, staff, large, db):
    client = client_for(staff)
    response = confirm(client)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    assert not Village.objects.filter(name__startswith="Thôn Số").exists()  # not in the request
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page and 'hx-trigger="every 1s"' in page
    run_the_queue()
    job.refresh_from_db()
    assert (job.status, job.progress) == (ImportJob.Status.DONE, 100)
    assert Village.objects.filter(name__startswith="Thôn Số").count() == 3
    status = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "3 thôn mới" in status and "hx-trigger" not in status
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.IMPORT, actor=staff).exists()


def test_the_queue_reports_the_files_errors_and_saves_nothing(client_for, staff, large, media, db):
    client = client_for(staff)
    location = queue_the_preview(client, [*ROWS, {"name": "Thôn Lạ", "commune": "Xã Không Có"}])
    run_the_queue()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REFUSED and job.errors[0][1:3] == [5, "D"]
    page = client.get(location).content.decode()
    assert "Xã Không Có" in page and "import-job-confirm" not in page
    assert reverse("import-job-confirm", args=[job.pk]) not in page  # nothing to confirm
    assert not Village.objects.filter(name__startswith="Thôn Số").exists()
    assert not list((media / "imports").rglob("*.xlsx"))  # the refused file is gone


def test_a_file_changed_after_its_preview_is_judged_again(client_for, staff, large, media, db):
    client = client_for(staff)
    location = queue_the_preview(client)
    run_the_queue()
    job = ImportJob.objects.get()
    staged = next((media / "imports").rglob(f"{job.token}.xlsx"))
    staged.write_bytes(xlsx([*ROWS, {"name": "Thôn Lạ", "commune": "Xã Không Có"}]))
    client.post(reverse("import-job-confirm", args=[job.pk]), {"confirm": "1"})
    run_the_queue()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED and job.errors[0][1:3] == [5, "D"]
    assert "Xã Không Có" in client.get(location).content.decode()
    assert not Village.objects.filter(name__startswith="Thôn Số").exists()
    assert not staged.exists()


def test_a_job_over_its_time_stops_and_says_so(client_for, staff, large, monkeypatch, db):
    client = client_for(staff)
    response = confirm(client)
    monkeypatch.setattr(bounds, "IMPORT_JOB_SECONDS", -1)
    run_the_queue()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and "chưa lưu gì" in job.message
    assert "chưa lưu gì" in client.get(response["Location"]).content.decode()
    assert not Village.objects.filter(name__startswith="Thôn Số").exists()


def test_nobody_else_sees_the_job(client_for, staff, large, db):
    location = queue_the_preview(client_for(staff))
    run_the_queue()
    job = ImportJob.objects.get()
    other = client_for(make_user("other-staff", staff.Role.STAFF))
    assert other.get(location).status_code == 404
    assert other.get(location, HTTP_HX_REQUEST="true").status_code == 404
    confirm_url = reverse("import-job-confirm", args=[job.pk])
    assert other.post(confirm_url, {"confirm": "1"}).status_code == 404
    assert other.post(confirm_url, {"cancel": "1"}).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and job.confirmed_at is None


def test_a_small_import_is_still_saved_at_once(client_for, staff, db):
    client = client_for(staff)
    token = client.post(reverse(URL), {"file": upload()}).context["token"]
    assert client.post(reverse(URL), {"token": token, "confirm": "1"}).status_code == 302
    assert not ImportJob.objects.exists()
    assert Village.objects.filter(name__startswith="Thôn Số").count() == 3


# Numbers in the messages -------------------------------------------------------------------


def test_the_import_messages_write_numbers_the_vietnamese_way(staff, db):
    preview = SimpleNamespace(new=1234, changed=2000, unchanged=0, rows=[])
    assert "1.234 thôn mới, 2.000 thôn thay đổi" in services.import_flow(staff).message(preview)
    surveys = excel.survey_import_flow(staff).message(1500)
    assert "1.500 phiếu" in surveys
    help_text = str(importflow.UploadForm().fields["file"].help_text)
    assert "20.000" in help_text


def test_the_spreadsheet_messages_write_numbers_the_vietnamese_way():
    from decimal import Decimal

    from dankhoeo import spreadsheets as xl
    from dankhoeo.text import shorten

    with translation.override("vi"):
        assert "20.000" in xl.max_rows_note(20_000)
        column = xl.Column("n", "N", kind="decimal", maximum=Decimal(10**9))
        with pytest.raises(ValueError, match=r"1\.000\.000\.000"):
            xl.convert(column, 2 * 10**9)
        with pytest.raises(ValueError, match=r"1\.500"):
            xl.convert(xl.Column("t", "T", max_length=1500), "x" * 1501)
        with pytest.raises(xl.SpreadsheetError, match=r"2,5 MB"):
            xl.open_workbook(b"PK\x03\x04" + b"0" * (3 * 2**20), max_bytes=int(2.5 * 2**20))
        assert "1.000" in shorten("x" * 1010, 10)

"""A large import saved by the queue shows real progress while its one transaction is open:
on PostgreSQL the percentage is written through a connection of its own, so that another
connection (the page's request) sees it climb from 50 % while none of the rows is visible
yet; a save that stops half-way leaves nothing behind."""

import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from dankhoeo import bounds, importjobs
from dankhoeo.models import ImportJob
from tests.villages.conftest import xlsx
from villages.models import Village
from villages.services import villages as village_services

pytestmark = pytest.mark.django_db(transaction=True)

URL = "villages:import"
ROWS = [{"name": f"Thôn Tiến Độ {n}", "commune": "Xã Đăk Sao"} for n in range(12)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def queued(client_for, staff, monkeypatch):
    """A confirmed import of ROWS waiting in the queue (every file goes to the queue; the
    save works two villages at a time, reporting at each step)."""
    monkeypatch.setattr(bounds, "IMPORT_AT_ONCE_ROWS", 1)
    monkeypatch.setattr(bounds, "PROGRESS_EVERY_SECONDS", 0)
    monkeypatch.setattr(village_services, "BATCH", 2)
    client = client_for(staff)
    upload = SimpleUploadedFile("thon.xlsx", xlsx(ROWS))
    client.post(reverse(URL), {"file": upload})
    run_the_queue()  # the preview
    job = ImportJob.objects.get()
    client.post(reverse("import-job-confirm", args=[job.pk]), {"confirm": "1"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    return job


def watch_the_save(monkeypatch, job, then=None):
    """At every step of the save (inside its transaction), what another connection sees:
    (the job's progress, the villages of the file already visible)."""
    observer = connections.create_connection(DEFAULT_DB_ALIAS)
    seen = []
    spend = bounds.spend

    def watched(done=0, total=0):
        spend(done, total)
        if connection.in_atomic_block:
            with observer.cursor() as cursor:
                cursor.execute("SELECT progress FROM dankhoeo_importjob WHERE id = %s", [job.pk])
                progress = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT count(*) FROM villages_village WHERE name LIKE 'Thôn Tiến Độ%%'"
                )
                seen.append((progress, cursor.fetchone()[0]))
            if then:
                then(len(seen))

    monkeypatch.setattr(bounds, "spend", watched)
    return observer, seen


def run_the_queue():
    for task in DBTaskResult.objects.all():
        importjobs.import_in_background.call(*task.args_kwargs["args"])
        task.delete()


def test_another_connection_sees_the_progress_during_the_save(queued, monkeypatch):
    assert connection.vendor == "postgresql"
    observer, seen = watch_the_save(monkeypatch, queued)
    try:
        run_the_queue()
    finally:
        observer.close()
    progress = [percent for percent, _ in seen]
    assert len(progress) > 5
    assert progress == sorted(progress)  # it only climbs
    assert progress[0] == 50 and 75 <= progress[-1] < 100  # the save's half, step by step
    assert len(set(progress)) > 4
    assert {visible for _, visible in seen} == {0}  # nothing saved is seen before the commit
    queued.refresh_from_db()
    assert (queued.status, queued.progress) == (ImportJob.Status.DONE, 100)
    assert Village.objects.filter(name__startswith="Thôn Tiến Độ").count() == len(ROWS)


def test_a_save_that_stops_half_way_saves_nothing(queued, monkeypatch):
    def stop_at(step):
        if step == 6:  # after some villages were written inside the transaction
            monkeypatch.setattr(bounds, "time", Late())

    observer, seen = watch_the_save(monkeypatch, queued, then=stop_at)
    try:
        run_the_queue()
    finally:
        observer.close()
    assert max(percent for percent, _ in seen) > 50  # it had made progress
    queued.refresh_from_db()
    assert queued.status == ImportJob.Status.FAILED and "chưa lưu gì" in queued.message
    assert queued.progress < 100
    assert not Village.objects.filter(name__startswith="Thôn Tiến Độ").exists()


class Late:
    """time.monotonic for bounds, far past any deadline."""

    def __init__(self):
        self.ticks = itertools.count(10**9)

    def monotonic(self):
        return next(self.ticks)

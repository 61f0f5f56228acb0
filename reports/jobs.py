"""Heavy files made in the background: the yearly review (PDF, Word, Excel) and the dashboard
workbook of more than ``AT_ONCE_VILLAGES`` villages are not rendered in the request. The
person asks, a ``ReportFile`` records the request, the queue (django-tasks with its database
backend: PostgreSQL in production, SQLite in the demo; ``manage.py db_worker`` runs it, and
``make run`` starts one) makes the file while the page shows its progress, then offers it.
Files are kept for ``KEEP``, then removed by the next job; they are served only to the person
who asked, after the same access check as the page (reports/views.py).
"""

import datetime
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from dankhoeo.models import User
from reports import exporters
from reports.models import ReportFile

AT_ONCE_VILLAGES = 200  # files of at most this many villages come at once, in the request
BACKGROUND = {"review-pdf", "review-docx", "review-xlsx", "dashboard-xlsx"}
KEEP = datetime.timedelta(days=2)
RENDER_FROM, RENDER_TO = 25, 95  # the share of the progress bar that the rendering fills

Status = ReportFile.Status
log = logging.getLogger(__name__)


def in_background(exporter: exporters.Exporter, params: exporters.Params) -> bool:
    """Whether this file is made by the queue rather than in the request."""
    return exporter.identifier in BACKGROUND and len(params.village_ids) > AT_ONCE_VILLAGES


def report_file_request(
    *, user: User, exporter: exporters.Exporter, params: exporters.Params
) -> ReportFile:
    """Record the request and put it in the queue (in the same transaction: the worker sees
    both, or neither)."""
    with transaction.atomic():
        job = ReportFile.objects.create(
            user=user, exporter=exporter.identifier, query=params.query()
        )
        make_report_file.enqueue(str(job.pk))
    return job


def _progress(job: ReportFile, percent: int, status: str = Status.RUNNING) -> None:
    if (job.progress, job.status) == (percent, status):
        return
    job.progress, job.status = percent, status
    ReportFile.objects.filter(pk=job.pk).update(progress=percent, status=status)


@task()
def make_report_file(pk: str) -> None:
    """Make the file of a request, recording its progress; a failure is recorded, not raised
    again (the page says so)."""
    job = ReportFile.objects.select_related("user").get(pk=pk)
    prune()
    try:
        exporter = exporters.EXPORTERS[job.exporter]
        params = exporters.resolve(
            plan=job.query.get("plan"),
            year=job.query.get("year"),
            scope=job.query.get("scope"),
            user=job.user,
        )
        _progress(job, 5)
        if job.exporter == "dashboard-xlsx":
            exporters.summary_for(params, approved_only=False)  # kept in the shared cache
        else:
            exporters.gather_for(params, approved_only=True)
        _progress(job, RENDER_FROM)

        def rendering(share: float) -> None:  # the PDF tells it while WeasyPrint works
            _progress(job, RENDER_FROM + int(share * (RENDER_TO - RENDER_FROM)))

        filename, content_type, content = exporter.render(params, rendering)
        _progress(job, RENDER_TO)
        job.file.save(filename, ContentFile(content), save=False)
        job.filename, job.content_type = filename, content_type
        job.status, job.progress, job.finished_at = Status.READY, 100, timezone.now()
        job.save()
    except Exception:
        log.exception("The report file %s could not be made", pk)
        job.status, job.finished_at = Status.FAILED, timezone.now()
        job.save(update_fields=["status", "finished_at"])


def prune(now: datetime.datetime | None = None) -> int:
    """Remove the files kept longer than KEEP; return how many."""
    old = ReportFile.objects.filter(created_at__lt=(now or timezone.now()) - KEEP)
    count = 0
    for job in old:
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count

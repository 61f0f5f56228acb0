"""Large imports, made by the queue (django-tasks, ``manage.py db_worker``) for the one import
flow (``dankhoeo.importflow``).

An upload of more than ``bounds.IMPORT_AT_ONCE_ROWS`` rows is staged and becomes an
``ImportJob``; the person is sent to its page (``/imports/<id>/``), which shows the progress
while the worker reads the file (the preview, within ``IMPORT_JOB_SECONDS``), then the same
preview as a small file's page (the import's own ``preview_template``, rendered by the worker)
or the file's errors by sheet, row and column. Confirm (``confirm``) queues the save of that
staged file: the worker reads it again, as a confirmation in the request does, and saves it in
one transaction, with its progress; Cancel (``cancel``) removes it. The worker rebuilds the
import's ``Flow`` from its factory's dotted path and JSON parameters (``@flow_factory``).
An import over its time stops inside its transaction: nothing is saved, and the page says so.
"""

import logging
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from dankhoeo import audit, bounds
from dankhoeo import spreadsheets as xl
from dankhoeo.models import ImportJob

log = logging.getLogger(__name__)

MAX_KEPT_ERRORS = 1000
_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}c"
_ROW = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}row"


def is_large(upload) -> bool:
    """Whether the upload holds more than ``IMPORT_AT_ONCE_ROWS`` rows with a value below the
    header, over all its sheets (a template's instructions count too: a few rows). Streams the
    sheets' XML and stops as soon as it knows, so a large file costs no more than a small one;
    a file that cannot be read raises ``SpreadsheetError`` (as its preview would)."""
    workbook = xl.open_workbook(upload)
    rows = 0
    try:
        for title in workbook.sheetnames:
            with workbook.sheet_xml(title) as stream:
                header, filled = True, False
                # expat (>= 2.4) refuses entity amplification and never fetches external entities
                for _event, element in ElementTree.iterparse(stream):  # noqa: S314
                    if element.tag == _CELL:
                        filled = filled or len(element) > 0
                        element.clear()
                    elif element.tag == _ROW:
                        if filled and header:
                            header = False
                        elif filled:
                            rows += 1
                        filled = False
                        element.clear()
                        if rows > bounds.IMPORT_AT_ONCE_ROWS:
                            return True
    except (ElementTree.ParseError, KeyError, OSError) as error:
        raise xl.SpreadsheetError(
            _("The file could not be read as an Excel workbook (.xlsx).")
        ) from error
    return False


def enqueue(request, flow, token: str, *, rows: int = 0, confirmed: bool = False) -> ImportJob:
    """Record the job of a staged upload (its preview, or its save when ``confirmed``) and put
    it in the queue, in one transaction (the worker sees both, or neither)."""
    with transaction.atomic():
        job = ImportJob.objects.create(
            user=request.user,
            flow=flow.factory,
            params=flow.params,
            token=token,
            title=flow.title or flow.target,
            back=request.path,
            rows=rows,
            confirmed_at=timezone.now() if confirmed else None,
        )
        import_in_background.enqueue(str(job.pk))
    return job


def confirm(job: ImportJob) -> bool:
    """Queue the save of a checked preview; False if it is not waiting for a confirmation
    (already confirmed by a second click, cancelled, refused)."""
    with transaction.atomic():
        waiting = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED)
        if not waiting.update(
            status=ImportJob.Status.QUEUED, progress=0, preview="", confirmed_at=timezone.now()
        ):
            return False
        import_in_background.enqueue(str(job.pk))
    return True


def cancel(job: ImportJob) -> bool:
    """Drop a checked preview and its staged file; False if it is not waiting."""
    waiting = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED)
    if not waiting.update(
        status=ImportJob.Status.CANCELLED, preview="", finished_at=timezone.now()
    ):
        return False
    xl.discard_staged(job.user, job.token)
    return True


def _status(job: ImportJob, status: str, progress: int | None = None) -> None:
    job.status = status
    job.progress = job.progress if progress is None else progress
    ImportJob.objects.filter(pk=job.pk).update(status=job.status, progress=job.progress)


def _finish(job: ImportJob, status: str, message: str = "", errors=()) -> None:
    job.status, job.message, job.finished_at = status, message, timezone.now()
    job.progress = 100 if status == ImportJob.Status.DONE else job.progress
    job.errors = [[e.sheet, e.row, e.column, e.message] for e in list(errors)[:MAX_KEPT_ERRORS]]
    job.save(update_fields=["status", "message", "finished_at", "progress", "errors"])


@task()
def import_in_background(pk: str) -> None:
    """The preview of a staged file (not yet confirmed) or its save (confirmed), within
    ``IMPORT_JOB_SECONDS``; the job records its progress, then the preview, the result, the
    file's errors, or why it stopped. Nothing is raised again: the page says what happened.
    The messages are written in the app's language (the worker has no request to take one
    from)."""
    with translation.override(settings.LANGUAGE_CODE):
        _import(pk)


def _import(pk: str) -> None:
    job = ImportJob.objects.select_related("user").get(pk=pk)
    user, saving = job.user, job.confirmed_at is not None
    _status(job, ImportJob.Status.READING, 0)
    progress = Progress(job, saving=saving)
    try:
        flow = import_string(job.flow)(user, **job.params)
        with bounds.time_budget(bounds.IMPORT_JOB_SECONDS, progress=progress.report):
            try:
                preview = flow.read(xl.staged_path(user, job.token))
            except BaseException:
                xl.discard_staged(user, job.token)
                raise
            if preview.errors or saving:
                xl.discard_staged(user, job.token)  # refused, or read for the last time
            if preview.errors:
                _finish(job, ImportJob.Status.REFUSED, errors=preview.errors)
                return
            if not saving:
                _checked(job, flow, preview)
                return
            _status(job, ImportJob.Status.SAVING, progress.SAVE_FROM)
            progress.saving()
            saved = flow.save(preview)
    except xl.SpreadsheetError as error:
        _finish(job, ImportJob.Status.FAILED, str(error))
        return
    except ValidationError as error:
        _finish(job, ImportJob.Status.FAILED, " ".join(error.messages))
        return
    except Exception:
        log.exception("The import %s failed", pk)
        _finish(job, ImportJob.Status.FAILED, _("The import failed: nothing was saved."))
        return
    finally:
        progress.close()
    audit.record(actor=user, kind=audit.Kind.IMPORT, target=flow.target, detail=flow.detail(saved))
    _finish(job, ImportJob.Status.DONE, flow.message(saved))


def _checked(job: ImportJob, flow, preview) -> None:
    """The preview is ready: the page shows it with Confirm and Cancel."""
    job.status, job.progress, job.rows = ImportJob.Status.CHECKED, 100, flow.size(preview)
    job.preview = render_to_string(flow.preview_template, {"preview": preview})
    job.save(update_fields=["status", "progress", "rows", "preview"])


class Progress:
    """A job's percentage, as the page shows it: a preview is reading the file (0-100 %); a
    save reads the file again (0-50 %), then saves it (50-100 %).

    The save runs in one transaction (every row or none), and the percentage must reach the
    page while that transaction is still open. On PostgreSQL it is written through a
    connection of its own to the same database (in autocommit, so each write is seen at
    once); the job's row is never touched by the save's transaction, so the two connections
    never wait for each other. On SQLite (the demo) a second writer would wait for the save's
    transaction to end (SQLite has one writer at a time), and a write inside that transaction
    is seen only once it commits: there the save shows as one step, from 50 % to done."""

    SAVE_FROM = 50

    def __init__(self, job: ImportJob, *, saving: bool):
        self.job = job
        self.start, self.span = 0, self.SAVE_FROM if saving else 100
        self.own = None
        if connection.vendor == "postgresql":
            self.own = connections.create_connection(DEFAULT_DB_ALIAS)

    def saving(self) -> None:
        self.start, self.span = self.SAVE_FROM, 100 - self.SAVE_FROM

    def report(self, percent: int) -> None:
        """``percent`` of the current phase done."""
        value = min(99, self.start + percent * self.span // 100)
        if self.own is not None:
            table = self.own.ops.quote_name(ImportJob._meta.db_table)
            with self.own.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET progress = %s WHERE id = %s",  # noqa: S608 - our table
                    [value, self.job.pk],
                )
        elif not connection.in_atomic_block:  # SQLite: only outside the save's transaction
            _status(self.job, self.job.status, value)

    def close(self) -> None:
        if self.own is not None:
            self.own.close()

"""The one import flow of the app: upload → preview → stage → confirm (or cancel) → audit.

Every Excel import (villages, a plan's assignments, surveys, a criteria set) is a ``Flow``: how
to read a file into a preview (a result with ``errors``, each a ``spreadsheets.CellError``), how
to save a preview, and what the security log records. The confirmation reads the staged file
again with the same ``read``, so nothing passes the preview that the confirmation refuses, and a
preview saved meanwhile by someone else is judged again. The staged file is removed once the
import is confirmed, cancelled or refused; ``cleanup_staging`` removes those left behind.

``run`` takes a request through these steps and returns a ``Step``; the app's view (which has
already checked the user's rights) renders its page with ``step.context`` (its template
includes ``_import_flow.html``), returns ``step.response`` when there is one, or, once saved,
redirects (the flow's ``message`` has said what was saved).

Bounds (``dankhoeo.bounds``): the preview and the save in the request each run within
``IMPORT_SECONDS``; a file of more than ``IMPORT_AT_ONCE_ROWS`` rows is saved by the queue
(django-tasks, ``manage.py db_worker``) within ``IMPORT_JOB_SECONDS``: Confirm records an
``ImportJob`` and sends the person to its page, which shows the progress, then the result or
the errors. A flow built by a factory marked ``@flow_factory`` can be rebuilt by the worker from
the factory's dotted path and its (JSON) parameters. An import over its time stops inside its
transaction: nothing is saved, and the message says so.
"""

import dataclasses
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from dankhoeo import audit, bounds, money
from dankhoeo import spreadsheets as xl
from dankhoeo.models import ImportJob

log = logging.getLogger(__name__)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        allow_empty_file=True,  # an empty file is refused by spreadsheets, which says so
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    previous = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(size)s MB and %(rows)s rows.") % {
            "size": money.format_number(xl.MAX_BYTES // (1024 * 1024)),
            "rows": money.format_number(xl.MAX_ROWS),
        }


def _saved(saved: Any) -> str:
    return _("The file was imported.")


@dataclass(frozen=True)
class Flow:
    read: Callable[[Any], Any]  # an upload or a staged path -> a preview with ``errors``
    save: Callable[[Any], Any]  # a preview without errors -> what was saved
    target: str  # what the security log names as imported
    detail: Callable[[Any], str] = str  # the security log's detail, from what was saved
    message: Callable[[Any], str] = _saved  # what the person is told, from what was saved
    size: Callable[[Any], int] = lambda preview: 0  # the rows of a preview
    title: str = ""  # the job page's title
    factory: str = ""  # set by ``flow_factory``: how the worker builds the flow again
    params: dict = field(default_factory=dict)


def flow_factory(build: Callable[..., Flow]) -> Callable[..., Flow]:
    """Mark a function ``build(user, **params) -> Flow`` (its parameters plain JSON values,
    such as primary keys) as one the queue may call again to save a large file."""
    path = f"{build.__module__}.{build.__qualname__}"

    @functools.wraps(build)
    def make(user, **params) -> Flow:
        return dataclasses.replace(build(user, **params), factory=path, params=params)

    return make


def counts(template: str, numbers: dict[str, int]) -> str:
    """A message about counts, each number written the Vietnamese way (1.234)."""
    return template % {key: money.format_number(value) for key, value in numbers.items()}


@dataclass
class Step:
    form: UploadForm
    preview: Any = None
    token: str = ""
    saved: Any = None
    done: bool = False
    refused: bool = False  # the uploaded file cannot be used at all
    extra: dict = field(default_factory=dict)
    response: HttpResponse | None = None  # the view returns it as it is (a job's page)

    @property
    def context(self) -> dict:
        context = {"form": self.form, "preview": self.preview, **self.extra}
        if self.token:
            context["token"] = self.token
        return context

    @property
    def status(self) -> int:
        """400 when the upload is refused (no file, or a file that cannot be used), else 200."""
        return 400 if self.refused or self.form.errors else 200


def _rows_key(token: str) -> str:
    return f"import-rows:{token}"


def run(request: HttpRequest, flow: Flow) -> Step:
    """One step of the flow for this request (GET: the empty form)."""
    if request.method != "POST":
        return Step(UploadForm())
    if request.POST.get("token"):
        return _confirm(request, flow, request.POST["token"])
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return Step(form)
    previous = form.cleaned_data["previous"]
    xl.discard_staged(request.user, previous)  # a new file replaces it
    request.session.pop(_rows_key(previous), None)
    upload = form.cleaned_data["file"]
    try:
        with bounds.time_budget(bounds.IMPORT_SECONDS):
            preview = flow.read(upload)
        token = "" if preview.errors else xl.stage_upload(request.user, upload)
    except (xl.SpreadsheetError, bounds.OverBudget) as error:
        form.add_error("file", _message(error))
        return Step(form, refused=True)
    if token:
        request.session[_rows_key(token)] = flow.size(preview)
    return Step(UploadForm(initial={"previous": token}), preview=preview, token=token)


def _message(error: Exception) -> str:
    return error.messages[0] if isinstance(error, ValidationError) else str(error)


def _confirm(request: HttpRequest, flow: Flow, token: str) -> Step:
    form = UploadForm()
    rows = request.session.pop(_rows_key(token), 0)
    if request.POST.get("cancel"):
        xl.discard_staged(request.user, token)
        return Step(form)
    try:
        path = xl.staged_path(request.user, token)
        if flow.factory and rows > bounds.IMPORT_AT_ONCE_ROWS:
            job = _enqueue(request, flow, token, rows)
            return Step(form, response=redirect("import-job", pk=job.pk))
        with bounds.time_budget(bounds.IMPORT_SECONDS):
            try:
                preview = flow.read(path)  # the preview's own validation, again
            finally:
                xl.discard_staged(request.user, token)  # confirmed, refused or unreadable: done
            if preview.errors:
                return Step(form, preview=preview)
            saved = flow.save(preview)
    except xl.SpreadsheetError as error:
        messages.error(request, str(error))
        return Step(form)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return Step(form)
    audit.record(
        actor=request.user,
        kind=audit.Kind.IMPORT,
        target=flow.target,
        detail=flow.detail(saved),
        request=request,
    )
    messages.success(request, flow.message(saved))
    return Step(form, preview=preview, saved=saved, done=True)


# Large imports, made by the queue ----------------------------------------------------------


def _enqueue(request: HttpRequest, flow: Flow, token: str, rows: int) -> ImportJob:
    """Record the job and put it in the queue, in one transaction (the worker sees both, or
    neither)."""
    with transaction.atomic():
        job = ImportJob.objects.create(
            user=request.user,
            flow=flow.factory,
            params=flow.params,
            token=token,
            title=flow.title or flow.target,
            back=request.path,
            rows=rows,
        )
        import_in_background.enqueue(str(job.pk))
    return job


def _status(job: ImportJob, status: str, progress: int | None = None) -> None:
    job.status = status
    job.progress = job.progress if progress is None else progress
    ImportJob.objects.filter(pk=job.pk).update(status=job.status, progress=job.progress)


def _finish(job: ImportJob, status: str, message: str = "", errors=()) -> None:
    job.status, job.message, job.finished_at = status, message, timezone.now()
    job.progress = 100 if status == ImportJob.Status.DONE else job.progress
    job.errors = [[e.sheet, e.row, e.column, e.message] for e in list(errors)[:MAX_KEPT_ERRORS]]
    job.save(update_fields=["status", "message", "finished_at", "progress", "errors"])


MAX_KEPT_ERRORS = 1000


@task()
def import_in_background(pk: str) -> None:
    """Read the staged file again and save it, as Confirm does in the request, within
    ``IMPORT_JOB_SECONDS``; the job records its progress, then the result, the file's errors,
    or why it stopped. Nothing is raised again: the page says what happened. The messages are
    written in the app's language (the worker has no request to take one from)."""
    with translation.override(settings.LANGUAGE_CODE):
        _import(pk)


def _import(pk: str) -> None:
    job = ImportJob.objects.select_related("user").get(pk=pk)
    user = job.user
    _status(job, ImportJob.Status.READING, 0)
    progress = Progress(job)
    try:
        flow = import_string(job.flow)(user, **job.params)
        with bounds.time_budget(bounds.IMPORT_JOB_SECONDS, progress=progress.report):
            try:
                preview = flow.read(xl.staged_path(user, job.token))
            finally:
                xl.discard_staged(user, job.token)
            if preview.errors:
                _finish(job, ImportJob.Status.REFUSED, errors=preview.errors)
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


class Progress:
    """A job's percentage, as the page shows it: reading the file is 0-50 %, saving 50-100 %.

    The save runs in one transaction (every row or none), and the percentage must reach the
    page while that transaction is still open. On PostgreSQL it is written through a
    connection of its own to the same database (in autocommit, so each write is seen at
    once); the job's row is never touched by the save's transaction, so the two connections
    never wait for each other. On SQLite (the demo) a second writer would wait for the save's
    transaction to end (SQLite has one writer at a time), and a write inside that transaction
    is seen only once it commits: there the save shows as one step, from 50 % to done."""

    SAVE_FROM = 50

    def __init__(self, job: ImportJob):
        self.job = job
        self.start, self.span = 0, self.SAVE_FROM
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

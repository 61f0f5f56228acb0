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
``IMPORT_SECONDS``. An upload of more than ``IMPORT_AT_ONCE_ROWS`` rows is previewed and then
saved by the queue (``dankhoeo.importjobs``) within ``IMPORT_JOB_SECONDS``: the upload is
staged and the person sent to the job's page, which shows the progress, then the same preview
(the flow's ``preview_template``, which the import's own page includes too) with Confirm. A
flow built by a factory marked ``@flow_factory`` can be rebuilt by the worker from the
factory's dotted path and its (JSON) parameters; an import without one is always previewed in
the request. An import over its time stops inside its transaction: nothing is saved, and the
message says so.
"""

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dankhoeo import audit, bounds, importjobs, money
from dankhoeo import spreadsheets as xl


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
    preview_template: str = ""  # the preview (context: ``preview``), on both pages
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
            if flow.factory and flow.preview_template and importjobs.is_large(upload):
                token = xl.stage_upload(request.user, upload)
                job = importjobs.enqueue(request, flow, token)
                return Step(form, response=redirect("import-job", pk=job.pk))
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
            job = importjobs.enqueue(request, flow, token, rows=rows, confirmed=True)
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

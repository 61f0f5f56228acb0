"""The one import flow of the app: upload → preview → stage → confirm (or cancel) → audit.

Every Excel import (villages, a plan's assignments, surveys, a criteria set) is a ``Flow``: how
to read a file into a preview (a result with ``errors``, each a ``spreadsheets.CellError``), how
to save a preview, and what the security log records. The confirmation reads the staged file
again with the same ``read``, so nothing passes the preview that the confirmation refuses, and a
preview saved meanwhile by someone else is judged again. The staged file is removed once the
import is confirmed, cancelled or refused; ``cleanup_staging`` removes those left behind.

``run`` takes a request through these steps and returns a ``Step``; the app's view (which has
already checked the user's rights) renders its page with ``step.context`` (its template
includes ``_import_flow.html``) or, once saved, says so and redirects.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dankhoeo import audit
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
            "size": xl.MAX_BYTES // (1024 * 1024),
            "rows": xl.MAX_ROWS,
        }


@dataclass(frozen=True)
class Flow:
    read: Callable[[Any], Any]  # an upload or a staged path -> a preview with ``errors``
    save: Callable[[Any], Any]  # a preview without errors -> what was saved
    target: str  # what the security log names as imported
    detail: Callable[[Any], str] = str  # the security log's detail, from what was saved


@dataclass
class Step:
    form: UploadForm
    preview: Any = None
    token: str = ""
    saved: Any = None
    done: bool = False
    refused: bool = False  # the uploaded file cannot be used at all
    extra: dict = field(default_factory=dict)

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


def run(request: HttpRequest, flow: Flow) -> Step:
    """One step of the flow for this request (GET: the empty form)."""
    if request.method != "POST":
        return Step(UploadForm())
    if request.POST.get("token"):
        return _confirm(request, flow, request.POST["token"])
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return Step(form)
    xl.discard_staged(request.user, form.cleaned_data["previous"])  # a new file replaces it
    upload = form.cleaned_data["file"]
    try:
        preview = flow.read(upload)
        token = "" if preview.errors else xl.stage_upload(request.user, upload)
    except xl.SpreadsheetError as error:
        form.add_error("file", str(error))
        return Step(form, refused=True)
    return Step(UploadForm(initial={"previous": token}), preview=preview, token=token)


def _confirm(request: HttpRequest, flow: Flow, token: str) -> Step:
    form = UploadForm()
    if request.POST.get("cancel"):
        xl.discard_staged(request.user, token)
        return Step(form)
    try:
        path = xl.staged_path(request.user, token)
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
    return Step(form, preview=preview, saved=saved, done=True)

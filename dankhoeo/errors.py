"""One error type for a change that a service refuses, and one way for a view to show it.

A service that refuses a change raises ``Refused`` and writes nothing. Like any Django
``ValidationError`` it holds one message, a list of them, or ``{field: messages}``, where a field
is the name of the service's keyword argument (the forms use the same names); ``cells`` names
the spreadsheet cells an import refusal is about. A view catches ``Refused`` (or any
``ValidationError``) and calls ``show_refusal``; the errors of a form that is not rendered
again are shown the same way, by ``show_form_errors``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError


class Refused(ValidationError):
    """A change refused by a service; nothing was written."""

    def __init__(self, message, code=None, params=None, *, cells=()):
        super().__init__(message, code, params)
        self.cells = list(cells)


def show_refusal(request, error: ValidationError, form=None) -> None:
    """Show a refused change: on the form when there is one (each message on its field when the
    form has that field, the others above the fields), else as error messages of the page."""
    if form is None:
        for message in error.messages:
            messages.error(request, message)
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def show_form_errors(request, form) -> None:
    """Show the errors of a form posted from a page that is not rendered again (a button on a
    detail page that redirects back to it): as error messages of the page, like a refusal."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)

"""What every view of the app needs: the domain error turned into a message, and the year
asked for. Objects are loaded *for this user* by the access policy (``dankhoeo.access``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError

from dankhoeo import bounds


def show_error(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def year_from(request, default: int) -> int:
    return bounds.query_int(request.GET, "year", bounds.YEAR, default=default)

"""What every view of the app needs: the domain error turned into a message, and the year
asked for. Objects are loaded *for this user* by the access policy (``dankhoeo.access``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def show_error(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def year_from(request, default: int) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else default

"""What every view of the app needs: the year asked for. A refused change is shown by
``dankhoeo.errors.show_refusal``; objects are loaded *for this user* by the access policy
(``dankhoeo.access``)."""

from dankhoeo import bounds


def year_from(request, default: int) -> int:
    return bounds.query_int(request.GET, "year", bounds.YEAR, default=default)

"""What several criteria pages need: the year asked for."""

from assignments.models import Plan
from dankhoeo import bounds


def requested_year(request, default: int | None = None) -> int:
    """The year of ``?year=`` (a 400 when not a year), else ``default``, else the year pages
    open on (``Plan.objects.current_year``, asked only then)."""
    year = bounds.query_int(request.GET, "year", bounds.YEAR, default=default)
    return Plan.objects.current_year() if year is None else year

"""What several criteria pages need: the year asked for."""

from assignments.models import Plan
from dankhoeo import bounds


def requested_year(request) -> int:
    """The year of ``?year=`` (a 400 when not a year), else the year pages open on
    (``Plan.objects.current_year``)."""
    return bounds.query_int(request.GET, "year", bounds.YEAR, default=Plan.objects.current_year())

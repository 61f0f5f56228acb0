"""What several criteria pages need: the year asked for."""

from criteria import queries
from dankhoeo import bounds


def requested_year(request) -> int:
    """The year of ``?year=``, this year when absent (a 400 when not a year)."""
    return bounds.query_int(request.GET, "year", bounds.YEAR, default=queries.current_year())

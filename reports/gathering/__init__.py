"""The one place where a report's numbers are gathered.

``summarise(plan=, year=, scope=, village_ids=, approved_only=)`` counts what the dashboard
shows (totals; progress by district, commune, agency and year; resources; activities;
proposals) in the database, in a constant number of queries and a time that hardly grows with
the villages: the dashboard shows a ``Summary`` and one page of ``village_rows``.
``gather(...)`` adds every village's row and the annexes (resources by source, dissemination,
teams, models, proposals): the ``Report`` that the yearly review (HTML, PDF, DOCX, Excel)
renders, its agencies' work counted over the whole period for the tổng kết; with ``shown`` (a
page of the review on the web) only those villages' rows, while the totals and the counts by
criterion (from the verdicts each survey keeps) still cover every village. No output counts
anything itself.

Only approved surveys count in official reports (``approved_only=True``); the dashboard also
shows surveys still under review, each marked as such.

By concern: ``counts`` (the survey counts and their sums), ``rows`` (the matrix rows),
``lists`` (teams and the village profile), ``summary`` (the summary and the report),
``points`` (the map's villages with their latest approved result).
"""

from reports.gathering.counts import Counts, GroupRow, Totals, YearRow
from reports.gathering.lists import Profile, TeamRow, village_profile
from reports.gathering.points import MapPoint, village_points
from reports.gathering.rows import Cell, SurveyFacts, VillageRow, village_rows
from reports.gathering.summary import (
    Activities,
    Report,
    Summary,
    gather,
    is_final,
    summarise,
    work_years,
)

__all__ = [
    "Activities",
    "Cell",
    "Counts",
    "GroupRow",
    "MapPoint",
    "Profile",
    "Report",
    "Summary",
    "SurveyFacts",
    "TeamRow",
    "Totals",
    "VillageRow",
    "YearRow",
    "gather",
    "is_final",
    "summarise",
    "village_points",
    "village_profile",
    "village_rows",
    "work_years",
]

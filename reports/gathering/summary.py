"""The summary of a plan, year and scope (what the dashboard shows and what heads every report)
and the report that adds every village's row and the annex lists.

The survey figures are the year's (this year against the year before). The work of the
agencies (resources, activities, dissemination, proposals, models) is counted over
``Summary.years``: the year itself for the dashboard and a sơ kết, the whole period of the plan
for the tổng kết (``work_years``).
"""

import datetime
from dataclasses import dataclass, fields

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from assignments.models import (
    Activity,
    Assignment,
    Dissemination,
    DvkModel,
    Plan,
    Proposal,
    Resource,
)
from criteria.models import Criterion, SurveyDeadline
from reports.gathering import counts as counting
from reports.gathering.lists import TeamRow, team_counts, teams
from reports.gathering.rows import (
    CriterionCounts,
    VillageRow,
    criterion_counts,
    matrix_order,
    village_rows,
)
from reports.scopes import Scope
from villages.models import Village


def is_final(plan: Plan, year: int) -> bool:
    """The tổng kết: the plan's last year (or later), covering the whole period."""
    return year >= plan.period_end


def work_years(plan: Plan, year: int) -> list[int]:
    """The years whose work a report of this year counts: the year itself for a sơ kết, the
    whole period up to it for the tổng kết."""
    if is_final(plan, year):
        return list(range(min(plan.period_start, year), year + 1))
    return [year]


@dataclass
class Activities:
    """The activities held in the years counted."""

    count: int = 0
    people: int = 0
    households: int = 0


@dataclass
class Summary:
    """The numbers of a plan, year and scope, counted by the database whatever the number of
    villages: what the dashboard shows and what heads every report."""

    plan: Plan
    year: int
    years: list[int]  # the years whose work (resources, activities, proposals) is counted
    scope: Scope
    approved_only: bool
    criteria: list[Criterion]
    totals: counting.Totals
    by_district: list[counting.GroupRow]
    by_commune: list[counting.GroupRow]
    by_agency: list[counting.GroupRow]
    trend: list[counting.YearRow]
    resources: dict
    resources_by_agency: list[dict]
    activities: Activities
    deadline: SurveyDeadline | None
    today: datetime.date

    @property
    def has_data(self) -> bool:
        """Whether anything at all was recorded for the year in this scope."""
        t = self.totals
        return bool(
            t.surveyed
            or self.resources["money"]
            or self.resources["work_days"]
            or self.activities.count
            or t.proposals
        )

    @property
    def previous_year(self) -> int:
        return self.year - 1

    @property
    def over_period(self) -> bool:
        """Whether the work is counted over more than the year (the tổng kết)."""
        return len(self.years) > 1


@dataclass
class Report(Summary):
    """The summary with every village's row and the lists of the annexes: what the yearly
    review and the workbooks show."""

    rows: list[VillageRow]  # in the matrix's order (``rows.matrix_order``)
    by_criterion: CriterionCounts
    resources_by_source: list[dict]
    disseminations: dict
    teams: list[TeamRow]
    models: list[DvkModel]
    proposals: list[Proposal]


def summarise(
    *,
    plan: Plan,
    year: int,
    scope: Scope,
    village_ids,
    approved_only: bool = True,
    today: datetime.date | None = None,
    over_period: bool = False,
) -> Summary:
    """The numbers for the villages of these ids (already limited to plan, scope and the
    viewer's access) and this year, in a constant number of queries. The ids go to the
    database as one array, which it plans for their real number (``Village.objects.among``).
    With ``over_period`` the work is counted over ``work_years`` (the report), else over the
    year alone (the dashboard)."""
    ids = tuple(village_ids)
    years = work_years(plan, year) if over_period else [year]
    first, last = years[0], years[-1]
    rows = counting.counted(plan, year, ids, approved_only)
    deadline = SurveyDeadline.objects.filter(year=year).first()
    today = today or timezone.localdate()
    overdue_possible = bool(deadline and today > deadline.due_on)
    total = counting.Counts.total(counts for _labels, counts in rows)
    criteria = list(Criterion.objects.filter(criteria_set=plan.criteria_set_id))
    totals = counting.Totals(
        **{f.name: getattr(total, f.name) for f in fields(counting.Counts)},
        overdue=total.villages - total.submitted if overdue_possible else 0,
        criteria=len(criteria),
        **_proposal_counts(plan, first, last, ids),
    )
    in_plan = {"plan": plan, "village__any_of": ids}
    resources = Resource.objects.filter(**in_plan).in_years(first, last)
    by_agency = resources.totals_by("agency")
    return Summary(
        plan=plan,
        year=year,
        years=years,
        scope=scope,
        approved_only=approved_only,
        criteria=criteria,
        totals=totals,
        by_district=counting.groups(rows, "district"),
        by_commune=counting.groups(rows, "commune_now"),
        by_agency=counting.groups(rows, "agency"),
        trend=counting.trend(plan, ids, approved_only),
        resources=resources.add_up(by_agency),
        resources_by_agency=by_agency,
        activities=Activities(
            **Activity.objects.filter(**in_plan)
            .in_years(first, last)
            .aggregate(
                count=Count("pk"),
                people=Sum("people_reached", default=0),
                households=Sum("households_reached", default=0),
            )
        ),
        deadline=deadline,
        today=today,
    )


def gather(
    *,
    plan: Plan,
    year: int,
    scope: Scope,
    villages: QuerySet[Village],
    approved_only: bool = True,
    today: datetime.date | None = None,
    shown: slice | None = None,
) -> Report:
    """Everything a report shows for these villages (already limited to plan, scope and the
    viewer's access) and this year: the summary, the villages' rows in the matrix's order
    (numbered in it) and the annex lists, the work counted over ``work_years``.

    With ``shown`` (a slice of the villages in the matrix's order: a page of the review), the
    rows, teams and models are those of the villages in it; every total, the counts by
    criterion and the proposals (which the narrative sums up) still cover all the villages.
    Either way in a constant number of queries."""
    order = matrix_order(villages)
    ids = tuple(order)
    listed = order if shown is None else order[shown]
    start = 1 if shown is None else range(len(order))[shown].start + 1
    position = {pk: index for index, pk in enumerate(listed)}
    village_list = sorted(Village.objects.among(listed).with_places(), key=lambda v: position[v.pk])
    summary = summarise(
        plan=plan,
        year=year,
        scope=scope,
        village_ids=ids,
        approved_only=approved_only,
        today=today,
        over_period=True,
    )
    first, last = summary.years[0], summary.years[-1]
    in_plan = {"plan": plan, "village__any_of": ids}
    models = DvkModel.objects.filter(**in_plan, registered_on__year__lte=year)
    t = summary.totals
    for name, value in {
        **team_counts(plan, ids),
        **models.aggregate(
            models=Count("pk"),
            models_in_period=Count(
                "pk", filter=Q(registered_on__year__gte=first, registered_on__year__lte=last)
            ),
        ),
    }.items():
        setattr(t, name, value)
    return Report(
        **{f.name: getattr(summary, f.name) for f in fields(Summary)},
        rows=village_rows(summary, village_list, start=start),
        by_criterion=criterion_counts(summary, ids),
        resources_by_source=Resource.objects.filter(**in_plan)
        .in_years(first, last)
        .totals_by("source"),
        disseminations=Dissemination.objects.filter(
            plan=plan,
            held_on__year__gte=first,
            held_on__year__lte=last,
            agency__in=Assignment.objects.filter(**in_plan).values("agency"),
        ).aggregate(count=Count("pk"), attendance=Sum("attendance", default=0)),
        teams=teams(plan, sorted(village_list, key=lambda v: (v.sort_key, v.pk))),
        models=list(
            models.filter(village__any_of=tuple(listed))
            .select_related("agency", "village")
            .order_by("village__sort_key", "registered_on", "pk")
        ),
        proposals=list(
            Proposal.objects.filter(**in_plan)
            .for_years(first, last)
            .for_list()
            .order_by("village__sort_key", "raised_on", "pk")
        ),
    )


def _proposal_counts(plan: Plan, first: int, last: int, ids: tuple[int, ...]) -> dict:
    """How many proposals of these years (raised, or carried over still open) there are,
    open and resolved."""
    return (
        Proposal.objects.filter(plan=plan, village__any_of=ids)
        .for_years(first, last)
        .aggregate(
            proposals=Count("pk"),
            proposals_open=Count("pk", filter=Q(status__in=Proposal.OPEN_STATUSES)),
            proposals_resolved=Count("pk", filter=Q(status=Proposal.Status.RESOLVED)),
        )
    )

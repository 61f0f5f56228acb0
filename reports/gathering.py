"""The one place where a report's numbers are gathered.

``summarise(plan=, year=, scope=, village_ids=, approved_only=)`` counts what the dashboard
shows (totals; progress by district, commune, agency and year; resources; activities;
proposals) in the database, in a constant number of queries and a time that hardly grows with
the villages: the dashboard shows a ``Summary`` and one page of ``village_rows``.
``gather(...)`` adds every village's row and the annexes (resources by source, dissemination,
teams, models, proposals): the ``Report`` that the yearly review (HTML, PDF, DOCX, Excel)
renders. No output counts anything itself.

Only approved surveys count in official reports (``approved_only=True``); the dashboard also
shows surveys still under review, each marked as such.

The reads below are written here because no app offers them yet as QuerySet methods: the
survey verdicts per criterion for a set of villages and years, the survey counts per year,
and the lead agency per village. They could move to ``criteria``/``assignments``.
"""

import datetime
import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    FilteredRelation,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from assignments.models import (
    Activity,
    Assignment,
    Dissemination,
    DvkModel,
    Plan,
    Proposal,
    Resource,
    SupportTeam,
    TeamMember,
)
from criteria.models import Criterion, Survey, SurveyDeadline, SurveyValue
from dankhoeo import vietnamese
from reports.scopes import Scope
from villages.models import AdminUnit, Village

Verdict = SurveyValue.Verdict
Status = Survey.Status
MET, NOT_MET, UNKNOWN = Verdict.MET, Verdict.NOT_MET, Verdict.UNKNOWN


@dataclass(frozen=True)
class Cell:
    """One village × criterion cell: this year's verdict against last year's."""

    verdict: str
    previous: str
    approved: bool = True

    @property
    def symbol(self) -> str:
        """ "x" met, "x+" newly met this year, "0" not met, "-" no data (legend in the report)."""
        if self.verdict == MET:
            return "x+" if self.previous == NOT_MET else "x"
        if self.verdict == NOT_MET:
            return "0"
        return "-"

    @property
    def html_class(self) -> str:
        """The matrix cell's classes: its verdict, and whether it awaits approval."""
        return f"num cell-{self.verdict}" + ("" if self.approved else " unapproved")

    @property
    def text(self) -> str:
        """The symbol, with * while the survey awaits approval."""
        return self.symbol if self.approved else f"{self.symbol}*"


@dataclass
class SurveyFacts:
    status: str
    met: int
    count: int
    reaches_standard: bool

    @property
    def approved(self) -> bool:
        return self.status == Status.APPROVED


@dataclass
class VillageRow:
    number: int  # its place in the whole list, from 1
    village: Village
    district: AdminUnit | None
    commune_now: AdminUnit
    lead_agency: str
    this_year: SurveyFacts | None
    last_year: SurveyFacts | None
    cells: list[Cell]
    overdue: bool = False

    @property
    def met(self) -> int | None:
        return self.this_year.met if self.this_year else None

    @property
    def met_last_year(self) -> int | None:
        return self.last_year.met if self.last_year else None

    @property
    def change(self) -> int | None:
        if self.met is None or self.met_last_year is None:
            return None
        return self.met - self.met_last_year

    @property
    def reaches_standard(self) -> bool:
        return bool(self.this_year and self.this_year.reaches_standard)

    @property
    def approved(self) -> bool:
        return bool(self.this_year and self.this_year.approved)


@dataclass
class GroupRow:
    """Progress of a group of villages (a district, a commune, an agency)."""

    label: str
    villages: int = 0
    approved: int = 0
    reaching: int = 0
    met_sum: int = 0
    pending: int = 0

    @property
    def average_met(self) -> Decimal | None:
        return _average(self.met_sum, self.approved)

    @property
    def percent_reaching(self) -> int:
        return round(100 * self.reaching / self.villages) if self.villages else 0


@dataclass
class YearRow:
    year: int
    approved: int = 0
    reaching: int = 0
    met_sum: int = 0
    pending: int = 0

    @property
    def average_met(self) -> Decimal | None:
        return _average(self.met_sum, self.approved)


@dataclass
class TeamRow:
    village: Village
    team: SupportTeam | None
    leader: TeamMember | None
    members: list[TeamMember]


@dataclass
class Summary:
    """The numbers of a plan, year and scope, counted by the database whatever the number of
    villages: what the dashboard shows and what heads every report."""

    plan: Plan
    year: int
    scope: Scope
    approved_only: bool
    criteria: list[Criterion]
    totals: dict
    by_district: list[GroupRow]
    by_commune: list[GroupRow]
    by_agency: list[GroupRow]
    trend: list[YearRow]
    resources: dict
    resources_by_agency: list[dict]
    activities: dict
    deadline: SurveyDeadline | None
    today: datetime.date

    @property
    def has_data(self) -> bool:
        """Whether anything at all was recorded for the year in this scope."""
        t = self.totals
        return bool(
            t["surveyed"]
            or self.resources["money"]
            or self.resources["work_days"]
            or self.activities["count"]
            or t["proposals"]
        )

    @property
    def previous_year(self) -> int:
        return self.year - 1


@dataclass
class Report(Summary):
    """The summary with every village's row and the lists of the annexes: what the yearly
    review and the workbooks show."""

    rows: list[VillageRow]
    resources_by_source: list[dict]
    disseminations: dict
    teams: list[TeamRow]
    models: list[DvkModel]
    proposals: list[Proposal]

    @property
    def models_this_year(self) -> list[DvkModel]:
        return [m for m in self.models if m.registered_on.year == self.year]


def _average(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / count).quantize(Decimal("0.1"), ROUND_HALF_UP)


def summarise(
    *,
    plan: Plan,
    year: int,
    scope: Scope,
    village_ids: Iterable[int],
    approved_only: bool = True,
    today: datetime.date | None = None,
) -> Summary:
    """The numbers for the villages of these ids (already limited to plan, scope and the
    viewer's access) and this year, in a constant number of queries. The ids go to the
    database as one array, which it plans for their real number (``Village.objects.among``)."""
    ids = tuple(village_ids)
    counted = _counted(plan, year, ids, approved_only)
    groups = {kind: _groups(counted, index) for index, kind in enumerate(LABELS)}
    deadline = SurveyDeadline.objects.filter(year=year).first()
    today = today or timezone.localdate()
    totals = _totals(
        _sum(counts for _labels, counts in counted),
        overdue_possible=bool(deadline and today > deadline.due_on),
    )
    criteria = list(Criterion.objects.filter(criteria_set=plan.criteria_set_id))
    totals["criteria"] = len(criteria)
    totals.update(_proposal_counts(plan, year, ids))
    in_plan = {"plan": plan, "village__any_of": ids}
    return Summary(
        plan=plan,
        year=year,
        scope=scope,
        approved_only=approved_only,
        criteria=criteria,
        totals=totals,
        by_district=groups["district"],
        by_commune=groups["commune_now"],
        by_agency=groups["agency"],
        trend=_trend(plan, ids, approved_only),
        **_resources(plan, ids, year),
        activities=Activity.objects.filter(**in_plan)
        .in_year(year)
        .aggregate(
            count=Count("pk"),
            people=Sum("people_reached", default=0),
            households=Sum("households_reached", default=0),
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
) -> Report:
    """Everything a report shows for these villages (already limited to plan, scope and the
    viewer's access) and this year: the summary, every village's row and the annex lists."""
    village_list = list(villages.with_places().in_vietnamese_order())
    ids = tuple(v.pk for v in village_list)
    summary = summarise(
        plan=plan,
        year=year,
        scope=scope,
        village_ids=ids,
        approved_only=approved_only,
        today=today,
    )
    in_plan = {"plan": plan, "village__any_of": ids}
    teams = _teams(plan, village_list)
    models = list(
        DvkModel.objects.filter(**in_plan, registered_on__year__lte=year)
        .select_related("agency", "village")
        .order_by("village__sort_key", "registered_on", "pk")
    )
    summary.totals.update(
        teams=sum(1 for t in teams if t.team),
        team_members=sum(len(t.members) + (1 if t.leader else 0) for t in teams),
        models=len(models),
        models_this_year=sum(1 for m in models if m.registered_on.year == year),
    )
    return Report(
        **{f.name: getattr(summary, f.name) for f in fields(Summary)},
        rows=village_rows(summary, village_list),
        resources_by_source=Resource.objects.filter(**in_plan).in_year(year).totals_by("source"),
        disseminations=Dissemination.objects.filter(
            plan=plan,
            held_on__year=year,
            agency__in=Assignment.objects.filter(**in_plan).values("agency"),
        ).aggregate(count=Count("pk"), attendance=Sum("attendance", default=0)),
        teams=teams,
        models=models,
        proposals=list(
            Proposal.objects.filter(**in_plan)
            .for_year(year)
            .for_list()
            .order_by("village__sort_key", "raised_on", "pk")
        ),
    )


def village_rows(summary: Summary, villages: list[Village], *, start: int = 1) -> list[VillageRow]:
    """The matrix rows of these villages (loaded ``with_places``), numbered from ``start``: all
    of them in a report, one page of them on the dashboard."""
    plan, year = summary.plan, summary.year
    ids = tuple(v.pk for v in villages)
    surveys = _surveys(plan, ids, [year - 1, year], summary.approved_only)
    cells = _criterion_verdicts(surveys, summary.criteria)
    leads = dict(
        Assignment.objects.filter(
            plan=plan, village__any_of=ids, role=Assignment.Role.LEAD
        ).values_list("village_id", "agency__name")
    )
    deadline = summary.deadline
    overdue_possible = bool(deadline and summary.today > deadline.due_on)
    rows = []
    for number, village in enumerate(villages, start=start):
        this = surveys.get((village.pk, year))
        last = surveys.get((village.pk, year - 1))
        approved_now = bool(this and this["facts"].approved)
        row_cells = [
            Cell(
                verdict=cells.get((this["id"], c.pk), UNKNOWN) if this else UNKNOWN,
                previous=cells.get((last["id"], c.pk), UNKNOWN) if last else UNKNOWN,
                approved=approved_now or this is None,
            )
            for c in summary.criteria
        ]
        commune = village.commune
        district = commune.parent if commune.parent and commune.parent.level == "district" else None
        rows.append(
            VillageRow(
                number=number,
                village=village,
                district=district,
                commune_now=commune.successor or commune,
                lead_agency=leads.get(village.pk, ""),
                this_year=this["facts"] if this else None,
                last_year=last["facts"] if last else None,
                cells=row_cells,
                overdue=overdue_possible and (this is None or this["facts"].status == Status.DRAFT),
            )
        )
    return rows


def _surveys(plan: Plan, ids: tuple[int, ...], years: list[int], approved_only: bool) -> dict:
    """{(village id, year): {"id", "facts", "verdicts"}} for the plan's criteria set: one row
    per survey, with the verdict of each criterion that the survey keeps (criteria.services)."""
    surveys = Survey.objects.filter(village__any_of=ids, year__in=years)
    if plan.criteria_set_id:
        surveys = surveys.filter(criteria_set=plan.criteria_set_id)
    if approved_only:
        surveys = surveys.filter(status=Status.APPROVED)
    found = {}
    for pk, village_id, year, status, met, count, reaches, by_criterion in surveys.values_list(
        "pk",
        "village_id",
        "year",
        "status",
        "criteria_met",
        "criteria_count",
        "reaches_standard",
        "criterion_verdicts",
    ):
        found[(village_id, year)] = {
            "id": pk,
            "facts": SurveyFacts(status, met, count, reaches),
            "verdicts": by_criterion,
        }
    return found


def _criterion_verdicts(surveys: dict, criteria: list[Criterion]) -> dict:
    """{(survey id, criterion id): verdict}, as kept on each survey."""
    return {
        (survey["id"], c.pk): survey["verdicts"].get(str(c.pk), UNKNOWN)
        for survey in surveys.values()
        for c in criteria
    }


LABELS = ("district", "commune_now", "agency")
COUNTS = (
    "villages",
    "surveyed",
    "submitted",
    "approved",
    "reaching",
    "pending_reaching",
    "met_sum",
    "approved_last_year",
    "reaching_last_year",
    "met_sum_last_year",
)


def _counted(plan: Plan, year: int, ids: tuple[int, ...], approved_only: bool) -> list[tuple]:
    """(labels, counts) rows, one per district, commune today, lead agency and state of the
    surveys of this year and the year before: each village has one of each, so every total
    and grouping of the summary is a sum of these rows (LABELS and COUNTS give their order)."""

    def survey_of(year: int) -> FilteredRelation:
        condition = Q(surveys__year=year)
        if plan.criteria_set_id:
            condition &= Q(surveys__criteria_set=plan.criteria_set_id)
        if approved_only:
            condition &= Q(surveys__status=Status.APPROVED)
        return FilteredRelation("surveys", condition=condition)

    lead = Q(assignments__plan=plan, assignments__role=Assignment.Role.LEAD)  # one at most
    rows = (
        Village.objects.among(ids)
        .alias(
            this=survey_of(year),
            last=survey_of(year - 1),
            lead=FilteredRelation("assignments", condition=lead),
        )
        .annotate(
            district=Case(
                When(commune__parent__level=AdminUnit.Level.DISTRICT, then="commune__parent__name"),
                default=Value(""),
            ),
            commune_now=Coalesce("commune__successor__name", "commune__name"),
            agency=Coalesce("lead__agency__name", Value("")),
        )
        .order_by()
        .values_list(
            *LABELS,
            "this__status",
            "this__reaches_standard",
            "last__status",
            "last__reaches_standard",
        )
        .annotate(n=Count("pk"), met=Sum("this__criteria_met"), met_last=Sum("last__criteria_met"))
    )
    return [(row[: len(LABELS)], _counts(*row[len(LABELS) :])) for row in rows]


def _counts(status, reaches, last_status, last_reaches, n, met, met_last) -> tuple[int, ...]:
    """The COUNTS of ``n`` villages whose surveys are in these states (status None: none)."""
    approved = status == Status.APPROVED
    last_approved = last_status == Status.APPROVED
    return (
        n,
        n if status else 0,
        n if status and status != Status.DRAFT else 0,
        n if approved else 0,
        n if approved and reaches else 0,
        n if status and not approved and reaches else 0,
        met if approved else 0,
        n if last_approved else 0,
        n if last_approved and last_reaches else 0,
        met_last if last_approved else 0,
    )


def _sum(rows) -> dict:
    """{count name: total} over rows of counts in the order of COUNTS."""
    totals = [0] * len(COUNTS)
    for counts in rows:
        totals = list(map(operator.add, totals, counts))
    return dict(zip(COUNTS, totals, strict=True))


def _groups(counted: list[tuple], index: int) -> list[GroupRow]:
    """The counted rows summed by their label at ``index`` (district, commune or agency)."""
    by_label = defaultdict(list)
    for labels, counts in counted:
        by_label[labels[index] or ""].append(counts)
    groups = []
    for label, rows in by_label.items():
        counts = _sum(rows)
        groups.append(
            GroupRow(
                label=label,
                villages=counts["villages"],
                approved=counts["approved"],
                reaching=counts["reaching"],
                met_sum=counts["met_sum"],
                pending=counts["surveyed"] - counts["approved"],
            )
        )
    return vietnamese.sorted_vietnamese(groups, key=lambda g: g.label)


def _trend(plan: Plan, ids: tuple[int, ...], approved_only: bool) -> list[YearRow]:
    surveys = Survey.objects.filter(village__any_of=ids, year__in=list(plan.years))
    if plan.criteria_set_id:
        surveys = surveys.filter(criteria_set=plan.criteria_set_id)
    if approved_only:
        surveys = surveys.filter(status=Status.APPROVED)
    rows = {year: YearRow(year) for year in plan.years}
    approved = Q(status=Status.APPROVED)
    for item in (
        surveys.order_by()
        .values("year")
        .annotate(
            approved=Count("pk", filter=approved),
            reaching=Count("pk", filter=approved & Q(reaches_standard=True)),
            met_sum=Sum("criteria_met", filter=approved, default=0),
            pending=Count("pk", filter=~approved),
        )
    ):
        row = rows[item["year"]]
        row.approved, row.reaching = item["approved"], item["reaching"]
        row.met_sum, row.pending = item["met_sum"], item["pending"]
    return list(rows.values())


def _resources(plan: Plan, ids: tuple[int, ...], year: int) -> dict:
    resources = Resource.objects.filter(plan=plan, village__any_of=ids).in_year(year)
    by_agency = resources.totals_by("agency")
    return {"resources": resources.add_up(by_agency), "resources_by_agency": by_agency}


def _teams(plan: Plan, villages: list[Village]) -> list[TeamRow]:
    teams = {
        team.village_id: team
        for team in SupportTeam.objects.filter(
            plan=plan, village__any_of=tuple(v.pk for v in villages)
        ).prefetch_related(
            Prefetch("members", queryset=TeamMember.objects.select_related("agency"))
        )
    }
    rows = []
    for village in villages:
        team = teams.get(village.pk)
        members = list(team.members.all()) if team else []
        leader = next((m for m in members if m.role == TeamMember.Role.LEADER), None)
        rows.append(TeamRow(village, team, leader, [m for m in members if m is not leader]))
    return rows


def _totals(counts: dict, *, overdue_possible: bool) -> dict:
    """The survey totals of the summary from the sums of the COUNTS."""
    return {
        "villages": counts["villages"],
        "surveyed": counts["surveyed"],
        "submitted": counts["submitted"],
        "approved": counts["approved"],
        "pending": counts["surveyed"] - counts["approved"],
        "missing": counts["villages"] - counts["surveyed"],
        # overdue: no survey yet, or one still in draft, after the deadline
        "overdue": counts["villages"] - counts["submitted"] if overdue_possible else 0,
        "reaching": counts["reaching"],
        "reaching_last_year": counts["reaching_last_year"],
        "pending_reaching": counts["pending_reaching"],
        "average_met": _average(counts["met_sum"], counts["approved"]),
        "average_met_last_year": _average(
            counts["met_sum_last_year"], counts["approved_last_year"]
        ),
    }


def _proposal_counts(plan: Plan, year: int, ids: tuple[int, ...]) -> dict:
    """How many proposals of the year (raised, or carried over still open) there are, open
    and resolved."""
    return (
        Proposal.objects.filter(plan=plan, village__any_of=ids)
        .for_year(year)
        .aggregate(
            proposals=Count("pk"),
            proposals_open=Count("pk", filter=Q(status__in=Proposal.OPEN_STATUSES)),
            proposals_resolved=Count("pk", filter=Q(status=Proposal.Status.RESOLVED)),
        )
    )


@dataclass
class Profile:
    village: Village
    statistics: object  # the latest VillageYear, or None
    lead_agency: str
    surveys: list[Survey]
    team: TeamRow
    resources_by_year: list[dict]
    models: list[DvkModel]


def village_profile(*, plan: Plan, village: Village) -> Profile:
    """One village on one page: profile, criteria over the years (approved surveys only),
    team, resources per year and models."""
    lead = (
        Assignment.objects.filter(plan=plan, village=village, role=Assignment.Role.LEAD)
        .values_list("agency__name", flat=True)
        .first()
    )
    return Profile(
        village=village,
        statistics=village.years.order_by("-year").first(),
        lead_agency=lead or "",
        surveys=list(
            Survey.objects.filter(village=village, status=Status.APPROVED)
            .select_related("criteria_set")
            .order_by("year", "pk")
        ),
        team=_teams(plan, [village])[0],
        resources_by_year=Resource.objects.filter(plan=plan, village=village).totals_by("year"),
        models=list(
            DvkModel.objects.filter(plan=plan, village=village).order_by("registered_on", "pk")
        ),
    )

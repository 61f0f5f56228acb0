"""The one place where a report's numbers are gathered.

``gather(plan=, year=, villages=, approved_only=)`` reads everything the dashboard, the yearly
review (HTML, PDF, DOCX, Excel) and the Excel workbooks show, in a constant number of queries
whatever the number of villages. Every output renders the same ``Report``; none of them counts
anything itself.

Only approved surveys count in official reports (``approved_only=True``); the dashboard also
shows surveys still under review, each marked as such.

The reads below are written here because no app offers them yet as QuerySet methods: the
survey verdicts per criterion for a set of villages and years, the survey counts per year,
and the lead agency per village. They could move to ``criteria``/``assignments``.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
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
from criteria import verdicts
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
class Report:
    plan: Plan
    year: int
    scope: Scope
    approved_only: bool
    criteria: list[Criterion]
    rows: list[VillageRow]
    by_district: list[GroupRow]
    by_commune: list[GroupRow]
    by_agency: list[GroupRow]
    trend: list[YearRow]
    resources: dict
    resources_by_agency: list[dict]
    resources_by_source: list[dict]
    teams: list[TeamRow]
    models: list[DvkModel]
    proposals: list[Proposal]
    activities: dict
    disseminations: dict
    deadline: SurveyDeadline | None
    totals: dict = field(default_factory=dict)

    @property
    def has_data(self) -> bool:
        """Whether anything at all was recorded for the year in this scope."""
        t = self.totals
        return bool(
            t["surveyed"]
            or self.resources["money"]
            or self.resources["work_days"]
            or self.activities["count"]
            or self.proposals
        )

    @property
    def previous_year(self) -> int:
        return self.year - 1

    @property
    def models_this_year(self) -> list[DvkModel]:
        return [m for m in self.models if m.registered_on.year == self.year]


def _average(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / count).quantize(Decimal("0.1"), ROUND_HALF_UP)


def plan_villages(plan: Plan, scope: Scope, visible: QuerySet[Village]) -> QuerySet[Village]:
    return scope.plan_villages(plan, visible)


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
    viewer's access) and this year."""
    today = today or timezone.localdate()
    village_list = list(villages.with_places().in_vietnamese_order())
    ids = [v.pk for v in village_list]
    criteria = (
        list(
            Criterion.objects.filter(criteria_set=plan.criteria_set).prefetch_related("indicators")
        )
        if plan.criteria_set_id
        else []
    )
    surveys = _surveys(plan, ids, [year - 1, year], approved_only)
    cells = _criterion_verdicts(surveys, criteria)
    leads = dict(
        Assignment.objects.filter(
            plan=plan, village__in=ids, role=Assignment.Role.LEAD
        ).values_list("village_id", "agency__name")
    )
    deadline = SurveyDeadline.objects.filter(year=year).first()
    overdue_possible = bool(deadline and today > deadline.due_on)

    rows = []
    for village in village_list:
        this = surveys.get((village.pk, year))
        last = surveys.get((village.pk, year - 1))
        approved_now = bool(this and this["facts"].approved)
        row_cells = [
            Cell(
                verdict=cells.get((this["id"], c.pk), UNKNOWN) if this else UNKNOWN,
                previous=cells.get((last["id"], c.pk), UNKNOWN) if last else UNKNOWN,
                approved=approved_now or this is None,
            )
            for c in criteria
        ]
        commune = village.commune
        district = commune.parent if commune.parent and commune.parent.level == "district" else None
        rows.append(
            VillageRow(
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
    report = Report(
        plan=plan,
        year=year,
        scope=scope,
        approved_only=approved_only,
        criteria=criteria,
        rows=rows,
        by_district=_groups(rows, lambda r: r.district.name if r.district else ""),
        by_commune=_groups(rows, lambda r: r.commune_now.name),
        by_agency=_groups(rows, lambda r: r.lead_agency),
        trend=_trend(plan, ids, approved_only),
        **_resources(plan, ids, year),
        teams=_teams(plan, village_list),
        models=list(
            DvkModel.objects.filter(plan=plan, village__in=ids, registered_on__year__lte=year)
            .select_related("agency", "village")
            .order_by("village__sort_key", "registered_on", "pk")
        ),
        proposals=list(
            Proposal.objects.filter(plan=plan, village__in=ids)
            .for_year(year)
            .for_list()
            .order_by("village__sort_key", "raised_on", "pk")
        ),
        activities=Activity.objects.filter(plan=plan, village__in=ids)
        .in_year(year)
        .aggregate(
            count=Count("pk"),
            people=Sum("people_reached", default=0),
            households=Sum("households_reached", default=0),
        ),
        disseminations=Dissemination.objects.filter(
            plan=plan,
            held_on__year=year,
            agency__in=Assignment.objects.filter(plan=plan, village__in=ids).values("agency"),
        ).aggregate(count=Count("pk"), attendance=Sum("attendance", default=0)),
        deadline=deadline,
    )
    report.totals = _totals(report)
    return report


def _surveys(plan: Plan, ids: list[int], years: list[int], approved_only: bool) -> dict:
    """{(village id, year): {"id", "facts"}} for the plan's criteria set."""
    surveys = Survey.objects.filter(village__in=ids, year__in=years)
    if plan.criteria_set_id:
        surveys = surveys.filter(criteria_set=plan.criteria_set_id)
    if approved_only:
        surveys = surveys.filter(status=Status.APPROVED)
    found = {}
    for pk, village_id, year, status, met, count, reaches in surveys.values_list(
        "pk", "village_id", "year", "status", "criteria_met", "criteria_count", "reaches_standard"
    ):
        found[(village_id, year)] = {"id": pk, "facts": SurveyFacts(status, met, count, reaches)}
    return found


def _criterion_verdicts(surveys: dict, criteria: list[Criterion]) -> dict:
    """{(survey id, criterion id): verdict}, from the indicator verdicts (criteria.verdicts)."""
    if not surveys or not criteria:
        return {}
    by_indicator = defaultdict(dict)
    values = SurveyValue.objects.filter(survey__in=[s["id"] for s in surveys.values()])
    for survey_id, indicator_id, verdict in values.values_list(
        "survey_id", "indicator_id", "verdict"
    ):
        by_indicator[survey_id][indicator_id] = verdict
    result = {}
    for survey in surveys.values():
        found = by_indicator.get(survey["id"], {})
        for criterion in criteria:
            result[(survey["id"], criterion.pk)] = verdicts.criterion_verdict(
                found.get(indicator.pk, UNKNOWN) for indicator in criterion.indicators.all()
            )
    return result


def _groups(rows: list[VillageRow], label_of) -> list[GroupRow]:
    groups: dict[str, GroupRow] = {}
    for row in rows:
        label = label_of(row)
        group = groups.setdefault(label, GroupRow(label=label))
        group.villages += 1
        if row.this_year is None:
            continue
        if row.this_year.approved:
            group.approved += 1
            group.met_sum += row.this_year.met
            group.reaching += int(row.this_year.reaches_standard)
        else:
            group.pending += 1
    return vietnamese.sorted_vietnamese(groups.values(), key=lambda g: g.label)


def _trend(plan: Plan, ids: list[int], approved_only: bool) -> list[YearRow]:
    surveys = Survey.objects.filter(village__in=ids, year__in=list(plan.years))
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


def _resources(plan: Plan, ids: list[int], year: int) -> dict:
    resources = Resource.objects.filter(plan=plan, village__in=ids).in_year(year)
    return {
        "resources": resources.totals(),
        "resources_by_agency": resources.totals_by("agency"),
        "resources_by_source": resources.totals_by("source"),
    }


def _teams(plan: Plan, villages: list[Village]) -> list[TeamRow]:
    teams = {
        team.village_id: team
        for team in SupportTeam.objects.filter(plan=plan, village__in=villages).prefetch_related(
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


def _totals(report: Report) -> dict:
    rows = report.rows
    approved = [r for r in rows if r.this_year and r.this_year.approved]
    approved_last = [r for r in rows if r.last_year and r.last_year.approved]
    proposals = report.proposals
    return {
        "villages": len(rows),
        "surveyed": sum(1 for r in rows if r.this_year),
        "submitted": sum(1 for r in rows if r.this_year and r.this_year.status != Status.DRAFT),
        "approved": len(approved),
        "pending": sum(1 for r in rows if r.this_year and not r.this_year.approved),
        "missing": sum(1 for r in rows if r.this_year is None),
        "overdue": sum(1 for r in rows if r.overdue),
        "reaching": sum(1 for r in approved if r.this_year.reaches_standard),
        "reaching_last_year": sum(1 for r in approved_last if r.last_year.reaches_standard),
        "pending_reaching": sum(
            1 for r in rows if r.this_year and not r.this_year.approved and r.reaches_standard
        ),
        "average_met": _average(sum(r.this_year.met for r in approved), len(approved)),
        "average_met_last_year": _average(
            sum(r.last_year.met for r in approved_last), len(approved_last)
        ),
        "criteria": len(report.criteria),
        "teams": sum(1 for t in report.teams if t.team),
        "team_members": sum(len(t.members) + (1 if t.leader else 0) for t in report.teams),
        "models": len(report.models),
        "models_this_year": len(report.models_this_year),
        "proposals": len(proposals),
        "proposals_open": sum(1 for p in proposals if p.is_open),
        "proposals_resolved": sum(1 for p in proposals if p.status == Proposal.Status.RESOLVED),
    }


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

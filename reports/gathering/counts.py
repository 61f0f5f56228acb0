"""The survey counts of a report: what is counted of each group of villages (``Counts``), how
the database counts it in one grouped query (``counted``), and the sums the summary shows (by
district, commune, agency and year, and the ``Totals``)."""

from collections import defaultdict
from dataclasses import astuple, dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, FilteredRelation, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from assignments.models import Assignment, Plan
from criteria.models import Survey
from dankhoeo import vietnamese
from villages.models import AdminUnit, Village

Status = Survey.Status


def average(total: int, count: int) -> Decimal | None:
    """A mean to one decimal, half up; None over nothing."""
    if not count:
        return None
    return (Decimal(total) / count).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Counts:
    """The surveys of some villages this year and the year before: each village counts once
    in ``villages`` and in every state its surveys are in. Counts add up (``+``), so every
    total and grouping of a summary is a sum of the rows the database counted."""

    villages: int = 0
    surveyed: int = 0
    submitted: int = 0  # surveyed and no longer a draft
    approved: int = 0
    reaching: int = 0  # approved and meeting the standard
    pending_reaching: int = 0  # meeting the standard in a survey not yet approved
    met_sum: int = 0  # criteria met, summed over the approved surveys
    approved_last_year: int = 0
    reaching_last_year: int = 0
    met_sum_last_year: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        mine = [getattr(self, f.name) for f in fields(Counts)]
        theirs = [getattr(other, f.name) for f in fields(Counts)]
        return Counts(*(a + b for a, b in zip(mine, theirs, strict=True)))

    @classmethod
    def of(cls, status, reaches, last_status, last_reaches, n, met, met_last) -> "Counts":
        """The counts of ``n`` villages whose surveys are in these states (status None: no
        survey), ``met`` and ``met_last`` their criteria met summed."""
        approved = status == Status.APPROVED
        last_approved = last_status == Status.APPROVED
        return cls(
            villages=n,
            surveyed=n if status else 0,
            submitted=n if status and status != Status.DRAFT else 0,
            approved=n if approved else 0,
            reaching=n if approved and reaches else 0,
            pending_reaching=n if status and not approved and reaches else 0,
            met_sum=(met or 0) if approved else 0,
            approved_last_year=n if last_approved else 0,
            reaching_last_year=n if last_approved and last_reaches else 0,
            met_sum_last_year=(met_last or 0) if last_approved else 0,
        )

    @classmethod
    def total(cls, rows) -> "Counts":
        result = cls()
        for row in rows:
            result = result + row
        return result

    @property
    def pending(self) -> int:
        """Surveys entered but not yet approved."""
        return self.surveyed - self.approved

    @property
    def missing(self) -> int:
        """Villages without a survey this year."""
        return self.villages - self.surveyed

    @property
    def average_met(self) -> Decimal | None:
        return average(self.met_sum, self.approved)

    @property
    def average_met_last_year(self) -> Decimal | None:
        return average(self.met_sum_last_year, self.approved_last_year)

    @property
    def percent_reaching(self) -> int:
        return round(100 * self.reaching / self.villages) if self.villages else 0


@dataclass
class GroupRow(Counts):
    """The counts of a group of villages (a district, a commune, an agency)."""

    label: str = ""


@dataclass
class Totals(Counts):
    """The counts of every village of the report, and what the summary and the report add to
    them: overdue surveys, the number of criteria, proposals, teams and models."""

    overdue: int = 0  # no survey yet, or one still in draft, after the deadline
    criteria: int = 0
    proposals: int = 0
    proposals_open: int = 0
    proposals_resolved: int = 0
    teams: int = 0
    team_members: int = 0
    models: int = 0
    models_in_period: int = 0  # registered in the year (the period for a tổng kết)


@dataclass
class YearRow:
    year: int
    approved: int = 0
    reaching: int = 0
    met_sum: int = 0
    pending: int = 0

    @property
    def average_met(self) -> Decimal | None:
        return average(self.met_sum, self.approved)


LABELS = ("district", "commune_now", "agency")


def counted(
    plan: Plan, year: int, ids: tuple[int, ...], approved_only: bool
) -> list[tuple[tuple, Counts]]:
    """(labels, counts) rows, one per district, commune today, lead agency and state of the
    surveys of this year and the year before (LABELS give the labels' order)."""

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
    return [(row[: len(LABELS)], Counts.of(*row[len(LABELS) :])) for row in rows]


def groups(rows: list[tuple[tuple, Counts]], kind: str) -> list[GroupRow]:
    """The counted rows summed by one of their LABELS (district, commune or agency)."""
    index = LABELS.index(kind)
    by_label = defaultdict(Counts)
    for labels, counts in rows:
        key = labels[index] or ""
        by_label[key] = by_label[key] + counts
    found = [GroupRow(*astuple(counts), label=label) for label, counts in by_label.items()]
    return vietnamese.sorted_vietnamese(found, key=lambda g: g.label)


def trend(plan: Plan, ids: tuple[int, ...], approved_only: bool) -> list[YearRow]:
    """Each year of the plan's period: approved surveys, villages reaching the standard, the
    criteria met summed, surveys not yet approved."""
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

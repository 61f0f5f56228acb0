"""What the yearly review adds to the gathered numbers (``reports.gathering``): the agencies'
work against each duty of the plan, the survey coverage stated plainly, averages on a
comparable basis, the criteria missed most, the villages grouped by place with subtotals, and
whether any counted record is demo data.

Each function reads in a constant number of queries; none counts what gathering already
counted. A "tổng kết" (the plan's last year) counts the work of the whole period.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assignments.models import (
    Activity,
    Agency,
    Assignment,
    CommonPlan,
    Dissemination,
    DvkModel,
    Plan,
    Proposal,
    Resource,
    SupportTeam,
)
from criteria.models import Criterion, Survey
from reports.gathering import work_years
from reports.gathering.counts import average
from villages.models import Village

Status = Survey.Status
GUIDANCE_KINDS = (
    Activity.Kind.PROPAGANDA,
    Activity.Kind.PRODUCTION,
    Activity.Kind.GARDEN,
    Activity.Kind.TECHNOLOGY,
    Activity.Kind.HYGIENE,
    Activity.Kind.SOCIAL_SECURITY,
)
ANSWERED = (Proposal.Status.RESOLVED, Proposal.Status.DECLINED)
GAP_LABELS = {
    "dissemination": _("dissemination"),
    "survey": _("survey with the commune"),
    "common_plan": _("common plan with the commune"),
    "guidance": _("guidance"),
    "customs": _("outdated customs"),
    "resources": _("resources"),
    "team": _("support team"),
}


@dataclass
class AgencyDuties:
    """One agency's work against the duties of the plan, in the villages it leads."""

    agency: Agency
    villages: list[str] = field(default_factory=list)
    disseminations: int = 0
    attendance: int = 0
    surveyed_with_commune: int = 0  # confirmed by the commune or approved
    common_plans: int = 0  # villages with a common plan agreed with the commune by then
    guidance: int = 0  # propaganda and production guidance activities
    customs_activities: int = 0
    customs: set = field(default_factory=set)  # numbers of the customs addressed
    money: int = 0
    work_days: int = 0
    proposals: int = 0
    answered: int = 0
    teams: int = 0

    @property
    def missing(self) -> list[str]:
        """What the data does not show for this agency, as the annex names it."""
        return [str(GAP_LABELS[gap]) for gap in self.gaps]

    @property
    def gaps(self) -> list[str]:
        """What the data does not show for this agency (codes of GAP_LABELS)."""
        gaps = []
        if not self.disseminations:
            gaps.append("dissemination")
        if self.surveyed_with_commune < len(self.villages):
            gaps.append("survey")
        if self.common_plans < len(self.villages):
            gaps.append("common_plan")
        if not self.guidance:
            gaps.append("guidance")
        if not self.customs_activities:
            gaps.append("customs")
        if not (self.money or self.work_days):
            gaps.append("resources")
        if self.teams < len(self.villages):
            gaps.append("team")
        return gaps

    @property
    def open_proposals(self) -> int:
        return self.proposals - self.answered


def duties_total(rows: list[AgencyDuties]) -> AgencyDuties:
    """The total row of the duties annex: every count summed, the customs addressed by any
    agency counted once."""
    total = AgencyDuties(agency=None)
    for row in rows:
        total.villages += row.villages
        total.customs |= row.customs
        for name in (
            "disseminations",
            "attendance",
            "surveyed_with_commune",
            "common_plans",
            "guidance",
            "customs_activities",
            "money",
            "work_days",
            "proposals",
            "answered",
            "teams",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def agency_duties(plan: Plan, year: int, village_ids) -> list[AgencyDuties]:
    """Per lead agency of these villages, its work in the year (the period for a tổng kết)."""
    ids = tuple(village_ids)
    years = work_years(plan, year)
    first, last = years[0], years[-1]
    rows: dict[int, AgencyDuties] = {}
    lead_of = {}
    leads = list(  # one row per village: no model instances for thousands of villages
        Assignment.objects.filter(plan=plan, village__any_of=ids, role=Assignment.Role.LEAD)
        .order_by("agency__name", "village__sort_key")
        .values_list("agency_id", "village_id", "village__name")
    )
    agencies = Agency.objects.in_bulk({agency_id for agency_id, _v, _n in leads})
    for agency_id, village_id, village_name in leads:
        row = rows.setdefault(agency_id, AgencyDuties(agencies[agency_id]))
        row.villages.append(village_name)
        lead_of[village_id] = row
    agency_ids = list(rows)
    for item in (
        Dissemination.objects.filter(
            plan=plan, agency__in=agency_ids, held_on__year__gte=first, held_on__year__lte=last
        )
        .values("agency")
        .annotate(n=Count("pk"), people=Sum("attendance", default=0))
    ):
        rows[item["agency"]].disseminations = item["n"]
        rows[item["agency"]].attendance = item["people"]
    done = Survey.objects.filter(
        village__any_of=ids, year=year, status__in=(Status.CONFIRMED, Status.APPROVED)
    ).order_by()  # not the surveys' default order, which joins every village to sort
    if plan.criteria_set_id:
        done = done.filter(criteria_set=plan.criteria_set_id)
    for village_id in done.values_list("village_id", flat=True):
        if village_id in lead_of:
            lead_of[village_id].surveyed_with_commune += 1
    work = {"plan": plan, "village__any_of": ids, "agency__in": agency_ids}
    for agency_id, village_id in (
        CommonPlan.objects.filter(**work, agreed_on__year__lte=last)
        .values_list("agency", "village")
        .distinct()
    ):
        if village_id in lead_of and lead_of[village_id].agency.pk == agency_id:
            lead_of[village_id].common_plans += 1
    activities = Activity.objects.filter(**work).in_years(first, last)
    for item in activities.values("agency").annotate(
        guidance=Count("pk", filter=Q(kind__in=GUIDANCE_KINDS)),
        customs=Count("pk", filter=Q(kind=Activity.Kind.CUSTOMS) | Q(customs__isnull=False)),
    ):
        rows[item["agency"]].guidance = item["guidance"]
        rows[item["agency"]].customs_activities = item["customs"]
    for agency_id, number in (
        activities.filter(customs__isnull=False).values_list("agency", "customs__number").distinct()
    ):
        rows[agency_id].customs.add(number)
    for item in Resource.objects.filter(**work).in_years(first, last).totals_by("agency"):
        rows[item["key"]].money = item["money"]
        rows[item["key"]].work_days = item["work_days"]
    for item in (
        Proposal.objects.filter(**work)
        .for_years(first, last)
        .values("agency")
        .annotate(n=Count("pk"), answered=Count("pk", filter=Q(status__in=ANSWERED)))
    ):
        rows[item["agency"]].proposals = item["n"]
        rows[item["agency"]].answered = item["answered"]
    for village_id in SupportTeam.objects.filter(plan=plan, village__any_of=ids).values_list(
        "village_id", flat=True
    ):
        if village_id in lead_of:
            lead_of[village_id].teams += 1
    return list(rows.values())


@dataclass
class Coverage:
    """This year's surveys of the villages in scope, by where they stand."""

    villages: int
    approved: int
    confirmed: int  # confirmed by the commune, waiting for the province's approval
    submitted: int  # waiting for the commune's confirmation
    draft: int  # being entered by the agency
    comparable: int  # villages with an approved survey this year and last year
    average_now: Decimal | None  # over the comparable villages
    average_before: Decimal | None

    @property
    def not_surveyed(self) -> int:
        return self.villages - self.approved - self.confirmed - self.submitted - self.draft


def coverage(plan: Plan, year: int, village_ids) -> Coverage:
    ids = tuple(village_ids)
    surveys = Survey.objects.filter(village__any_of=ids, year__in=(year - 1, year)).order_by()
    if plan.criteria_set_id:
        surveys = surveys.filter(criteria_set=plan.criteria_set_id)
    states = Counter()
    met = defaultdict(dict)  # village -> {year: criteria met} of approved surveys
    for village_id, survey_year, status, criteria_met in surveys.values_list(
        "village_id", "year", "status", "criteria_met"
    ):
        if survey_year == year:
            states[status] += 1
        if status == Status.APPROVED:
            met[village_id][survey_year] = criteria_met
    both = [years for years in met.values() if len(years) == 2]
    return Coverage(
        villages=len(ids),
        approved=states[Status.APPROVED],
        confirmed=states[Status.CONFIRMED],
        submitted=states[Status.SUBMITTED],
        draft=states[Status.DRAFT],
        comparable=len(both),
        average_now=average(sum(y[year] for y in both), len(both)),
        average_before=average(sum(y[year - 1] for y in both), len(both)),
    )


@dataclass
class Missed:
    criterion: Criterion
    villages: int


def criteria_missed(report) -> list[Missed]:
    """The criteria not met, most missed first, among this year's approved surveys."""
    counts = zip(report.criteria, report.by_criterion.not_met_approved, strict=True)
    ranked = sorted(((c, n) for c, n in counts if n), key=lambda item: (-item[1], item[0].number))
    return [Missed(criterion, n) for criterion, n in ranked]


def met_per_criterion(report) -> list[int]:
    """How many villages meet each criterion (in the order of ``report.criteria``)."""
    return list(report.by_criterion.met)


@dataclass
class PlaceGroup:
    """The villages of one commune (as entered, with what it is now) under its old district."""

    district: str
    commune: str
    rows: list
    reaching: int
    reaching_last_year: int

    @property
    def subtotal_label(self) -> str:
        """ "Cộng: 7 thôn, 1 thôn đạt chuẩn (năm trước: 0)", the same in PDF, Word and Excel."""
        villages = len(self.rows)
        return ngettext(
            "Subtotal: %(villages)s village, %(reaching)s meeting the standard "
            "(%(last)s last year)",
            "Subtotal: %(villages)s villages, %(reaching)s meeting the standard "
            "(%(last)s last year)",
            villages,
        ) % {"villages": villages, "reaching": self.reaching, "last": self.reaching_last_year}


def matrix_groups(report) -> list[PlaceGroup]:
    """The matrix rows grouped by old district and commune, numbered in that order, each with
    its subtotal of villages meeting the standard."""
    grouped = defaultdict(list)
    for row in report.rows:
        commune = row.village.commune
        key = (row.district.sort_key if row.district else "", commune.sort_key, commune.pk)
        grouped[key].append(row)
    groups = []
    for key in sorted(grouped):
        rows = grouped[key]
        first = rows[0]
        groups.append(
            PlaceGroup(
                district=first.district.name if first.district else "",
                commune=first.village.commune.name_with_successor(),
                rows=rows,
                reaching=sum(1 for r in rows if r.reaches_standard),
                reaching_last_year=sum(
                    1 for r in rows if r.last_year and r.last_year.reaches_standard
                ),
            )
        )
    return groups


def counts_demo(plan: Plan, village_ids) -> bool:
    """Whether any record the report counts is demo data."""
    ids = tuple(village_ids)
    if plan.is_demo:
        return True
    return (
        Village.objects.among(ids).filter(is_demo=True).exists()
        or DvkModel.objects.filter(plan=plan, village__any_of=ids, is_demo=True).exists()
        or Resource.objects.filter(plan=plan, village__any_of=ids, is_demo=True).exists()
    )

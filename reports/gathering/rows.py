"""The rows of the village × criterion matrix: each village's surveys of this year and the
year before, the verdict of each criterion against last year's, and its lead agency; the
matrix's order (by old district and commune), and how many villages meet or miss each
criterion, counted from the verdicts each survey keeps (not from the rows, so that a page of
the matrix needs only its own rows)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from assignments.models import Assignment, Plan
from criteria.models import Criterion, Survey, SurveyValue
from villages.models import AdminUnit, Village

if TYPE_CHECKING:
    from reports.gathering.summary import Summary

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


def village_rows(
    summary: "Summary", villages: list[Village], *, start: int = 1
) -> list[VillageRow]:
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


def matrix_order(villages: QuerySet[Village]) -> list[int]:
    """The ids of these villages in the matrix's order: by old district, then commune (as
    entered), each commune's villages in Vietnamese order; one query of one row per village."""
    found = villages.in_vietnamese_order().values_list(
        "pk",
        "commune_id",
        "commune__sort_key",
        "commune__parent__level",
        "commune__parent__sort_key",
    )
    keyed = [
        ((parent_key if level == AdminUnit.Level.DISTRICT else "", commune_key, commune), pk)
        for pk, commune, commune_key, level, parent_key in found
    ]
    keyed.sort(key=lambda item: item[0])  # stable: Vietnamese order within a commune
    return [pk for _key, pk in keyed]


@dataclass
class CriterionCounts:
    """Per criterion (in the order of the summary's criteria): the villages meeting it this
    year, and those not meeting it in an approved survey."""

    met: list[int]
    not_met_approved: list[int]


def criterion_counts(summary: "Summary", ids: tuple[int, ...]) -> CriterionCounts:
    """Counted from this year's surveys of these villages, one row per survey: the verdicts
    each survey keeps (``criteria.services``), as the matrix's cells show them."""
    keys = [str(c.pk) for c in summary.criteria]
    met, missed = [0] * len(keys), [0] * len(keys)
    surveys = _surveys(summary.plan, ids, [summary.year], summary.approved_only)
    for survey in surveys.values():
        verdicts, approved = survey["verdicts"], survey["facts"].approved
        for index, key in enumerate(keys):
            verdict = verdicts.get(key, UNKNOWN)
            if verdict == MET:
                met[index] += 1
            elif verdict == NOT_MET and approved:
                missed[index] += 1
    return CriterionCounts(met=met, not_met_approved=missed)


def _surveys(plan: Plan, ids: tuple[int, ...], years: list[int], approved_only: bool) -> dict:
    """{(village id, year): {"id", "facts", "verdicts"}} for the plan's criteria set: one row
    per survey, with the verdict of each criterion that the survey keeps (criteria.services)."""
    surveys = Survey.objects.filter(village__any_of=ids, year__in=years).order_by()  # no join
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

"""The map's points: each village of a plan with its latest approved result up to a year."""

from dataclasses import dataclass

from assignments.models import Plan
from criteria.models import Survey
from reports.gathering.rows import SurveyFacts
from villages.models import Village

Status = Survey.Status


@dataclass
class MapPoint:
    """A village on the map with its latest approved result up to the year asked for (None:
    no approved survey yet); ``placed`` says whether it has coordinates."""

    village: Village
    result: SurveyFacts | None
    result_year: int | None

    @property
    def placed(self) -> bool:
        return self.village.latitude is not None and self.village.longitude is not None

    @property
    def kind(self) -> str:
        """ "reaches" the standard, "partial" (n of the criteria met) or "none" (no result)."""
        if self.result is None:
            return "none"
        return "reaches" if self.result.reaches_standard else "partial"


def village_points(*, plan: Plan, year: int, village_ids) -> list[MapPoint]:
    """The villages of these ids (in Vietnamese order) with their latest approved survey of the
    plan's criteria set in ``year`` or before: two queries, however many villages."""
    villages = list(Village.objects.among(village_ids).with_places().in_vietnamese_order())
    surveys = Survey.objects.filter(
        village__any_of=tuple(v.pk for v in villages), year__lte=year, status=Status.APPROVED
    )
    if plan.criteria_set_id:
        surveys = surveys.filter(criteria_set=plan.criteria_set_id)
    latest: dict[int, tuple[int, SurveyFacts]] = {}
    for village_id, survey_year, met, count, reaches in surveys.order_by("year", "pk").values_list(
        "village_id", "year", "criteria_met", "criteria_count", "reaches_standard"
    ):
        latest[village_id] = (survey_year, SurveyFacts(Status.APPROVED, met, count, reaches))
    return [
        MapPoint(
            village=village,
            result=latest[village.pk][1] if village.pk in latest else None,
            result_year=latest[village.pk][0] if village.pk in latest else None,
        )
        for village in villages
    ]

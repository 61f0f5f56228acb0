"""Demo surveys for the demo villages (``is_demo``) under the provisional set KT-147-2022.

2022 to 2024: approved (a few still confirmed); 2025: mostly approved, the rest in every state
of the workflow, and some not started.
The six real villages get the score a local Kon Tum TV report gave them
(e.g. Đăk Xanh 9/10 in 2023); the other scores are illustrative, a few villages meeting the
standard from 2023 and more each year (``reaches_in``), so that the demo trend climbs. Every
demo survey is flagged ``is_demo``; running ``seed`` again changes nothing. Without demo
villages it does nothing.
"""

import datetime
import zlib
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from criteria import services
from criteria.models import (
    CriteriaSet,
    Indicator,
    Survey,
    SurveyDeadline,
    SurveyTransition,
    SurveyValue,
)
from dankhoeo.models import User
from villages.models import Village

YEARS = (2022, 2023, 2024, 2025)
# Reported scores (criteria met of 10, as reported for 2022-2023; Kon Tum TV).
KNOWN_SCORES = {"Đăk Xanh": 9, "Đăk Tum": 8, "Dục Lang": 7, "Đăk Mi": 8, "Đăk Book": 7}
DEADLINES = {year: datetime.date(year, 11, 30) for year in YEARS}
DEMO_NOTE = "Số liệu minh họa."
ACTORS = {"submitted": "daumoi.demo", "confirmed": "xa.demo", "approved": "tinh.demo"}
ORDER = ["draft", "submitted", "confirmed", "approved"]


@dataclass(frozen=True)
class SeedResult:
    created: int
    kept: int


def _spread(village: Village) -> int:
    return zlib.crc32(village.code.encode()) % 100


def reaches_in(village: Village) -> int | None:
    """The year an illustrative village first meets every criterion, so that the demo trend
    climbs as a real one would: about one village in ten by 2023, two in ten by 2024, three in
    ten by 2025; None for the others (and for the villages with a reported score)."""
    if village.name in KNOWN_SCORES:
        return None
    return {4: 2023, 9: 2024, 3: 2025, 8: 2025}.get(_spread(village) % 10)


def score(village: Village, year: int) -> int:
    """Criteria met: the reported score in 2023 and 2024, one less in 2022 and one more in 2025;
    else illustrative, one more each year, and every criterion from ``reaches_in`` on."""
    if village.name in KNOWN_SCORES:
        reported = KNOWN_SCORES[village.name]
        return min(10, reported + (year == 2025) - (year == 2022))
    reached = reaches_in(village)
    if reached is not None and year >= reached:
        return 10
    return min(9, 3 + _spread(village) % 5 + (year - 2022))


def status(village: Village, year: int) -> str | None:
    spread = _spread(village)
    if year < 2024:
        return "approved"
    if year == 2024:
        return "confirmed" if spread % 20 == 0 else "approved"
    return [None, "draft", "submitted", "confirmed", *["approved"] * 6][spread % 10]


def _value(survey: Survey, indicator: Indicator, met: bool) -> SurveyValue:
    value = SurveyValue(survey=survey, indicator=indicator, note=DEMO_NOTE)
    if indicator.value_type == Indicator.ValueType.BOOLEAN:
        value.value_bool = met
        return value
    if indicator.threshold is None:
        value.value_number = Decimal(85 if met else 40)
        value.assessed = met
        return value
    threshold = indicator.threshold
    up = indicator.comparator in ("gte", "gt")
    value.value_number = threshold + (5 if up == met else -5)
    value.value_number = max(value.value_number, Decimal(0))
    return value


@transaction.atomic
def seed() -> SeedResult:
    villages = list(Village.objects.filter(is_demo=True).order_by("code"))
    criteria_set = CriteriaSet.objects.filter(code="KT-147-2022").order_by("version").first()
    if not villages or criteria_set is None:
        return SeedResult(0, 0)
    staff = User.objects.filter(username="tinh.demo").first()
    for year, due_on in DEADLINES.items():
        SurveyDeadline.objects.get_or_create(
            year=year, defaults={"due_on": due_on, "criteria_set": criteria_set, "set_by": staff}
        )
    indicators = list(
        Indicator.objects.filter(criterion__criteria_set=criteria_set)
        .select_related("criterion")
        .order_by("criterion__number", "code")
    )
    existing = set(Survey.objects.filter(village__in=villages).values_list("village", "year"))
    actors = {u.username: u for u in User.objects.filter(username__in=ACTORS.values())}
    created = kept = 0
    for village in villages:
        for year in YEARS:
            wanted = status(village, year)
            if wanted is None:
                continue
            if (village.pk, year) in existing:
                kept += 1
                continue
            _create(village, year, wanted, criteria_set, indicators, actors)
            created += 1
    return SeedResult(created, kept)


def _create(village, year, wanted, criteria_set, indicators, actors) -> None:
    met = score(village, year)
    numbers = sorted({i.criterion.number for i in indicators})
    failing = set(numbers[met:])  # the last criteria are the ones not met yet
    survey = Survey.objects.create(
        village=village, year=year, criteria_set=criteria_set, is_demo=True, note=DEMO_NOTE
    )
    SurveyValue.objects.bulk_create(
        _value(survey, i, i.criterion.number not in failing) for i in indicators
    )
    services.survey_recompute(survey=survey)
    steps = ORDER[1 : ORDER.index(wanted) + 1]
    stamp = datetime.datetime(year, 10, 1, 9, tzinfo=datetime.UTC)
    previous = "draft"
    fields = {}
    for step in steps:
        actor = actors.get(ACTORS[step])
        if actor is not None:
            SurveyTransition.objects.create(
                survey=survey,
                from_status=previous,
                to_status=step,
                actor=actor,
                reason=DEMO_NOTE,
            )
        fields[f"{step}_at"] = stamp
        stamp += datetime.timedelta(days=10)
        previous = step
    Survey.objects.filter(pk=survey.pk).update(status=wanted, **fields)

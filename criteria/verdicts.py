"""Verdicts, computed here and nowhere else.

An indicator is met when its value passes the comparator against its threshold (the threshold of
the village's group when it has one). While an indicator has no threshold to compare with (the
official text is not known yet), the verdict is the one the surveyors assessed by hand.
A criterion is met when all its indicators are met; a village reaches the standard when it
meets every criterion of the set.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from criteria.models import Indicator, SurveyValue, VillageGroup
from villages.models import Village

Verdict = SurveyValue.Verdict
Comparator = Indicator.Comparator
ValueType = Indicator.ValueType

_NUMERIC = {
    Comparator.GTE: lambda value, threshold: value >= threshold,
    Comparator.GT: lambda value, threshold: value > threshold,
    Comparator.LTE: lambda value, threshold: value <= threshold,
    Comparator.LT: lambda value, threshold: value < threshold,
    Comparator.EQ: lambda value, threshold: value == threshold,
}


def village_groups(village: Village | None) -> set[str]:
    """The groups a village belongs to, for group thresholds."""
    if village is not None and village.extremely_disadvantaged:
        return {VillageGroup.EXTREMELY_DISADVANTAGED}
    return set()


def threshold_for(indicator: Indicator, village: Village | None) -> Decimal | None:
    """The indicator's threshold for this village: its group's when it has one.

    Reads ``indicator.group_thresholds.all()`` so that a prefetch makes it free.
    """
    groups = village_groups(village)
    if not groups or indicator.pk is None:
        return indicator.threshold
    for group_threshold in indicator.group_thresholds.all():
        if group_threshold.village_group in groups:
            return group_threshold.threshold
    return indicator.threshold


def needs_assessment(indicator: Indicator, village: Village | None) -> bool:
    """Whether the verdict must be assessed by hand: the server has no rule to judge by."""
    if indicator.value_type == ValueType.BOOLEAN:
        return False
    if indicator.value_type == ValueType.CHOICE:
        return not indicator.accepted_choice_list
    if indicator.value_type == ValueType.TEXT:
        return indicator.comparator != Comparator.FILLED
    return threshold_for(indicator, village) is None or indicator.comparator not in _NUMERIC


def indicator_verdict(
    indicator: Indicator,
    value: Any,
    village: Village | None = None,
    *,
    assessed: bool | None = None,
) -> str:
    """The verdict (met, not met, not assessed) of one typed value of an indicator."""
    kind = indicator.value_type
    if kind == ValueType.BOOLEAN:
        if value is None:
            return Verdict.UNKNOWN
        return Verdict.MET if value is True else Verdict.NOT_MET
    if kind == ValueType.TEXT:
        if indicator.comparator == Comparator.FILLED:
            return Verdict.MET if (value or "").strip() else Verdict.NOT_MET
        return _assessed(assessed)
    if kind == ValueType.CHOICE:
        accepted = indicator.accepted_choice_list
        if not accepted:
            return _assessed(assessed)
        if not value:
            return Verdict.UNKNOWN
        return Verdict.MET if value in accepted else Verdict.NOT_MET
    threshold = threshold_for(indicator, village)
    if threshold is None:
        return _assessed(assessed)
    if value is None:
        return Verdict.UNKNOWN
    passes = _NUMERIC.get(indicator.comparator)
    if passes is None:  # a comparator that does not apply to numbers
        return _assessed(assessed)
    return Verdict.MET if passes(Decimal(value), threshold) else Verdict.NOT_MET


def _assessed(assessed: bool | None) -> str:
    if assessed is None:
        return Verdict.UNKNOWN
    return Verdict.MET if assessed else Verdict.NOT_MET


def criterion_verdict(verdicts: Iterable[str]) -> str:
    """Met when every indicator is met; not met as soon as one is not; else not assessed."""
    verdicts = list(verdicts)
    if not verdicts:
        return Verdict.UNKNOWN
    if all(v == Verdict.MET for v in verdicts):
        return Verdict.MET
    if any(v == Verdict.NOT_MET for v in verdicts):
        return Verdict.NOT_MET
    return Verdict.UNKNOWN


@dataclass(frozen=True)
class Summary:
    criteria_met: int
    criteria_count: int

    @property
    def reaches_standard(self) -> bool:
        return self.criteria_count > 0 and self.criteria_met == self.criteria_count


def summarise(criterion_verdicts: Iterable[str]) -> Summary:
    """The total "8/10" from the verdicts of every criterion of the set."""
    verdicts = list(criterion_verdicts)
    return Summary(
        criteria_met=sum(1 for v in verdicts if v == Verdict.MET),
        criteria_count=len(verdicts),
    )

from decimal import Decimal

import pytest

from criteria import verdicts
from criteria.models import Indicator, IndicatorThreshold, VillageGroup
from tests.factories import make_village

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"


def number(comparator, threshold, kind="percent", **extra):
    return Indicator(
        code="x",
        name="x",
        value_type=kind,
        comparator=comparator,
        threshold=None if threshold is None else Decimal(threshold),
        **extra,
    )


@pytest.mark.parametrize(
    ("comparator", "value", "expected"),
    [
        ("gte", "70", MET),
        ("gte", "69.99", NOT_MET),
        ("gte", "70.01", MET),
        ("gt", "75", NOT_MET),
        ("gt", "75.01", MET),
        ("gt", "74", NOT_MET),
        ("lte", "7", MET),
        ("lte", "7.01", NOT_MET),
        ("lte", "0", MET),
        ("lt", "7", NOT_MET),
        ("lt", "6.99", MET),
        ("eq", "7", MET),
        ("eq", "7.0001", NOT_MET),
    ],
)
def test_numbers_are_judged_at_their_boundaries(db, comparator, value, expected):
    threshold = {"gte": "70", "gt": "75", "lte": "7", "lt": "7", "eq": "7"}[comparator]
    indicator = number(comparator, threshold)
    assert verdicts.indicator_verdict(indicator, Decimal(value)) == expected


def test_an_empty_number_is_not_assessed(db):
    assert verdicts.indicator_verdict(number("gte", "70"), None) == UNKNOWN


def test_without_a_threshold_the_hand_assessment_decides(db):
    indicator = number("gte", None)
    assert verdicts.needs_assessment(indicator, None)
    assert verdicts.indicator_verdict(indicator, Decimal(99)) == UNKNOWN
    assert verdicts.indicator_verdict(indicator, Decimal(1), assessed=True) == MET
    assert verdicts.indicator_verdict(indicator, Decimal(99), assessed=False) == NOT_MET


def test_yes_no_is_met_by_yes_only(db):
    indicator = Indicator(code="x", name="x", value_type="boolean", comparator="eq")
    assert verdicts.indicator_verdict(indicator, True) == MET
    assert verdicts.indicator_verdict(indicator, False) == NOT_MET
    assert verdicts.indicator_verdict(indicator, None) == UNKNOWN
    assert not verdicts.needs_assessment(indicator, None)


def test_a_choice_is_met_when_accepted(db):
    indicator = Indicator(
        code="x",
        name="x",
        value_type="choice",
        comparator="one_of",
        choices="Tốt|Khá|Trung bình|Yếu",
        accepted_choices="Tốt|Khá",
    )
    assert verdicts.indicator_verdict(indicator, "Khá") == MET
    assert verdicts.indicator_verdict(indicator, "Trung bình") == NOT_MET
    assert verdicts.indicator_verdict(indicator, "") == UNKNOWN


def test_a_choice_without_accepted_values_is_assessed(db):
    indicator = Indicator(code="x", name="x", value_type="choice", choices="A|B")
    assert verdicts.indicator_verdict(indicator, "A") == UNKNOWN
    assert verdicts.indicator_verdict(indicator, "A", assessed=True) == MET


def test_text_is_met_when_filled_in_or_by_assessment(db):
    filled = Indicator(code="x", name="x", value_type="text", comparator="filled")
    assert verdicts.indicator_verdict(filled, "Có hương ước") == MET
    assert verdicts.indicator_verdict(filled, "  ") == NOT_MET
    free = Indicator(code="x", name="x", value_type="text", comparator="eq")
    assert verdicts.indicator_verdict(free, "abc", assessed=False) == NOT_MET


def test_a_village_group_has_its_own_threshold(world):
    from criteria.models import Criterion

    criterion = Criterion.objects.create(criteria_set=world.set, number=99, name="Thử")
    indicator = Indicator.objects.create(
        criterion=criterion,
        code="99.1",
        name="Hộ nghèo",
        value_type="percent",
        comparator="lte",
        threshold=Decimal(7),
    )
    IndicatorThreshold.objects.create(
        indicator=indicator,
        village_group=VillageGroup.EXTREMELY_DISADVANTAGED,
        threshold=Decimal(15),
    )
    poor = make_village("Thôn ĐBKK", extremely_disadvantaged=True)
    assert verdicts.indicator_verdict(indicator, Decimal(12), world.village) == NOT_MET
    assert verdicts.indicator_verdict(indicator, Decimal(12), poor) == MET
    assert verdicts.indicator_verdict(indicator, Decimal("15.01"), poor) == NOT_MET


def test_a_criterion_is_met_when_all_its_indicators_are():
    assert verdicts.criterion_verdict([MET, MET]) == MET
    assert verdicts.criterion_verdict([MET, NOT_MET]) == NOT_MET
    assert verdicts.criterion_verdict([MET, UNKNOWN]) == UNKNOWN
    assert verdicts.criterion_verdict([UNKNOWN, NOT_MET]) == NOT_MET
    assert verdicts.criterion_verdict([]) == UNKNOWN


def test_the_total_counts_criteria_met_and_the_standard_needs_all():
    summary = verdicts.summarise([MET] * 8 + [NOT_MET, UNKNOWN])
    assert (summary.criteria_met, summary.criteria_count) == (8, 10)
    assert not summary.reaches_standard
    assert verdicts.summarise([MET] * 10).reaches_standard
    assert not verdicts.summarise([]).reaches_standard

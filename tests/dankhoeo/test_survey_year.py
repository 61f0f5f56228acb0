"""One rule judges a survey's year (``bounds.year_in_period``): the access policy applies it to
the plans covering the village, the survey service to the criteria set's period with its
grace. Every path that starts a survey (page, API, import) goes through both."""

import pytest

from criteria import services as surveys
from criteria.models import CriteriaSet, Survey
from dankhoeo import access, bounds
from dankhoeo.errors import Refused
from tests.factories import assign, make_agency, make_plan, make_village


@pytest.fixture
def village(db):
    criteria_set = CriteriaSet.objects.get(code="KT-147-2022", version=1)  # 2022-2025
    plan = make_plan(criteria_set=criteria_set, period_start=2021, period_end=2026)
    village = make_village("Làng Năm")
    assign(make_agency("Sở Năm"), village, plan)
    return village


def test_the_policy_judges_the_year_by_the_one_rule(village, monkeypatch):
    calls = []

    def spy(year, first, last, **options):
        calls.append((year, first, last, options))
        return True

    monkeypatch.setattr(bounds, "year_in_period", spy)
    assert access.is_survey_year(village, 2040)  # the rule says yes, so the policy does
    assert calls == [(2040, 2021, 2026, {})]


@pytest.mark.parametrize("year", range(2019, 2029))
def test_the_policy_and_the_service_agree_on_every_year(village, staff, year):
    in_plan = bounds.year_in_period(year, 2021, 2026)
    in_set = bounds.year_in_period(year, 2022, 2025, grace=bounds.PERIOD_GRACE_YEARS)
    assert access.is_survey_year(village, year) is in_plan
    if in_plan and in_set:
        assert surveys.survey_start(user=staff, village=village, year=year).year == year
    else:
        with pytest.raises(Refused) as refused:
            surveys.survey_start(user=staff, village=village, year=year)
        assert refused.value.code == "year"
        assert not Survey.objects.exists()

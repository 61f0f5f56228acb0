"""A small world for the survey tests: one plan using the reference set KT-147-2022, an agency
assigned to two villages with its liaison, the commune's officer, and an outsider village."""

from decimal import Decimal

import pytest

from criteria import services
from criteria.models import CriteriaSet, Indicator
from tests.factories import assign, commune, join, make_agency, make_plan, make_village


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def kt147(db):
    return CriteriaSet.objects.get(code="KT-147-2022", version=1)


@pytest.fixture
def world(db, kt147, liaison, commune_officer):
    plan = make_plan(criteria_set=kt147)
    agency = make_agency("Sở Thử nghiệm")
    home = commune("23407")
    village = make_village("Làng Kon Năng", commune_unit=home)
    second = make_village("Làng Tu Mơ", commune_unit=home)
    outsider = make_village("Thôn Xa", commune_unit=commune("23341"))
    assign(agency, village, plan)
    assign(agency, second, plan)
    join(liaison, agency=agency)
    join(commune_officer, commune_unit=home)

    class World:
        pass

    w = World()
    w.plan, w.agency, w.village, w.second, w.outsider = plan, agency, village, second, outsider
    w.set = kt147
    return w


# Values that meet every criterion of the provisional KT-147 set (by threshold or by hand).
def all_met(survey) -> dict:
    inputs = {}
    for indicator in Indicator.objects.filter(criterion__criteria_set=survey.criteria_set):
        if indicator.value_type == Indicator.ValueType.BOOLEAN:
            inputs[indicator.pk] = services.ValueInput(value=True)
        elif indicator.threshold is None:
            inputs[indicator.pk] = services.ValueInput(value=Decimal(50), assessed=True)
        elif indicator.comparator == "lte":
            inputs[indicator.pk] = services.ValueInput(value=indicator.threshold)
        else:
            inputs[indicator.pk] = services.ValueInput(value=Decimal(100))
    return inputs


def indicator(survey, code: str) -> Indicator:
    return Indicator.objects.get(criterion__criteria_set=survey.criteria_set, code=code)


@pytest.fixture
def draft(world, liaison):
    return services.survey_start(user=liaison, village=world.village, year=2025)


@pytest.fixture
def filled(draft, liaison):
    return services.survey_save_values(
        user=liaison, survey=draft, version=draft.version, values=all_met(draft)
    )

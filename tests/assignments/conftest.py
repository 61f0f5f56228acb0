"""A small world for the assignments tests: one plan, two agencies, three villages in two
communes, a liaison per agency and a commune officer."""

import datetime
from dataclasses import dataclass

import pytest

from assignments import services
from assignments.models import Agency, Plan, ResourceSource
from dankhoeo.models import User
from tests.conftest import make_user
from tests.factories import assign, commune, join, make_agency, make_plan, make_village
from villages.models import Village


@dataclass
class World:
    plan: Plan
    agency: Agency
    other_agency: Agency
    village: Village
    other_village: Village
    unassigned_village: Village
    liaison: User
    other_liaison: User
    commune_officer: User

    @property
    def source(self) -> ResourceSource:
        return ResourceSource.objects.get(key="doanh_nghiep")


@pytest.fixture
def world(db, liaison, commune_officer) -> World:
    plan = make_plan(period_start=2022, period_end=2027)
    agency = make_agency("Sở Thử Nghiệm", code="STN")
    other_agency = make_agency("Ban Khác", code="BK")
    home = commune("23407")
    village = make_village("Làng Kon Hia", commune_unit=home, code="V1")
    other_village = make_village("Thôn Đăk Xú", commune_unit=commune("23416"), code="V2")
    unassigned = make_village("Làng Trống", commune_unit=home, code="V3")
    assign(agency, village, plan)
    assign(other_agency, other_village, plan)
    plan.villages.add(village, other_village, unassigned)
    join(liaison, agency=agency)
    other_liaison = make_user("other-liaison", User.Role.LIAISON)
    join(other_liaison, agency=other_agency)
    join(commune_officer, commune_unit=home)
    return World(
        plan,
        agency,
        other_agency,
        village,
        other_village,
        unassigned,
        liaison,
        other_liaison,
        commune_officer,
    )


def raise_proposal(world: World, **extra):
    values = {
        "plan": world.plan,
        "agency": world.agency,
        "village": world.village,
        "title": "Đường vào làng sạt lở",
        "content": "Cần hỗ trợ sửa đường.",
        "addressed_to": "commune",
        "raised_on": datetime.date(2024, 3, 1),
    }
    values.update(extra)
    return services.proposal_raise(**values, user=None)

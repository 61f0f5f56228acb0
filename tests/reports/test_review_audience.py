"""The review page is cached as HTML for everyone who sees the same villages; what it shows of
the reader besides those villages (the committee's whole-plan narrative for staff, "the
villages of <their agency>" for a liaison) must part the cache too. Two agencies are assigned
to every village of the plan here, so their liaisons see exactly what staff see."""

import pytest
from django.test import Client

from dankhoeo.models import User
from reports.models import ReportDocument
from tests.conftest import make_user
from tests.factories import assign, join, make_agency

from .test_views import url

NARRATIVE = "Nhận định riêng của Ban Thường vụ về toàn kế hoạch"


def reader(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def everywhere(known):
    """Two liaisons, each of an agency assigned to every village of the plan."""
    liaisons = []
    for code, name in [("C", "Sở Khắp Nơi"), ("D", "Hội Mọi Thôn")]:
        agency = make_agency(name, code=code)
        for village in (known.kon_hia, known.dak_don, known.tu_tho, known.xop_dui):
            assign(agency, village, known.plan, role="supporting")
        liaison = make_user(f"lien-lac-{code}", User.Role.LIAISON)
        join(liaison, agency=agency)
        liaisons.append(liaison)
    return liaisons


@pytest.mark.django_db
def test_no_reader_gets_another_readers_review_from_the_cache(client_for, staff, known, everywhere):
    ReportDocument.objects.create(
        plan=known.plan, year=2025, scope="", section_results=NARRATIVE, updated_by=staff
    )
    assert NARRATIVE in client_for(staff).get(url("reports:review")).content.decode()
    first, second = (reader(liaison).get(url("reports:review")) for liaison in everywhere)
    for response in (first, second):
        assert response.status_code == 200
        assert NARRATIVE not in response.content.decode()
    theirs = "các thôn, làng do {} phụ trách"
    assert theirs.format("Sở Khắp Nơi") in first.content.decode()
    assert theirs.format("Sở Khắp Nơi") not in second.content.decode()
    assert theirs.format("Hội Mọi Thôn") in second.content.decode()
    assert NARRATIVE in client_for(staff).get(url("reports:review")).content.decode()

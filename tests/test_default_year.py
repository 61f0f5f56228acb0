"""Pages open on the plan's latest open year, never on a year outside its period."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse

from tests.factories import assign, commune, join, make_agency, make_plan, make_village

LATE_2026 = datetime.date(2026, 11, 29)  # the plan below ended with 2025


@pytest.fixture
def ended_plan(db, liaison):
    plan = make_plan("133-KH/TU", period_start=2021, period_end=2025, is_active=True)
    agency = make_agency("Sở Thử", code="ST")
    village = make_village("Làng Một", commune_unit=commune("23407"), code="V1")
    assign(agency, village, plan)
    plan.villages.add(village)
    join(liaison, agency=agency)
    return plan


@pytest.fixture
def late_2026():
    with mock.patch("django.utils.timezone.localdate", return_value=LATE_2026):
        yield


def test_a_plan_opens_on_its_latest_year_once_it_has_ended(ended_plan, late_2026):
    assert ended_plan.latest_open_year() == 2025
    ended_plan.period_end = 2030
    assert ended_plan.latest_open_year() == 2026
    ended_plan.period_start, ended_plan.period_end = 2027, 2030
    assert ended_plan.latest_open_year() == 2027


def test_the_survey_list_opens_on_the_plans_last_year(ended_plan, late_2026, client_for, staff):
    response = client_for(staff).get(reverse("criteria:surveys"))
    assert response.context["year"] == 2025
    assert 2026 not in response.context["years"]


def test_my_villages_opens_on_the_plans_last_year(ended_plan, late_2026, client_for, liaison):
    response = client_for(liaison).get(reverse("assignments:my-villages"))
    assert response.context["year"] == 2025
    assert "2025" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["assignments:activity-list", "assignments:resource-list", "assignments:proposal-list"]
)
def test_the_work_lists_open_on_the_plans_last_year(
    ended_plan, late_2026, client_for, liaison, name
):
    response = client_for(liaison).get(reverse(name))
    assert response.status_code == 200
    assert response.context["year"] == 2025


def test_the_village_work_page_counts_the_resources_of_the_plans_last_year(
    ended_plan, late_2026, client_for, liaison
):
    village = ended_plan.villages.get()
    url = reverse("assignments:village-work", args=[village.pk])
    response = client_for(liaison).get(url, {"plan": ended_plan.pk})
    assert response.status_code == 200
    assert response.context["panels_year"] == 2025
    assert "2025" in response.content.decode()

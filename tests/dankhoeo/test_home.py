"""The home page gives each role its shortcuts and what is due, in a constant number of
queries however much there is."""

import datetime

import pytest
from django.urls import reverse

from assignments import services as work
from assignments.models import Proposal
from criteria.models import CriteriaSet, Survey
from tests.factories import assign, commune, join, make_agency, make_plan, make_village


class World:
    pass


@pytest.fixture
def world(db, liaison, commune_officer):
    w = World()
    w.set = CriteriaSet.objects.get(code="KT-147-2022", version=1)
    w.plan = make_plan(criteria_set=w.set, period_start=2021, period_end=2025)
    w.agency = make_agency("Sở Thử", code="ST")
    w.home = commune("23407")
    join(liaison, agency=w.agency)
    join(commune_officer, commune_unit=w.home)
    w.count = 0
    return w


def add_village(w, status=None, proposal=False):
    """One more village of the liaison's agency in the officer's commune, with a 2025 survey in
    ``status`` (none if None) and an open proposal to the commune."""
    w.count += 1
    village = make_village(f"Làng Thử {w.count}", commune_unit=w.home, code=f"T{w.count}")
    assign(w.agency, village, w.plan)
    w.plan.villages.add(village)
    if status:
        Survey.objects.create(village=village, year=2025, criteria_set=w.set, status=status)
    if proposal:
        work.proposal_raise(
            plan=w.plan,
            agency=w.agency,
            village=village,
            title=f"Đường vào làng {w.count}",
            content="Cần sửa",
            addressed_to=Proposal.Addressee.COMMUNE,
            raised_on=datetime.date(2025, 4, 1),
            user=None,
        )
    return village


def test_a_liaison_sees_the_surveys_to_fill_and_submit(world, client_for, liaison):
    empty = add_village(world)
    draft = add_village(world, status=Survey.Status.DRAFT)
    done = add_village(world, status=Survey.Status.APPROVED)
    response = client_for(liaison).get(reverse("home"))
    page = response.content.decode()
    due = {row.village: row.due for row in response.context["due_villages"]}
    assert "Điền phiếu khảo sát năm nay" in due[empty]
    assert "Hoàn thành và gửi phiếu khảo sát năm nay" in due[draft]
    assert not any("khảo sát" in item for item in due.get(done, []))
    assert reverse("criteria:survey-open", args=[empty.pk, 2025]) in page
    assert reverse("assignments:my-villages") in page


def test_a_commune_officer_sees_surveys_to_confirm_and_proposals_to_answer(
    world, client_for, commune_officer
):
    add_village(world, status=Survey.Status.SUBMITTED, proposal=True)
    add_village(world, status=Survey.Status.CONFIRMED)
    response = client_for(commune_officer).get(reverse("home"))
    assert response.context["to_confirm"]["count"] == 1
    assert [p.title for p in response.context["to_answer"]["items"]] == ["Đường vào làng 1"]
    assert "Phiếu khảo sát chờ bạn xác nhận" in response.content.decode()
    assert "to_approve" not in response.context


def test_staff_see_surveys_to_approve_imports_and_accounts(world, client_for, staff):
    add_village(world, status=Survey.Status.SUBMITTED)
    confirmed = add_village(world, status=Survey.Status.CONFIRMED)
    response = client_for(staff).get(reverse("home"))
    assert response.context["to_approve"]["items"] == [Survey.objects.get(village=confirmed)]
    page = response.content.decode()
    for name in ("accounts", "villages:import", "criteria:survey-import", "reports:index"):
        assert f'href="{reverse(name)}"' in page


def test_a_viewer_gets_the_dashboard_and_reports(world, client_for, viewer):
    response = client_for(viewer).get(reverse("home"))
    links = [item["url"] for item in response.context["shortcuts"]]
    assert links == [reverse("reports:dashboard"), reverse("reports:index")]
    assert "to_approve" not in response.context and "due_villages" not in response.context


@pytest.mark.parametrize("persona", ["liaison", "commune_officer", "staff", "viewer"])
def test_the_home_page_makes_as_many_queries_with_more_data(
    world, client_for, request, persona, django_assert_num_queries, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(persona))
    add_village(world, status=Survey.Status.SUBMITTED, proposal=True)
    add_village(world, status=Survey.Status.CONFIRMED)
    client.get(reverse("home"))  # the first request of a session also renews it
    with django_assert_max_num_queries(16) as first:
        client.get(reverse("home"))
    for status in [None, *Survey.Status.values, Survey.Status.CONFIRMED]:
        add_village(world, status=status, proposal=True)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("home"))

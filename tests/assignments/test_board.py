"""The assignment board shows one page of villages at a time, whatever the size of the plan;
the flagged filter and the plan's counts are worked out by the database."""

import pytest

from assignments import services
from assignments.models import TeamMember
from assignments.views import plans
from tests.factories import assign, make_agency, make_village

from .test_views import url


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(plans, "BOARD_PAGE_SIZE", 2)


def names(response) -> list[str]:
    return [row.village.name for row in response.context["rows"]]


def test_the_board_shows_one_page_and_the_next(world, client_for, staff, small_pages):
    client = client_for(staff)
    first = client.get(url("board", world.plan.pk))
    second = client.get(url("board", world.plan.pk, query="?page=2"))
    assert len(names(first)) == 2 and len(names(second)) == 1
    assert set(names(first)) | set(names(second)) == {
        world.village.name,
        world.other_village.name,
        world.unassigned_village.name,
    }
    page = first.content.decode()
    assert "3 thôn" in page and "page=2" in page


def test_the_flagged_board_is_chosen_by_the_database_and_paginated(
    world, client_for, staff, small_pages
):
    team = services.team_create(plan=world.plan, village=world.village, user=None)
    TeamMember.objects.create(team=team, full_name="A Hùng", role=TeamMember.Role.LEADER)
    client = client_for(staff)
    flagged = client.get(url("board", world.plan.pk, query="?flagged=1"))
    assert set(names(flagged)) == {world.other_village.name, world.unassigned_village.name}
    assert "flagged=1&amp;page=2" not in flagged.content.decode()  # both fit on one page
    for number in range(2):
        village = make_village(f"Thôn mới {number}", code=f"N{number}")
        world.plan.villages.add(village)
        assign(world.agency, village, world.plan, role="supporting")
    flagged = client.get(url("board", world.plan.pk, query="?flagged=1"))
    assert len(names(flagged)) == 2
    assert "flagged=1&amp;page=2" in flagged.content.decode()


def test_the_plan_page_counts_what_the_board_flags(world, client_for, staff):
    team = services.team_create(plan=world.plan, village=world.village, user=None)
    TeamMember.objects.create(team=team, full_name="Y Lan", role=TeamMember.Role.MEMBER)
    response = client_for(staff).get(url("plan-detail", world.plan.pk))
    context = response.context
    assert (context["village_count"], context["lacking_lead"], context["lacking_team"]) == (3, 1, 2)


def test_staff_assign_a_village_by_its_code(world, client_for, staff):
    client = client_for(staff)
    board = client.get(url("board", world.plan.pk)).content.decode()
    assert url("assignment-create", world.plan.pk) in board  # the board links to the form
    page = client.get(url("assignment-create", world.plan.pk)).content.decode()
    assert 'name="village"' in page and '<select name="village"' not in page
    response = client.post(
        url("assignment-create", world.plan.pk),
        {"village": world.unassigned_village.code, "agency": world.agency.pk, "role": "lead"},
    )
    assert response.status_code == 302 and response["Location"] == url("board", world.plan.pk)
    assert world.plan.assignments.filter(village=world.unassigned_village).exists()
    count = world.plan.assignments.count()
    response = client.post(
        url("assignment-create", world.plan.pk),
        {"village": "NO-SUCH-CODE", "agency": world.agency.pk, "role": "lead"},
    )
    # the form again, with the error at its field and what was typed kept
    assert response.status_code == 400
    assert response.context["form"].errors["village"] == [
        "Không có thôn, làng nào mang mã NO-SUCH-CODE."
    ]
    assert 'value="NO-SUCH-CODE"' in response.content.decode()
    assert world.plan.assignments.count() == count


def test_a_refused_assignment_shows_the_reason_on_the_form(world, client_for, staff):
    """The service's refusal (a second lead agency) is shown on the form, nothing saved."""
    client = client_for(staff)
    second = make_agency("Hội Nông dân thử")
    response = client.post(
        url("assignment-create", world.plan.pk),
        {"village": world.village.code, "agency": second.pk, "role": "lead"},
    )
    assert response.status_code == 400
    assert "đã có cơ quan phụ trách" in str(response.context["form"].non_field_errors())
    assert not world.plan.assignments.filter(agency=second).exists()


def test_only_staff_see_the_assignment_form(world, client_for, liaison):
    client = client_for(liaison)
    assert client.get(url("assignment-create", world.plan.pk)).status_code == 403
    assert (
        url("assignment-create", world.plan.pk)
        not in client.get(url("board", world.plan.pk)).content.decode()
    )

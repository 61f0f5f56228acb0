"""The review on the web shows the village-by-village annexes one page at a time; the totals
and the files cover every village."""

import pytest

from assignments.models import SupportTeam, TeamMember
from reports import caching, exporters, paging
from tests.factories import assign, make_village

from .conftest import MET, NOT_MET, make_survey
from .test_views import url


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(paging, "REVIEW_PAGE_SIZE", 2)


def matrix_villages(response) -> list[str]:
    return [row.village.name for row in response.context["report"].rows]


def test_the_review_page_shows_one_page_of_villages(client_for, staff, known, small_pages):
    client = client_for(staff)
    first = client.get(url("reports:review"))
    second = client.get(url("reports:review", page=2))
    assert len(matrix_villages(first)) == 2 and len(matrix_villages(second)) == 2
    assert set(matrix_villages(first)) | set(matrix_villages(second)) == {
        known.kon_hia.name,
        known.dak_don.name,
        known.tu_tho.name,
        known.xop_dui.name,
    }
    assert [row.number for row in second.context["report"].rows] == [3, 4]
    assert first.context["report"].totals == second.context["report"].totals
    page = first.content.decode()
    assert 'id="review-page-note"' in page and "page=2" in page


def test_a_bad_page_number_shows_a_page(client_for, staff, known, small_pages):
    response = client_for(staff).get(url("reports:review", page="abc"))
    assert response.status_code == 200
    assert len(matrix_villages(response)) == 2


def test_a_cached_page_keeps_only_its_own_villages(client_for, staff, known, small_pages):
    """What the cache keeps for a page of the review holds the rows of that page, not those of
    the whole plan (a page of a province of 1,746 villages once unpickled all of them)."""
    response = client_for(staff).get(url("reports:review"))
    facts = response.context["facts"]
    assert len(facts.report.rows) == 2
    assert [row.village.name for row in facts.report.rows] == matrix_villages(response)
    assert sum(len(group.rows) for group in facts.groups) == 2
    assert facts.report.totals.villages == 4  # the totals still cover every village


def test_every_page_counts_the_whole_plan(client_for, staff, known, small_pages):
    """A page gathers the rows of its own villages only; what the review counts over every
    village (villages meeting or missing each criterion, teams, models) is the same on every
    page and in the files."""
    params = exporters.resolve(plan=known.plan.number, year=2025, scope="", user=None)
    whole = exporters.review_context(params)["facts"]
    assert whole.met_per_criterion == [2, 1, 2]  # Kon Hia 3/3 and Đăk Dơn 2/3 approved
    client = client_for(staff)
    for number in (1, 2):
        response = client.get(url("reports:review", page=number))
        facts, report = response.context["facts"], response.context["report"]
        assert facts.met_per_criterion == whole.met_per_criterion
        assert [(m.criterion.number, m.villages) for m in facts.missed] == [(2, 1)]
        totals = report.totals
        assert (totals.teams, totals.team_members, totals.models) == (1, 3, 1)
        shown = [row.village for row in report.rows]
        assert [row.village for row in report.teams] == sorted(shown, key=lambda v: v.sort_key)
        assert {m.village for m in report.models} <= set(shown)


def add_team(known, village) -> None:
    team = SupportTeam.objects.create(plan=known.plan, village=village)
    TeamMember.objects.create(team=team, full_name="A Minh", role=TeamMember.Role.LEADER)


def add_village(known, number: int) -> None:
    village = make_village(f"Thôn thêm {number}", code=f"EX{number}")
    known.plan.villages.add(village)
    assign(known.agency_a, village, known.plan)
    make_survey(village, 2025, known.criteria_set, [MET, NOT_MET, MET])
    add_team(known, village)


def test_the_review_page_query_count_does_not_grow_with_the_villages(
    client_for, staff, known, small_pages, django_assert_num_queries
):
    """Right after a change (the figures gathered again) and from the cache."""
    for village in (known.dak_don, known.tu_tho, known.xop_dui):
        add_team(known, village)  # every page has teams with members to read
    client = client_for(staff)
    client.get(url("reports:review"))  # warm the session and content types
    for round_ in range(2):
        caching.bump()
        with django_assert_num_queries(NUM_REVIEW_PAGE_QUERIES):
            assert client.get(url("reports:review", page=2)).status_code == 200
        with django_assert_num_queries(NUM_REVIEW_PAGE_QUERIES_CACHED):
            assert client.get(url("reports:review", page=2)).status_code == 200
        for number in range(5):
            add_village(known, number + 5 * round_)


NUM_REVIEW_PAGE_QUERIES = 56
NUM_REVIEW_PAGE_QUERIES_CACHED = 6

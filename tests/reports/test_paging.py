"""The review on the web shows the village-by-village annexes one page at a time; the totals
and the files cover every village."""

import pytest

from reports import paging

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

"""The dashboard and the review page keep their HTML (but the menu and the user's own buttons)
in the shared cache, like the figures they show: a page is rendered once per figures, page,
scope, villages seen and language, and never shows another language's, another person's scope
list or an older template's text."""

import pytest
from django.test import Client, override_settings

from assignments.models import Membership
from reports import caching
from tests.factories import join

from .conftest import MET, make_survey
from .test_views import make_survey_village, url

PAGES = ["reports:dashboard", "reports:review"]


def chooser(page: str) -> str:
    return page[page.index('name="scope"') : page.index("</select>", page.index('name="scope"'))]


@pytest.mark.parametrize("name", PAGES)
def test_each_language_gets_its_own_page(client_for, staff, known, name):
    client = client_for(staff)
    assert "Kế hoạch" in client.get(url(name)).content.decode()  # Vietnamese, now cached
    english = client.get(url(name), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The whole plan" in english and "Toàn kế hoạch" not in english
    again = client.get(url(name)).content.decode()
    assert "Toàn kế hoạch" in again and "The whole plan" not in again


@pytest.mark.parametrize("name", PAGES)
def test_a_scope_list_is_never_anothers(client_for, staff, liaison, known, name):
    """Staff and a liaison of agency A ask for the same village: the page's figures are the
    same, but the scope list offers each what they see (agency B works in no village of A)."""
    staffs = client_for(staff).get(url(name, scope="village:KH01")).content.decode()
    assert "Sở Nông nghiệp" in chooser(staffs)  # every agency: cached now
    join(liaison, agency=known.agency_a)
    theirs = Client()
    theirs.force_login(liaison)
    page = theirs.get(url(name, scope="village:KH01")).content.decode()
    assert "Ban Dân vận Tỉnh ủy" in chooser(page) and "Sở Nông nghiệp" not in chooser(page)
    Membership.objects.filter(user=liaison).delete()  # no longer in agency A
    assert theirs.get(url(name, scope="village:KH01")).status_code == 404


def test_the_review_edit_button_is_the_users_own(client_for, staff, viewer, known):
    assert "Sửa phần đầu" in client_for(staff).get(url("reports:review")).content.decode()
    theirs = Client()
    theirs.force_login(viewer)
    assert "Sửa phần đầu" not in theirs.get(url("reports:review")).content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_a_page_asked_beyond_the_last_is_the_last(client_for, staff, known, name):
    client = client_for(staff)

    def page(number=None) -> str:
        query = {} if number is None else {"page": number}
        html = client.get(url(name, **query)).content.decode()
        return html[html.index("<main") :]  # the menu's language switch returns to the URL

    assert page("abc") == page() == page("99") == page("1")


def test_the_review_page_query_count_is_constant(
    client_for, staff, known, django_assert_num_queries
):
    """Gathered again after a change (the figures and the HTML kept), then from the cache
    alone: the session, the user, the plan, its villages, the generation and the page."""
    client = client_for(staff)
    client.get(url("reports:review"))  # warm the session and content types
    for number in range(2):
        caching.bump()
        with django_assert_num_queries(NUM_REVIEW_QUERIES):
            assert client.get(url("reports:review")).status_code == 200
        with django_assert_num_queries(NUM_REVIEW_QUERIES_CACHED):
            assert client.get(url("reports:review")).status_code == 200
        make_survey(make_survey_village(known, number), 2025, known.criteria_set, [MET] * 3)


NUM_REVIEW_QUERIES = 56
NUM_REVIEW_QUERIES_CACHED = 6


def test_the_code_version_covers_templates_and_translations(tmp_path):
    """What an older template or catalogue wrote is never shown after a deploy."""
    for folder in ("reports/templates/reports", "reports/locale/vi/LC_MESSAGES", "templates"):
        (tmp_path / folder).mkdir(parents=True)
    files = [
        tmp_path / "reports/templates/reports/_dashboard_body.html",
        tmp_path / "reports/locale/vi/LC_MESSAGES/django.mo",
        tmp_path / "templates/_pagination.html",
    ]
    for path in files:
        path.write_text("one")
    with override_settings(BASE_DIR=tmp_path):
        versions = set()
        for path in [None, *files]:
            if path is not None:
                path.write_text("two")
            caching.code_version.cache_clear()
            versions.add(caching.code_version())
    caching.code_version.cache_clear()
    assert len(versions) == 4

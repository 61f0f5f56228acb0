"""Typing on the survey page and then pressing "Gửi xã xác nhận" (without "Lưu") keeps what
was typed. (The "Đính kèm" path is tested on the server: tests/criteria/test_typing_kept.py.)"""

import pytest
from playwright.sync_api import expect

from criteria import services
from criteria.models import CriteriaSet, Indicator, Survey
from tests.browser.test_login import log_in
from tests.conftest import make_user
from tests.factories import assign, commune, join, make_agency, make_plan, make_village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    kt147 = CriteriaSet.objects.get(code="KT-147-2022", version=1)
    plan = make_plan(criteria_set=kt147)
    agency = make_agency("Sở Thử nghiệm")
    village = make_village("Làng Kon Năng", commune_unit=commune("23407"))
    assign(agency, village, plan)
    liaison = make_user("daumoi", "liaison")
    join(liaison, agency=agency)
    return services.survey_start(user=liaison, village=village, year=2025)


def test_submit_after_typing_saves_first(page, live_server, draft):
    log_in(page, live_server, "daumoi")
    page.goto(f"{live_server.url}/criteria/surveys/{draft.pk}/")
    indicators = Indicator.objects.filter(criterion__criteria_set=draft.criteria_set)
    for indicator in indicators:
        field = page.locator(f"#id_v_{indicator.pk}")
        if indicator.value_type == "boolean":
            field.select_option("yes")
        else:
            field.fill("5" if indicator.comparator == "lte" else "80")
        assessment = page.locator(f"#id_a_{indicator.pk}")
        if assessment.count():
            assessment.select_option("yes")
    page.get_by_role("button", name="Gửi xã xác nhận").click()  # no "Lưu" before
    expect(page.locator("#survey-status")).to_contain_text("Đã gửi")
    survey = Survey.objects.get()
    assert survey.status == Survey.Status.SUBMITTED
    assert not survey.values.filter(value_number__isnull=True, value_bool__isnull=True).exists()

"""Typing on the survey page and then pressing "Gửi xã xác nhận" or "Đính kèm" (without "Lưu")
keeps what was typed; the attached file is listed.

The attach path once failed here and not on the server: after the rest of the browser suite the
indicators' ids pass 999 (every flush reloads the reference data with new ids), and the page
wrote them the Vietnamese way, ``value="1.000"``, so the view did not recognise the button. Ids
are now written unlocalised (tests/test_template_ids.py)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from criteria import services
from criteria.models import CriteriaSet, Evidence, Indicator, Survey
from tests.browser.test_login import log_in
from tests.conftest import make_user
from tests.factories import PDF, assign, commune, join, make_agency, make_plan, make_village

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


def test_attach_after_typing_saves_the_typing_and_lists_the_file(
    page, live_server, draft, tmp_path
):
    log_in(page, live_server, "daumoi")
    page.goto(f"{live_server.url}/criteria/surveys/{draft.pk}/")
    roads = Indicator.objects.get(criterion__criteria_set=draft.criteria_set, code="1.1")
    page.locator(f"#id_v_{roads.pk}").fill("72,5")
    expect(page.locator(f"#verdict-i-{roads.pk}")).to_contain_text("Đạt")  # the live verdict
    minutes = tmp_path / "bien-ban-duong.pdf"
    minutes.write_bytes(PDF)
    row = page.locator(f"#indicator-{roads.pk}")
    row.locator(f'input[name="file-{roads.pk}"]').set_input_files(str(minutes))
    row.get_by_role("button", name="Đính kèm").click()  # no "Lưu" before
    expect(page.get_by_text("Đã đính kèm tệp.")).to_be_visible()
    expect(row.get_by_role("link", name="bien-ban-duong.pdf")).to_be_visible()
    expect(page.locator(f"#id_v_{roads.pk}")).to_have_value("72,5")
    value = draft.values.get(indicator=roads)
    assert value.value_number == Decimal("72.5")
    assert Evidence.objects.get(value=value).original_name == "bien-ban-duong.pdf"

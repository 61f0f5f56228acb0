"""Typing on the survey page and then pressing "Đính kèm" or "Gửi xã xác nhận" (without
"Lưu") keeps what was typed."""

import pytest
from playwright.sync_api import expect

from criteria import services
from criteria.models import CriteriaSet, Evidence, Indicator, Survey
from tests.browser.test_login import log_in
from tests.conftest import make_user
from tests.factories import assign, commune, join, make_agency, make_plan, make_village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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


def test_attach_after_typing_keeps_the_typed_value(page, live_server, draft, tmp_path, screenshot):
    roads = Indicator.objects.get(criterion__criteria_set=draft.criteria_set, code="1.1")
    proof = tmp_path / "bien-ban.pdf"
    proof.write_bytes(PDF)
    log_in(page, live_server, "daumoi")
    page.goto(f"{live_server.url}/criteria/surveys/{draft.pk}/")
    page.locator(f"#id_v_{roads.pk}").fill("72,5")
    row = page.locator(f"#indicator-{roads.pk}")
    row.locator("input[type=file]").set_input_files(str(proof))
    row.get_by_role("button", name="Đính kèm").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    expect(page.locator(f"#id_v_{roads.pk}")).to_have_value("72,5")
    expect(page.locator(f"#indicator-{roads.pk}")).to_contain_text("bien-ban.pdf")
    screenshot("survey-attach-keeps-typing")
    assert Evidence.objects.filter(value__indicator=roads).exists()


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

"""A liaison fills and submits a survey (the verdicts follow the typing), a commune officer
confirms it and provincial staff approve it."""

import pytest
from playwright.sync_api import expect

from criteria.models import CriteriaSet, Indicator, Survey
from tests.browser.test_login import log_in
from tests.conftest import make_user
from tests.factories import assign, commune, join, make_agency, make_plan, make_village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page):
    page.locator(".navbar .dropdown-toggle").last.click()  # the user's menu, last in the bar
    page.get_by_role("button", name="Đăng xuất").click()


def test_a_survey_goes_from_the_liaison_to_approval(page, live_server, screenshot):
    kt147 = CriteriaSet.objects.get(code="KT-147-2022", version=1)
    plan = make_plan(criteria_set=kt147)
    agency = make_agency("Sở Thử nghiệm")
    home = commune("23407")
    village = make_village("Làng Kon Năng", commune_unit=home)
    assign(agency, village, plan)
    join(make_user("daumoi", "liaison"), agency=agency)
    join(make_user("xa", "commune"), commune_unit=home)
    make_user("tinh", "staff")

    log_in(page, live_server, "daumoi")
    page.get_by_role("button", name="Khảo sát").click()  # the menu group
    page.get_by_role("link", name="Khảo sát", exact=True).click()
    page.get_by_role("link", name="Bắt đầu").click()
    page.get_by_role("button", name="Bắt đầu khảo sát").click()
    expect(page.locator("#survey-total")).to_contain_text("0/10")

    indicators = Indicator.objects.filter(criterion__criteria_set=kt147).select_related("criterion")
    roads = indicators.get(code="1.1")
    roads_input = page.locator(f"#id_v_{roads.pk}")
    roads_input.fill("65")
    expect(page.locator(f"#verdict-i-{roads.pk}")).to_contain_text("Chưa đạt")
    roads_input.fill("72,5")
    expect(page.locator(f"#verdict-i-{roads.pk}")).to_contain_text("Đạt")
    expect(page.locator(f"#verdict-c-{roads.criterion_id}")).to_contain_text("Đạt")
    screenshot("survey-liaison-typing")

    for indicator in indicators.exclude(pk=roads.pk):
        field = page.locator(f"#id_v_{indicator.pk}")
        if indicator.value_type == "boolean":
            field.select_option("yes")
        elif indicator.comparator == "lte":
            field.fill("5")
        else:
            field.fill("80")
        assessment = page.locator(f"#id_a_{indicator.pk}")
        if assessment.count():
            assessment.select_option("yes")
    expect(page.locator("#survey-total")).to_contain_text("10/10")
    page.get_by_role("button", name="Lưu phiếu khảo sát").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu")
    page.get_by_role("button", name="Gửi xã xác nhận").click()
    expect(page.locator("#survey-status")).to_contain_text("Đã gửi")
    screenshot("survey-liaison-submitted")
    log_out(page)

    survey = Survey.objects.get()
    log_in(page, live_server, "xa")
    page.goto(f"{live_server.url}/criteria/surveys/{survey.pk}/")
    page.get_by_role("button", name="Xác nhận", exact=True).click()
    expect(page.locator("#survey-status")).to_contain_text("Xã đã xác nhận")
    screenshot("survey-commune-confirmed")
    log_out(page)

    log_in(page, live_server, "tinh")
    page.goto(f"{live_server.url}/criteria/surveys/?year={survey.year}")
    page.get_by_role("link", name="Xem").click()
    page.get_by_role("button", name="Phê duyệt").click()
    expect(page.locator("#survey-status")).to_contain_text("Đã phê duyệt")
    expect(page.locator("#value-history")).to_contain_text("72,5")
    screenshot("survey-staff-approved")
    survey.refresh_from_db()
    assert survey.status == "approved" and survey.reaches_standard

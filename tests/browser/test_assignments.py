"""A person clicks through the agencies' work: staff checks the board, a liaison records an
activity and a resource and raises a proposal, the commune officer answers it."""

import datetime

import pytest
from playwright.sync_api import expect

from assignments.models import Activity, Proposal, Resource
from dankhoeo.models import User
from tests.browser.test_login import log_in
from tests.conftest import make_user
from tests.factories import assign, commune, join, make_agency, make_plan, make_village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan_world():
    plan = make_plan(period_start=2022, period_end=2030)
    agency = make_agency("Sở Minh Họa", code="SMH")
    home = commune("23407")
    village = make_village("Làng Kon Hia", commune_unit=home)
    lonely = make_village("Thôn Không Ai", commune_unit=home)
    assign(agency, village, plan)
    plan.villages.add(village, lonely)
    liaison = make_user("daumoi", User.Role.LIAISON, first_name="Cán bộ", last_name="Đầu mối")
    join(liaison, agency=agency)
    officer = make_user("canboxa", User.Role.COMMUNE)
    join(officer, commune_unit=home)
    make_user("tinh", User.Role.STAFF)
    return plan, village, lonely


def test_staff_sees_a_flagged_village_on_the_board(page, live_server, screenshot, plan_world):
    plan, _village, lonely = plan_world
    log_in(page, live_server, "tinh")
    page.locator(".navbar").get_by_role("button", name="Kế hoạch", exact=True).click()
    page.locator(".navbar").get_by_role("link", name="Kế hoạch", exact=True).click()
    page.get_by_role("link", name=plan.number).click()
    page.get_by_role("link", name="Bảng phân công").click()
    row = page.locator("#board tr", has_text=lonely.name)
    expect(row).to_contain_text("chưa có cơ quan phụ trách")
    expect(row).to_contain_text("chưa có tổ hỗ trợ")
    screenshot("assignments-board-flagged")


def test_a_liaison_records_work_and_the_commune_answers(page, live_server, screenshot, plan_world):
    _plan, village, _lonely = plan_world
    log_in(page, live_server, "daumoi")
    page.get_by_role("link", name="Thôn làng của tôi").click()
    expect(page.locator("main")).to_contain_text("Cập nhật hoạt động trong năm")
    screenshot("assignments-my-villages")
    page.get_by_role("link", name=village.name).click()

    page.get_by_role("link", name="Nhập hoạt động").click()
    page.locator("[name=held_on]").fill(datetime.date.today().isoformat())
    page.locator("[name=kind]").select_option("customs")
    page.locator("[name=people_reached]").fill("85")
    page.locator("[name=households_reached]").fill("30")
    page.locator("[name=description]").fill("Họp dân vận động xóa bỏ tảo hôn")
    page.get_by_label("6. Tảo hôn").check()
    screenshot("assignments-activity-form")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main")).to_contain_text("Đã lưu.")
    expect(page.locator("section[aria-labelledby=panel-activities]")).to_contain_text("Tảo hôn")

    page.get_by_role("link", name="Nhập nguồn lực").click()
    page.locator("[name=source]").select_option(label="Doanh nghiệp")
    page.locator("[name=kind]").select_option("cash")
    page.locator("[name=amount]").fill("100 USD")
    page.locator("[name=received_on]").fill(datetime.date.today().isoformat())
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main")).to_contain_text("chỉ ghi bằng đồng")
    page.locator("[name=amount]").fill("1.250.000")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main")).to_contain_text("1,3 triệu đồng")
    screenshot("assignments-village-after-resource")

    page.get_by_role("link", name="Nêu kiến nghị").click()
    page.locator("[name=title]").fill("Đường vào làng sạt lở")
    page.locator("[name=content]").fill("Đề nghị xã hỗ trợ sửa đường trước mùa mưa.")
    page.locator("[name=addressed_to]").select_option("commune")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main")).to_contain_text("Đường vào làng sạt lở")
    screenshot("assignments-proposal-raised")

    assert Activity.objects.get().customs.get().number == 6
    assert Resource.objects.get().amount == 1_250_000

    page.get_by_role("button", name="Cán bộ Đầu mối").click()
    page.get_by_role("button", name="Đăng xuất").click()
    log_in(page, live_server, "canboxa")
    page.goto(f"{live_server.url}/assignments/proposals/")
    page.get_by_role("link", name="Đường vào làng sạt lở").click()
    page.get_by_role("button", name="Bắt đầu giải quyết").click()
    expect(page.locator("#proposal-status")).to_have_text("Đang giải quyết")
    page.locator("[name=answer]").fill("Xã đã bố trí kinh phí sửa đường.")
    page.get_by_role("button", name="Đã giải quyết").click()
    expect(page.locator("#proposal-status")).to_have_text("Đã giải quyết")
    screenshot("assignments-proposal-answered")
    assert Proposal.objects.get().status == "resolved"

"""A liaison records the common plan their agency agreed with the commune for a village (kế
hoạch chung), with its signed document, corrects it, and the commune officer reads it
without being offered to change it."""

import datetime

import pytest
from playwright.sync_api import expect

from assignments.models import CommonPlan
from tests import factories as f
from tests.browser.test_assignments import plan_world  # noqa: F401 (fixture)
from tests.browser.test_login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_liaison_records_and_corrects_a_common_plan(page, live_server, screenshot, plan_world):  # noqa: F811
    _plan, village, _lonely = plan_world
    agreed = datetime.date.today() - datetime.timedelta(days=3)
    log_in(page, live_server, "daumoi")
    page.get_by_role("link", name="Thôn làng của tôi").click()
    page.get_by_role("link", name=village.name).click()
    panel = page.locator("section[aria-labelledby=panel-common-plans]")
    expect(panel).to_contain_text("Chưa có kế hoạch chung nào.")
    panel.get_by_role("link", name="Ghi kế hoạch chung").click()

    page.locator("[name=agreed_on]").fill(agreed.isoformat())
    page.locator("[name=content]").fill("Xây dựng nhà văn hóa thôn; hướng dẫn trồng cà phê.")
    page.get_by_label("Văn bản đã ký").set_input_files(
        {"name": "ke-hoach-chung.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"}
    )
    screenshot("assignments-common-plan-form")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main")).to_contain_text("ke-hoach-chung.pdf")  # named in the refusal
    assert not CommonPlan.objects.exists()  # nothing saved

    page.locator("[name=content]").fill("Xây dựng nhà văn hóa thôn; hướng dẫn trồng cà phê.")
    page.get_by_label("Văn bản đã ký").set_input_files(
        {"name": "ke-hoach-chung.pdf", "mimeType": "application/pdf", "buffer": f.pdf_bytes()}
    )
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main")).to_contain_text("Đã lưu.")
    panel = page.locator("section[aria-labelledby=panel-common-plans]")
    expect(panel).to_contain_text(agreed.strftime("%d/%m/%Y"))
    expect(panel).to_contain_text("Xây dựng nhà văn hóa thôn")
    with page.expect_download() as info:
        panel.get_by_role("link", name="ke-hoach-chung.pdf").click()
    assert open(info.value.path(), "rb").read().startswith(b"%PDF")  # noqa: SIM115

    panel.get_by_role("link", name=f"Sửa kế hoạch chung ngày {agreed:%d/%m/%Y}").click()
    page.locator("[name=content]").fill("Xây dựng nhà văn hóa thôn và đường nội thôn.")
    page.get_by_role("button", name="Lưu").click()
    panel = page.locator("section[aria-labelledby=panel-common-plans]")
    expect(panel).to_contain_text("đường nội thôn")
    screenshot("assignments-common-plan-recorded")
    saved = CommonPlan.objects.get()
    assert (saved.village, saved.agreed_on) == (village, agreed)
    assert saved.content == "Xây dựng nhà văn hóa thôn và đường nội thôn."
    panel.get_by_role("link", name="Lịch sử").click()
    expect(page.locator("main")).to_contain_text("Xây dựng nhà văn hóa thôn; hướng dẫn")

    page.get_by_role("button", name="Cán bộ Đầu mối").click()
    page.get_by_role("button", name="Đăng xuất").click()
    log_in(page, live_server, "canboxa")  # the commune's officer reads, but cannot change
    page.goto(f"{live_server.url}/villages/{village.pk}/")
    panel = page.locator("section[aria-labelledby=panel-common-plans]")
    expect(panel).to_contain_text("đường nội thôn")
    expect(panel.get_by_role("link", name="Ghi kế hoạch chung")).to_have_count(0)
    expect(panel.get_by_role("link", name="Sửa")).to_have_count(0)

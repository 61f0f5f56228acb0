"""Staff find a village without typing accents, see its commune then and now, and import a
list from Excel (preview, then confirm)."""

import pytest
from playwright.sync_api import expect

from dankhoeo.models import User
from tests import factories as f
from tests.browser.test_login import log_in
from tests.conftest import make_user
from tests.villages.conftest import xlsx
from villages.models import Village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_find_a_village_without_accents_and_see_its_commune_then_and_now(
    page, live_server, screenshot
):
    make_user("tinh", User.Role.STAFF)
    f.make_village("Đăk Xanh", code="V-XANH", commune_unit=f.commune("23341"), is_demo=True)
    f.make_village("Đăk Tum", code="V-TUM", commune_unit=f.commune("23374"))
    log_in(page, live_server, "tinh")
    page.locator(".navbar").get_by_role("button", name="Thôn, làng").click()
    page.locator(".navbar").get_by_role("link", name="Thôn, làng").click()
    page.get_by_label("Tìm kiếm").fill("dak xanh")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    screenshot("villages-search-dak-xanh")
    page.get_by_role("link", name="Đăk Xanh").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đăk Xanh")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dữ liệu minh họa")
    expect(page.get_by_test_id("commune-then")).to_contain_text(
        "Thị trấn Đăk Glei (nay là xã Đăk Pék)"
    )
    expect(page.get_by_test_id("commune-now")).to_contain_text("Xã Đăk Pék")
    screenshot("village-detail-commune-then-and-now")


def test_staff_import_a_list_from_excel_after_a_preview(
    page, live_server, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    make_user("tinh", User.Role.STAFF)
    f.make_village("Đăk Tum", code="V-TUM", commune_unit=f.commune("23374"))
    content = xlsx(
        [
            {"name": "Thôn Kon Skôi", "commune": "Đăk Na", "district": "Tu Mơ Rông"},
            {"code": "V-TUM", "name": "Đăk Tum", "commune": "Xã Đăk Môn", "district": "Đăk Glei",
             "extremely_disadvantaged": "có"},
        ]
    )  # fmt: skip
    log_in(page, live_server, "tinh")
    page.goto(f"{live_server.url}/villages/import/")
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(
        files=[
            {"name": "danh-sach.xlsx", "mimeType": "application/octet-stream", "buffer": content}
        ]
    )
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_role("status").first).to_contain_text("1 mới, 1 thay đổi, 0 không đổi")
    assert Village.objects.count() == 1
    screenshot("villages-import-preview")
    page.get_by_role("button", name="Xác nhận và lưu").click()
    expect(page.locator("main")).to_contain_text("Đã nhập xong: 1 thôn mới, 1 thôn thay đổi")
    expect(page.locator("main")).to_contain_text("Thôn Kon Skôi")
    screenshot("villages-import-done")
    assert Village.objects.get(code="V-TUM").extremely_disadvantaged

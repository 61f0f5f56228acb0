import pytest
from playwright.sync_api import expect

from dankhoeo.models import User
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username: str, password: str = PASSWORD):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.mark.parametrize(
    ("role", "label"),
    [
        (User.Role.STAFF, "Cán bộ tỉnh"),
        (User.Role.LIAISON, "Cán bộ đầu mối cơ quan"),
        (User.Role.COMMUNE, "Cán bộ xã"),
        (User.Role.VIEWER, "Lãnh đạo (chỉ xem)"),
    ],
)
def test_each_role_logs_in_and_out_in_vietnamese(
    page, live_server, screenshot, stylesheets_loaded, role, label
):
    make_user(f"user-{role}", role, first_name="Nguyễn Thị", last_name="Hoà")
    log_in(page, live_server, f"user-{role}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    expect(page.locator("main")).to_contain_text(label)
    stylesheets_loaded()
    screenshot(f"home-{role}")
    page.get_by_role("button", name="Nguyễn Thị Hoà").click()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()


def test_a_wrong_password_shows_a_message_in_vietnamese(page, live_server, screenshot):
    make_user("someone", User.Role.VIEWER)
    log_in(page, live_server, "someone", "wrong-password")
    expect(page.locator("main")).to_contain_text("mật khẩu chính xác")
    screenshot("login-wrong-password")


def test_the_menu_works_on_a_phone(page, live_server, screenshot):
    make_user("phone-user", User.Role.STAFF)
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, live_server, "phone-user")
    menu = page.get_by_role("button", name="Hiện hoặc ẩn trình đơn")
    expect(menu).to_be_visible()
    menu.click()
    expect(page.get_by_role("link", name="Trang chủ")).to_be_visible()
    screenshot("home-phone")

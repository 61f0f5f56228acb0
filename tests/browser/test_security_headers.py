"""Pages work under the Content Security Policy: nothing is refused by the browser."""

import pytest
from playwright.sync_api import expect

from dankhoeo.models import User
from tests.browser.test_login import log_in
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_login_and_home_raise_no_csp_violation(page, live_server, screenshot):
    make_user("csp-staff", User.Role.STAFF, first_name="Lê", last_name="Văn Hùng")
    problems = watch_console(page)
    page.goto(f"{live_server.url}/login/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    log_in(page, live_server, "csp-staff")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    # Bootstrap's JavaScript runs (a file, not inline): the account menu opens.
    page.get_by_role("button", name="Lê Văn Hùng").click()
    expect(page.get_by_role("link", name="Đăng nhập hai bước")).to_be_visible()
    page.get_by_role("link", name="Đăng nhập hai bước").click()
    page.get_by_role("button", name="Thiết lập đăng nhập hai bước").click()
    expect(page.locator("figure.twostep-qr svg")).to_be_visible()
    screenshot("twostep-setup")
    page.goto(f"{live_server.url}/security/log/")
    expect(page.get_by_role("heading", name="Nhật ký an ninh")).to_be_visible()
    expect(page.locator("table")).to_contain_text("Đăng nhập")
    screenshot("security-log")
    assert problems == []

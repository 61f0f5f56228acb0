"""At 1366×768, a common office laptop screen, the menu fits on one line for every role."""

import pytest

from tests.browser.test_login import log_in
from tests.conftest import make_user
from tests.factories import commune, join, make_agency

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ONE_LINE = 64  # px: Bootstrap's navbar on one line is 56 px high


@pytest.mark.parametrize("role", ["liaison", "commune", "viewer", "staff", "superuser"])
def test_the_menu_fits_on_one_line_at_1366_px(page, live_server, screenshot, role):
    user = make_user(
        f"{role}-nguyen-van", "staff" if role == "superuser" else role,
        first_name="Nguyễn Văn", last_name="Thành", is_superuser=role == "superuser",
    )  # fmt: skip
    if role == "liaison":
        join(user, agency=make_agency("Sở Nông nghiệp và Phát triển nông thôn"))
    if role == "commune":
        join(user, commune_unit=commune("23407"))
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server, user.username)
    navbar = page.locator("nav.navbar")
    navbar.wait_for()
    screenshot(f"menu-1366-{role}")
    height = navbar.bounding_box()["height"]
    assert height <= ONE_LINE, f"the menu takes {height} px: it wraps"

"""The map of the villages in a browser, on the demo data, with the tile server pointed at
nothing (a closed port) or not set at all: the points, the commune labels and the legend are
there on a plain background and the page says so; a point opens the village's card, whose link
leads to the village's page; axe-core finds no serious or critical violation."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from dankhoeo.access import villages_visible_to
from dankhoeo.demo.accounts import DEMO_PASSWORD
from dankhoeo.models import User
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_login import log_in
from villages.models import Village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOWHERE = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # the discard port: nothing answers


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """axe-core is injected as an inline script, which the app's Content Security Policy
    refuses (as it should): this module's pages are opened with the policy bypassed."""
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def open_map(page, live_server, username):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, username, DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/**")
    page.locator(".navbar").get_by_role("button", name="Báo cáo").click()
    page.locator(".navbar").get_by_role("link", name="Bản đồ").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bản đồ các thôn")
    expect(page.locator("#village-map[data-ready='1']")).to_have_count(1)
    assert not errors, errors  # the script ran to its end


@pytest.mark.parametrize("tiles", [NOWHERE, ""], ids=["tiles-unreachable", "no-tiles"])
def test_the_map_shows_every_demo_village_and_opens_a_card(
    page, live_server, screenshot, settings, demo, tiles
):
    settings.MAP_TILE_URL = tiles
    open_map(page, live_server, "tinh.demo")
    pins = page.locator(".leaflet-marker-icon.map-pin-box")
    expect(pins).to_have_count(Village.objects.filter(is_demo=True).count())
    assert pins.count() == 57
    # the plain background, said in words, once the tiles failed (or none was set)
    expect(page.locator("#map-notice")).to_be_visible()
    expect(page.locator("#map-notice")).to_contain_text("nền trơn")
    expect(page.locator(".leaflet-tile-loaded")).to_have_count(0)
    expect(page.locator(".map-commune").first).to_be_visible()
    assert page.locator(".map-commune").count() >= 3
    legend = page.get_by_role("region", name="Chú giải")
    expect(legend).to_contain_text("Đạt chuẩn (hình tròn, ✓)")
    expect(legend).to_contain_text("Chưa có kết quả được phê duyệt (hình thoi, –)")
    expect(page.get_by_text("Dữ liệu minh họa: vị trí các thôn minh họa")).to_be_visible()
    screenshot(f"map-staff-{'none' if not tiles else 'unreachable'}")

    # narrow to Đăk Xanh's commune with the scope filter: its villages stand apart at that zoom
    xanh = Village.objects.get(name="Đăk Xanh")
    page.get_by_label("Phạm vi", exact=True).select_option(f"commune:{xanh.commune_id}")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#village-map[data-ready='1']")).to_have_count(1)
    expect(pins).to_have_count(Village.objects.filter(commune=xanh.commune_id).count())
    pin = page.locator(f".leaflet-marker-icon[data-code='{xanh.code}']")
    expect(pin).to_have_attribute("role", "button")
    expect(pin).to_have_attribute("aria-label", re.compile(r"^Đăk Xanh: "))
    pin.click()
    card = page.locator(".leaflet-popup .map-card")
    expect(card).to_be_visible()
    expect(card.get_by_role("heading")).to_have_text("Đăk Xanh")
    expect(card).to_contain_text("Thôn minh họa; vị trí chỉ mang tính minh họa")
    link = card.get_by_role("link", name="Mở trang của thôn: Đăk Xanh")
    expect(link).to_be_focused()
    page.wait_for_timeout(400)  # the popup fades in: let the screenshot show it whole
    screenshot(f"map-card-{'none' if not tiles else 'unreachable'}")
    assert not axe_violations(page), axe_violations(page)
    link.click()
    page.wait_for_url(f"{live_server.url}/villages/{xanh.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đăk Xanh")


def test_a_liaison_sees_their_agencys_villages_and_reaches_one_by_keyboard(
    page, live_server, screenshot, settings, demo
):
    settings.MAP_TILE_URL = NOWHERE
    liaison = User.objects.get(username="daumoi.demo")
    theirs = set(villages_visible_to(liaison).values_list("code", flat=True))
    assert 0 < len(theirs) < 57
    open_map(page, live_server, "daumoi.demo")
    pins = page.locator(".leaflet-marker-icon.map-pin-box")
    expect(pins).to_have_count(len(theirs))
    shown = {pins.nth(i).get_attribute("data-code") for i in range(pins.count())}
    assert shown == theirs
    pins.first.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup .map-card a")).to_be_focused()
    screenshot("map-liaison")
    assert not axe_violations(page), axe_violations(page)

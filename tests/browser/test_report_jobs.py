"""A person asks for the review of a large plan: the page shows the progress, then a link."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from dankhoeo.models import User
from reports import jobs
from tests.conftest import make_user
from tests.reports.conftest import build_known

from .test_login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_large_review_is_made_in_the_background(
    page, live_server, screenshot, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(jobs, "AT_ONCE_VILLAGES", 1)
    build_known()
    make_user("tinh", User.Role.STAFF)
    log_in(page, live_server, "tinh")
    page.goto(f"{live_server.url}/reports/review/?plan=133-KH/TU&year=2025")
    page.get_by_role("link", name="(PDF, sẵn sàng ký)").first.click()
    expect(page.locator("#file-progress")).to_be_visible()
    expect(page.locator("#file-status")).to_contain_text("0%")
    screenshot("reports-file-progress")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    link = page.locator("#file-download")
    expect(link).to_be_visible(timeout=15_000)
    with page.expect_download() as info:
        link.click()
    pdf = PdfReader(io.BytesIO(open(info.value.path(), "rb").read()))  # noqa: SIM115
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in pdf.pages[0].extract_text()

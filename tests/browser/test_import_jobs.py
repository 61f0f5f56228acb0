"""Staff upload a village list larger than an import made at once: the page shows the progress
of the check, then the preview with Confirm; after Confirm, the progress of the save, then the
result. The queue's worker runs in between, as ``make run`` starts it."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from dankhoeo import bounds
from dankhoeo.models import ImportJob, User
from tests.browser.test_login import log_in
from tests.conftest import make_user
from tests.villages.conftest import xlsx
from villages.models import Village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = bounds.IMPORT_AT_ONCE_ROWS + 50
COUNT = f"{ROWS:,}".replace(",", ".")  # 2.050, as the pages write it


def run_the_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_a_large_import_is_checked_then_saved_in_the_background(
    page, live_server, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    make_user("tinh", User.Role.STAFF)
    content = xlsx([{"name": f"Thôn Lớn {n}", "commune": "Xã Đăk Sao"} for n in range(ROWS)])
    log_in(page, live_server, "tinh")
    page.goto(f"{live_server.url}/villages/import/")
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(
        files=[{"name": "lon.xlsx", "mimeType": "application/octet-stream", "buffer": content}]
    )
    page.get_by_role("button", name="Kiểm tra tệp").click()

    expect(page).to_have_url(f"{live_server.url}/imports/{ImportJob.objects.get().pk}/")
    expect(page.locator("#import-progress")).to_be_visible()
    expect(page.locator("#import-status")).to_contain_text("0%")
    screenshot("import-job-checking")

    run_the_worker()  # the preview
    status = page.locator("#import-status")
    expect(status).to_contain_text(f"{COUNT} mới, 0 thay đổi", timeout=20_000)
    expect(status).to_contain_text(f"Thôn Lớn {ROWS - 1}")
    expect(page.locator("#import-progress")).to_have_count(0)
    assert not Village.objects.filter(name__startswith="Thôn Lớn").exists()
    screenshot("import-job-preview")

    page.get_by_role("button", name="Xác nhận và lưu").click()
    expect(page.locator("#import-progress")).to_be_visible()
    screenshot("import-job-saving")
    run_the_worker()  # the save
    expect(status).to_contain_text(f"Đã nhập xong: {COUNT} thôn mới", timeout=20_000)
    screenshot("import-job-done")
    assert Village.objects.filter(name__startswith="Thôn Lớn").count() == ROWS

"""The PDF tells its progress while WeasyPrint works (its own steps and each page laid out),
not only before and after; a file made in the background shows it on its progress bar."""

import logging

import pytest

from reports import jobs, pdf
from reports.models import ReportFile

from .test_jobs import large, run_the_queue  # noqa: F401 - the fixture is used by name
from .test_views import export_url


def long_document(paragraphs: int) -> str:
    body = "".join(f"<p>Đoạn {n}: Thôn Đăk Dơn, xã Đăk Sao.</p>" for n in range(paragraphs))
    return f"<!doctype html><html lang='vi'><body>{body}</body></html>"


def test_each_step_and_page_moves_the_share_done():
    assert pdf.share_done("Step 1 - Fetching and parsing HTML - HTML string", 10) == 0
    assert pdf.share_done("Step 3 - Applying CSS", 10) == 0.04
    assert pdf.share_done("Step 4 - Creating formatting structure", 10) == 0.17
    assert pdf.share_done("Step 5 - Creating layout - Page 1", 10) > 0.23
    assert pdf.share_done("Step 5 - Creating layout - Page 10", 10) == 0.23 + 0.61 * 0.75
    page = [pdf.share_done(f"Step 5 - Creating layout - Page {n}", 10) for n in range(1, 80)]
    assert page == sorted(set(page)) and page[-1] < 0.84  # more pages than expected: moving
    assert pdf.share_done("Step 5 - Creating layout - Repagination #1", 10) is None
    assert pdf.share_done("Step 6 - Creating PDF", 10) == 0.86
    assert pdf.share_done("something else", 10) is None


def test_the_render_reports_its_pages_as_it_lays_them_out():
    shares = []
    content = pdf.html_to_pdf(long_document(400), progress=shares.append)
    assert content.startswith(b"%PDF")
    assert shares == sorted(set(shares)) and shares[-1] == 1.0
    during_layout = [share for share in shares if 0.23 < share < 0.84]
    assert len(during_layout) >= 5  # one per page laid out, not one jump


def test_the_steps_never_reach_the_log():
    """Rendering without a listener (a small file, the shell) logs no step either."""
    seen = []

    class Seen(logging.Handler):
        def emit(self, record):
            seen.append(record.name)

    root, handler = logging.getLogger(), Seen()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        assert pdf.html_to_pdf(long_document(3)).startswith(b"%PDF")
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    assert not [name for name in seen if name.startswith("weasyprint")]


@pytest.mark.usefixtures("large")
def test_a_background_pdf_records_progress_during_the_render(
    client_for, staff, known, monkeypatch, recorded_progress
):
    recorded = recorded_progress
    monkeypatch.setattr(pdf, "BYTES_PER_PAGE", 500)  # the small test plan: more pages expected
    client_for(staff).get(export_url("review-pdf"))
    run_the_queue()
    assert ReportFile.objects.get().status == ReportFile.Status.READY
    inside = [p for p in recorded if jobs.RENDER_FROM < p < jobs.RENDER_TO]
    assert len(set(inside)) >= 3, recorded
    assert recorded == sorted(recorded)

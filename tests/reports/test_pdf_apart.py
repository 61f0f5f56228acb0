"""A long PDF (the review of hundreds of villages, made in the background) is rendered by a child
process forked for it (reports/pdf.py): the same file, its progress reported here as it goes,
its errors raised here, and no process left behind whatever happens."""

import gc
import multiprocessing
import os

import pytest

from reports import jobs, pdf
from reports.models import ReportFile

from .test_jobs import large, run_the_queue  # noqa: F401 - the fixture is used by name
from .test_pdf_progress import long_document
from .test_views import export_url


@pytest.fixture
def apart(monkeypatch):
    monkeypatch.setattr(pdf, "APART_FROM", 0)  # every document, however short
    yield
    assert multiprocessing.active_children() == []


@pytest.mark.usefixtures("apart")
def test_the_child_makes_the_same_file_and_reports_its_progress():
    html = long_document(200)
    shares = []
    made = pdf.html_to_pdf(html, progress=shares.append)
    assert made == pdf._render(html)  # WeasyPrint's file is the same bytes for the same HTML
    assert shares == sorted(set(shares)) and shares[-1] == 1.0
    assert len([share for share in shares if 0.23 < share < 0.84]) >= 3  # pages laid out
    assert gc.isenabled()  # this process's collector untouched


@pytest.mark.usefixtures("apart")
def test_an_error_in_the_child_is_raised_here(monkeypatch):
    def broken(html):
        raise ValueError("no font for this letter")

    monkeypatch.setattr(pdf, "_weasyprint", broken)
    with pytest.raises(RuntimeError, match="no font for this letter"):
        pdf.html_to_pdf(long_document(3))


@pytest.mark.usefixtures("apart")
def test_a_child_that_dies_is_an_error_here(monkeypatch):
    monkeypatch.setattr(pdf, "_weasyprint", lambda html: os._exit(3))
    with pytest.raises(RuntimeError, match=r"ended early \(exit code 3\)"):
        pdf.html_to_pdf(long_document(3), progress=lambda share: None)


@pytest.mark.usefixtures("apart")
def test_a_failure_here_stops_the_child():
    """The progress cannot be recorded (the database is gone): the child is stopped, not left
    rendering."""

    def failing(share):
        raise ConnectionError("database gone")

    with pytest.raises(ConnectionError):
        pdf.html_to_pdf(long_document(400), progress=failing)


def test_a_short_document_is_rendered_here(monkeypatch):
    monkeypatch.setattr(pdf, "_apart", lambda html, progress: pytest.fail("forked"))
    assert pdf.html_to_pdf(long_document(3)).startswith(b"%PDF")


@pytest.mark.usefixtures("apart", "large")
def test_a_background_review_is_made_apart(
    client_for, staff, known, monkeypatch, recorded_progress
):
    """The queue's job as the worker runs it: the child renders, this process records the
    progress and saves the file."""
    recorded = recorded_progress
    monkeypatch.setattr(pdf, "BYTES_PER_PAGE", 500)
    client_for(staff).get(export_url("review-pdf"))
    run_the_queue()
    job = ReportFile.objects.get()
    assert job.status == ReportFile.Status.READY
    assert job.file.read().startswith(b"%PDF")
    assert len({p for p in recorded if jobs.RENDER_FROM < p < jobs.RENDER_TO}) >= 3, recorded

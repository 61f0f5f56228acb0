"""WeasyPrint works with Python's cycle collector off (reports/pdf.py): it builds millions of
objects that live until the end of the render, which the collector would walk again and again
for nothing; the collector is given back as it was found, even after a failure, and only when
the last render under way in the process ends."""

import gc
import threading

import pytest

from reports import pdf

HTML = "<!doctype html><html lang='vi'><body><p>Xin chào</p></body></html>"


def test_the_collector_is_off_while_weasyprint_works_and_back_after(monkeypatch):
    seen = []
    real = pdf._weasyprint

    def watched(html):
        seen.append(gc.isenabled())
        return real(html)

    monkeypatch.setattr(pdf, "_weasyprint", watched)
    assert gc.isenabled()
    assert pdf.html_to_pdf(HTML).startswith(b"%PDF")
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_turned_off_elsewhere_stays_off():
    gc.disable()
    try:
        pdf.html_to_pdf(HTML)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_failed_render_gives_the_collector_back(monkeypatch):
    def broken(html):
        raise RuntimeError("broken")

    monkeypatch.setattr(pdf, "_weasyprint", broken)
    with pytest.raises(RuntimeError):
        pdf.html_to_pdf(HTML)
    assert gc.isenabled()


def test_two_renders_at_once_keep_it_off_until_the_last_ends(monkeypatch):
    inside, release = threading.Event(), threading.Event()
    states = []

    def slow(html):
        if html == "first":
            inside.set()
            release.wait(10)
            states.append(gc.isenabled())
        return html.encode()

    monkeypatch.setattr(pdf, "_weasyprint", slow)
    first = threading.Thread(target=pdf._render, args=("first",))
    first.start()
    try:
        assert inside.wait(10)
        assert pdf._render("second") == b"second"
        assert not gc.isenabled()  # the first render still works
    finally:
        release.set()
        first.join(10)
    assert states == [False]
    assert gc.isenabled()

"""Playwright drives Debian's Chromium (/usr/bin/chromium); it may not download its own."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set
# up data are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


@pytest.fixture
def screenshot(page):
    """Keep a screenshot as a test artifact: ``screenshot("login-staff")``."""

    def take(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(scope="session")
def _serve_collected_static():
    """Serve /static/ from STATIC_ROOT as collected (hashed names, as in production), not
    through the finders, which do not know the hashed names of the manifest storage."""
    from django.contrib.staticfiles import handlers
    from django.test.testcases import _StaticFilesHandler

    original = handlers.StaticFilesHandler
    handlers.StaticFilesHandler = _StaticFilesHandler
    yield
    handlers.StaticFilesHandler = original


@pytest.fixture(scope="session")
def live_server(django_db_setup, _serve_collected_static, live_server):
    """The live server, started after the test database so that it stops before the database
    is dropped (otherwise its connection keeps the test database busy at teardown)."""
    return live_server


@pytest.fixture
def stylesheets_loaded(page):
    """Fail a browser test whose page has no Bootstrap styles (a static file not served)."""

    def check():
        assert page.evaluate("getComputedStyle(document.body).fontFamily") != "", "no styles"
        assert page.evaluate(
            "document.querySelector('.navbar') === null || "
            "getComputedStyle(document.querySelector('.navbar')).display === 'flex'"
        ), "Bootstrap's stylesheet is not applied"

    return check

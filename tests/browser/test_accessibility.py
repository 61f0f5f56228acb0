"""Every main page, opened by the persona who uses it: axe-core finds no serious or critical
accessibility violation, and the W3C Nu validator finds no error in the HTML the server sent.
Both come from npm (axe-core, vnu-jar); the validator runs once, over every page."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.test_login import log_in
from tests.permission_matrix import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """axe-core is injected as an inline script, which the app's Content Security Policy
    refuses (as it should): this module's pages are opened with the policy bypassed."""
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pages_by_persona(world) -> dict[str | None, list[tuple[str, str]]]:
    """(name, path) of each main page, under the persona who uses it (None: signed out)."""
    plan, village, survey = world.plan, world.village, world.survey
    report = f"?plan={plan.number}&year=2025"
    return {
        None: [("login", "/login/")],
        "liaison": [
            ("home-liaison", "/"),
            ("my-villages", f"/assignments/mine/?plan={plan.pk}"),
            ("village-liaison", f"/villages/{village.pk}/"),
            ("statistics-liaison", f"/villages/{village.pk}/statistics/"),
            ("survey-liaison", f"/criteria/surveys/{survey.pk}/"),
        ],
        "commune": [
            ("home-commune", "/"),
            ("proposal-list-commune", "/assignments/proposals/?year=2025"),
        ],
        "viewer": [("home-viewer", "/"), ("dashboard-viewer", f"/reports/dashboard/{report}")],
        "staff": [
            ("home-staff", "/"),
            ("village-list", "/villages/"),
            ("village", f"/villages/{village.pk}/"),
            ("commune", f"/villages/communes/{world.commune.pk}/"),
            ("survey-list", "/criteria/surveys/?year=2025"),
            ("survey", f"/criteria/surveys/{survey.pk}/"),
            ("criteria-sets", "/criteria/sets/"),
            ("plan-list", "/assignments/plans/"),
            ("board", f"/assignments/plans/{plan.pk}/board/"),
            ("assign", f"/assignments/plans/{plan.pk}/assign/"),
            ("agency-list", "/assignments/agencies/"),
            ("proposal-list", "/assignments/proposals/?year=2025"),
            ("dashboard", f"/reports/dashboard/{report}"),
            ("map", f"/reports/map/{report}"),
            ("reports", f"/reports/{report}"),
            ("review", f"/reports/review/{report}"),
            ("security-log", "/security/log/"),
        ],
    }


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        targets: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))"""
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {', '.join(v['targets'])}"
        for v in violations
        if v["impact"] in BLOCKING
    ]


def validate(files: list[Path]) -> dict[str, list[str]]:
    """Errors of the Nu validator, by file name, in one Java run over every file."""
    run = subprocess.run(
        [shutil.which("java") or "java", "-jar", str(VNU), "--format", "json", "--stdout"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    errors: dict[str, list[str]] = {}
    for message in json.loads(run.stdout)["messages"]:
        if message.get("type") == "error" or message.get("subType") == "fatal":
            name = Path(message.get("url", "?")).stem
            line = message.get("lastLine", "?")
            errors.setdefault(name, []).append(
                f"line {line}: {message['message']} «{message.get('extract', '').strip()}»"
            )
    return errors


@pytest.mark.skipif(not shutil.which("java"), reason="Java runs the Nu validator")
def test_main_pages_are_accessible_and_valid(page, live_server, screenshot, tmp_path):
    world = build_world()
    html_dir = tmp_path / "html"
    html_dir.mkdir()
    files, axe_failures = [], {}
    for persona, pages in pages_by_persona(world).items():
        page.context.clear_cookies()
        if persona is not None:
            log_in(page, live_server, persona)
            page.wait_for_url(f"{live_server.url}/")
        for name, path in pages:
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, (name, path)
            files.append(html_dir / f"{name}.html")
            files[-1].write_text(response.text(), encoding="utf-8")
            if found := axe_violations(page):
                axe_failures[name] = found
            screenshot(f"a11y-{name}")
    html_errors = validate(files)
    report = [f"{name} (axe): {v}" for name, vs in axe_failures.items() for v in vs]
    report += [f"{name} (Nu): {e}" for name, es in html_errors.items() for e in es]
    assert not report, "\n".join(report)

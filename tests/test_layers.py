"""The layers of ARCHITECTURE.md hold because `make lint` runs import-linter on .importlinter.
These tests show that the check can fail: a copy of the code with upward imports added breaks
each contract, and the same copy without them keeps every contract."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dankhoeo.management.commands.import_graph import import_graph

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["dankhoeo", "villages", "criteria", "assignments", "reports"]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# Upward imports, at least one per contract (the first also breaks "villages imports no app
# above it"): (file, line added, what import-linter reports).
BAD_IMPORTS = [
    # the models are layered villages <- criteria <- assignments
    (
        "villages/models.py",
        "from criteria.models import Survey",
        "villages.models -> criteria.models",
    ),
    # the base imports no app
    ("dankhoeo/money.py", "import villages.models", "dankhoeo.money -> villages.models"),
    # no module imports a view
    (
        "criteria/services/surveys.py",
        "from criteria import views",
        "criteria.services.surveys -> criteria.views",
    ),
    # criteria uses only the models of assignments
    (
        "criteria/queries.py",
        "from assignments import queries",
        "criteria.queries -> assignments.queries",
    ),
    # reports is imported by no other app
    (
        "assignments/queries.py",
        "from reports import gathering",
        "assignments.queries -> reports.gathering",
    ),
]


@pytest.fixture
def code_copy(tmp_path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("templates", "static", "locale", "__pycache__", "*.md"),
        )
    shutil.copy(ROOT / ".importlinter", tmp_path)
    return tmp_path


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", "--no-logo"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )


def test_the_code_as_it_is_keeps_every_contract(code_copy):
    result = lint_imports(code_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_lint(code_copy):
    for path, line, _ in BAD_IMPORTS:
        with open(code_copy / path, "a") as module:
            module.write(f"\n{line}  # deliberately upward\n")
    result = lint_imports(code_copy)
    assert result.returncode != 0
    assert "Contracts: 0 kept, 5 broken." in result.stdout
    for path, _, reported in BAD_IMPORTS:
        assert reported in result.stdout, path


def test_the_import_graph_is_read_from_the_code():
    edges = import_graph(ROOT)
    assert ("criteria", "villages") in edges
    assert "criteria.models" in edges[("criteria", "villages")]
    assert ("villages", "criteria") not in edges
    assert not [edge for edge in edges if edge[0] == "dankhoeo (base)"]
    assert not [edge for edge in edges if edge[1] == "reports"]
    assert ("dankhoeo (project)", "assignments") in edges  # the access policy, the demo


def test_the_import_graph_draws_a_new_import(code_copy):
    with open(code_copy / "dankhoeo/money.py", "a") as module:
        module.write("\nfrom reports import charts\n")
    edges = import_graph(code_copy, level="module")
    assert ("dankhoeo.money", "reports.charts") in edges

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from dankhoeo.env import env_bool, env_database, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def run_python(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run Python in a fresh process with the environment given, as a server would start."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return run_python("manage.py", *args, **env)


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("0", False)])
def test_it_reads_booleans(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG") is expected


def test_it_refuses_a_malformed_boolean(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG='maybe' is not a boolean"):
        env_bool("X_FLAG")


def test_it_refuses_a_malformed_number(monkeypatch):
    monkeypatch.setenv("X_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_NUMBER='ten' is not a whole number"):
        env_int("X_NUMBER", 1)


def test_it_refuses_an_empty_list_item(monkeypatch):
    monkeypatch.setenv("X_HOSTS", "a.example,,b.example")
    with pytest.raises(ImproperlyConfigured, match="empty item"):
        env_list("X_HOSTS")


def test_it_refuses_a_database_that_is_not_postgres_or_sqlite(monkeypatch):
    monkeypatch.setenv("X_DB", "mysql://root@localhost/app")
    with pytest.raises(ImproperlyConfigured, match="postgres:// or sqlite://"):
        env_database("X_DB", "sqlite:///x.db")


def test_it_reads_a_postgres_url(monkeypatch):
    monkeypatch.setenv("X_DB", "postgres://app:secret@db.internal:5433/dankhoeo")
    config = env_database("X_DB", "sqlite:///x.db")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "dankhoeo")
    assert config["OPTIONS"]["options"] == "-c jit=off -c max_parallel_workers_per_gather=0"


def test_a_postgres_url_may_set_its_own_options(monkeypatch):
    monkeypatch.setenv("X_DB", "postgres://app@db/dankhoeo?options=-c%20statement_timeout%3D5000")
    assert env_database("X_DB", "sqlite:///x.db")["OPTIONS"]["options"] == (
        "-c statement_timeout=5000"
    )


def test_a_bad_value_stops_start_up_with_one_clear_line_and_no_traceback():
    result = run_manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "Configuration error: DEBUG='maybe' is not a boolean: use 1/0, true/false, yes/no."
    )


def test_production_without_a_secret_key_does_not_serve():
    result = run_python("-c", "import dankhoeo.wsgi", DEBUG="0")
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "Configuration error: The SECRET_KEY setting must not be empty."
    )
    deploy = run_manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0")
    assert deploy.returncode != 0
    assert "security.W009" in deploy.stderr


def test_commands_that_sign_nothing_run_without_a_secret_key():
    result = run_manage("makemigrations", "--check", "--dry-run", DEBUG="0")
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_the_deployment_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k8#Tq2!vX9pL3zR7wN4mB6yH1cF5dJ0sA8gE2uK7iO9-production-like",
        ALLOWED_HOSTS="dankhoeo.example.vn",
        SECURE_SSL_REDIRECT="1",
        SECURE_COOKIES="1",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout

"""The dashboard and the review come from the shared cache, and never show stale figures: an
approval, a reopening or a new resource shows at once, on this server and on any other."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from assignments.models import Resource, ResourceSource
from criteria import services
from criteria.models import Survey
from reports import caching

from .test_views import url

ROOT = Path(__file__).resolve().parents[2]


def reaching(page: str) -> str:
    return re.search(r'id="kpi-reaching">([^<]*)<', page).group(1).strip()


def test_the_cache_is_shared_by_every_server_never_one_process_memory():
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in (
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    )


def test_an_approval_and_a_reopening_show_on_the_dashboard_at_once(client_for, staff, known):
    client = client_for(staff)
    assert reaching(client.get(url("reports:dashboard")).content.decode()) == "1/4"
    assert reaching(client.get(url("reports:dashboard")).content.decode()) == "1/4"  # cached
    survey = Survey.objects.get(village=known.tu_tho, year=2025)
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CONFIRMED)
    services.survey_approve(user=staff, survey=survey)
    assert reaching(client.get(url("reports:dashboard")).content.decode()) == "2/4"
    services.survey_reopen(user=staff, survey=survey, reason="Sai số liệu")
    assert reaching(client.get(url("reports:dashboard")).content.decode()) == "1/4"


def test_a_new_resource_shows_on_the_dashboard_at_once(client_for, staff, known):
    client = client_for(staff)
    money = re.compile(r'id="kpi-money">([^<]*)<')
    assert money.search(client.get(url("reports:dashboard")).content.decode()).group(1) == (
        "3.750.000"
    )
    Resource.objects.create(
        plan=known.plan,
        agency=known.agency_a,
        village=known.dak_don,
        source=ResourceSource.objects.order_by("position").first(),
        kind=Resource.Kind.CASH,
        amount=7_777_777,
        received_on="2025-07-01",
    )
    assert money.search(client.get(url("reports:dashboard")).content.decode()).group(1) == (
        "11.527.777"
    )


def test_a_summary_is_gathered_once_while_nothing_changes(known, django_assert_num_queries):
    calls = []

    def compute():
        calls.append(1)
        return "figures"

    assert caching.cached(["t"], [1, 2], compute) == "figures"
    assert caching.cached(["t"], [2, 1], compute) == "figures"
    assert caching.cached(["t"], [1, 3], compute) == "figures"  # other villages: gathered
    assert len(calls) == 2
    caching.bump()
    caching.cached(["t"], [1, 2], compute)
    assert len(calls) == 3
    cache.delete(caching.GENERATION_KEY)  # emptied or evicted: a new token, never an old one
    caching.cached(["t"], [1, 2], compute)
    assert len(calls) == 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def two_servers(transactional_db):
    """Two gunicorn processes, each its own server, on the test database."""
    if connection.vendor != "postgresql":
        pytest.skip("two servers share a PostgreSQL database")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "DB_CONN_MAX_AGE": "0",
    }
    servers, processes = [], []
    for _ in range(2):
        port = _free_port()
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "dankhoeo.wsgi",
                    "-b",
                    f"127.0.0.1:{port}",
                    "--timeout",
                    "300",  # a loaded test machine: never a worker killed mid-request
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        servers.append(f"http://127.0.0.1:{port}")
    try:
        for server in servers:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"{server}/healthz", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
        yield servers
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


class Visitor:
    """One person's browser, logged in as ``user`` (the session lives in the shared database),
    visiting any of the servers."""

    def __init__(self, client, user):
        client.force_login(user)
        self.cookies = {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value
        }

    def open(self, address: str, data: dict | None = None) -> str:
        request = urllib.request.Request(
            address,
            data=urllib.parse.urlencode(data).encode() if data is not None else None,
            headers={"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())},
        )
        with urllib.request.urlopen(request) as response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, value = header.split(";")[0].split("=", 1)
                self.cookies[name] = value
            return response.read().decode()


@pytest.mark.django_db(transaction=True)  # the reference data is put back (tests/conftest.py)
def test_an_approval_on_one_server_shows_on_the_dashboard_of_the_other(
    two_servers, client, staff, known
):
    first, second = two_servers
    visitor = Visitor(client, staff)
    dashboard = url("reports:dashboard")
    assert reaching(visitor.open(f"{second}{dashboard}")) == "1/4"
    assert reaching(visitor.open(f"{first}{dashboard}")) == "1/4"
    survey = Survey.objects.get(village=known.tu_tho, year=2025)
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CONFIRMED)
    page = visitor.open(f"{first}/criteria/surveys/{survey.pk}/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    visitor.open(
        f"{first}/criteria/surveys/{survey.pk}/approve/",
        {"csrfmiddlewaretoken": token, "reason": ""},
    )
    assert Survey.objects.get(pk=survey.pk).status == Survey.Status.APPROVED
    assert reaching(visitor.open(f"{second}{dashboard}")) == "2/4"


def test_figures_cached_by_another_version_of_the_code_are_not_read(db, monkeypatch):
    """After a deploy, what the old code cached (classes since moved or changed) is gathered
    again rather than unpickled into the new code."""
    computed = []

    def compute():
        computed.append(1)
        return {"villages": len(computed)}

    assert caching.cached(["test"], [1, 2], compute) == {"villages": 1}
    assert caching.cached(["test"], [1, 2], compute) == {"villages": 1}  # from the cache
    monkeypatch.setattr(caching, "code_version", lambda: "another-version")
    assert caching.cached(["test"], [1, 2], compute) == {"villages": 2}


def test_an_entry_that_cannot_be_unpickled_counts_as_missing(db, monkeypatch):
    caching.cached(["test-stale"], [3], lambda: "old")

    read = caching.cache.get

    def stale(key, *args, **kwargs):
        if key == caching.GENERATION_KEY:
            return read(key, *args, **kwargs)
        raise AttributeError("Can't get attribute 'TeamMember' on <module 'assignments.models'>")

    monkeypatch.setattr(caching.cache, "get", stale)
    assert caching.cached(["test-stale"], [3], lambda: "gathered again") == "gathered again"


def test_a_transaction_replaces_the_token_once_however_many_rows_it_writes(db, monkeypatch):
    """An import of many rows bumps once now and once at its commit, not twice per row; a bump
    in a savepoint rolled back since does not count, so the next write bumps again."""
    from django.db import transaction

    replaced = []
    replace = caching._replace

    def counted():
        replaced.append(1)
        replace()

    monkeypatch.setattr(caching, "_replace", counted)
    with transaction.atomic():
        for _ in range(50):
            with transaction.atomic():  # a savepoint per row, as the imports' services make
                caching.bump()
        assert len(replaced) == 1
    # pytest-django's test transaction is the outer one: commit hooks are counted, not run
    assert sum(hook is caching._replace for _, hook, _ in connection.run_on_commit) == 1

    connection.run_on_commit.clear()
    replaced.clear()
    with transaction.atomic():
        try:
            with transaction.atomic():
                caching.bump()
                raise RuntimeError
        except RuntimeError:
            pass
        caching.bump()  # the first bump and its hook were rolled back
        caching.bump()
    assert len(replaced) == 2
    assert sum(hook is caching._replace for _, hook, _ in connection.run_on_commit) == 1

    connection.run_on_commit.clear()
    replaced.clear()
    with transaction.atomic():
        caching.bump()
        caching.generation()  # a page read in the same transaction, between two changes
        caching.bump()  # so what it filed must not be read again
    assert len(replaced) == 2


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_every_change_replaces_the_token():
    before = caching.generation()
    caching.bump()
    middle = caching.generation()
    caching.bump()
    assert len({before, middle, caching.generation()}) == 3

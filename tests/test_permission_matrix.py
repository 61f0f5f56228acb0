"""Every URL of the app × every persona, read and write: the expected outcomes are the table
in tests/permission_matrix.py. A URL missing from the table fails ``test_every_url_is_in_the
_matrix``; a cell that does not match fails that URL's test with the whole row shown."""

import copy

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dankhoeo.access import villages_visible_to
from tests.permission_matrix import (
    BAD,
    CONFLICT,
    DENIED,
    HIDDEN,
    LOGIN,
    MATRIX,
    OK,
    PERSONAS,
    REFUSED,
    WRONG_METHOD,
    build_world,
    url_arguments,
    url_post_data,
)

pytestmark = pytest.mark.django_db

# Not in the matrix, on purpose: Django admin's own pages (its own is_staff check), the
# admin's login URL, which only redirects to the app's login page, and the JSON API (token,
# not session: tests/api/test_api_matrix.py holds its own matrix). There are no static or media
# URL patterns: WhiteNoise serves /static/ and uploaded files go through views in the matrix.
SKIPPED_NAMESPACES = {"admin", "api-v1"}
SKIPPED_ROUTES = {"admin/login/"}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, namespace, entry.name


def app_url_names() -> set[str]:
    """Every URL pattern of the app by name; an unnamed one by its route, so that it cannot
    escape the matrix."""
    names = set()
    for route, namespace, name in _walk(get_resolver().url_patterns):
        if namespace.split(":")[0] in SKIPPED_NAMESPACES or route in SKIPPED_ROUTES:
            continue
        names.add(f"{namespace}{name}" if name else f"<unnamed {route}>")
    return names


def outcome(response) -> str:
    status = response.status_code
    if status == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    if status in (200, 302):
        return OK
    codes = {400: BAD, 403: DENIED, 404: HIDDEN, 405: WRONG_METHOD, 409: CONFLICT}
    return codes.get(status, f"status {status}")


APP_LABELS = ("dankhoeo", "villages", "criteria", "assignments", "reports")


def fingerprint() -> dict[str, str]:
    """A digest of every row of every table of the app (one query)."""
    tables = sorted(
        model._meta.db_table
        for label in APP_LABELS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.proxy
    )
    digest = "md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), ''))"
    sql = " UNION ALL ".join(
        f"SELECT '{table}', {digest} FROM {connection.ops.quote_name(table)} t" for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for the module, in a transaction rolled back at the end; each test runs in a
    savepoint inside it, and each request in another, so no write outlives its request."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("media")
    with (
        override_settings(PASSWORD_HASHERS=fast, MEDIA_ROOT=media),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        built = build_world()
        clients = {"anonymous": Client()}
        for persona, user in built.users.items():
            clients[persona] = Client()
            clients[persona].force_login(user)
        yield built, clients, fingerprint()
        transaction.set_rollback(True)


def request(client: Client, method: str, url: str, data=None, *, unchanged=None):
    """A request whose writes are rolled back and whose cookies (a logout, a language, a
    message) are forgotten, so that the next request starts from the same state. With
    ``unchanged`` (a ``fingerprint()``), a refused request must have changed no table: the
    result is (outcome, names of the tables it changed). A signed-in user sent to the login
    page has signed out (logout), which is not a refusal."""
    cookies = copy.deepcopy(client.cookies)
    signed_in = "_auth_user_id" in client.session
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, data or {})
            result = outcome(response)
            changed = []
            signed_out = result == LOGIN and signed_in
            if unchanged is not None and result in REFUSED and not signed_out:
                after = fingerprint()
                changed = sorted(t for t, digest in after.items() if unchanged[t] != digest)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return result, changed


def test_every_url_is_in_the_matrix():
    rows = {name.split("~")[0] for name in MATRIX}
    assert app_url_names() - rows == set(), "add these URLs to tests/permission_matrix.py"
    assert rows - app_url_names() == set(), "these URLs no longer exist"


def test_the_skipped_patterns_are_only_the_admin():
    skipped = {
        route
        for route, namespace, _name in _walk(get_resolver().url_patterns)
        if namespace.split(":")[0] in SKIPPED_NAMESPACES or route in SKIPPED_ROUTES
    }
    assert skipped and all(route.startswith(("admin/", "api/v1/")) for route in skipped)


def _cell(read, write) -> str:
    return f"{read}/{write or '-'}"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(world, name):
    built, clients, before = world
    kwargs, query = url_arguments(built).get(name, ({}, ""))
    data = url_post_data(built).get(name)
    url = reverse(name.split("~")[0], kwargs=kwargs) + query
    mismatches, got_row, seen_405 = [], [], set()
    for persona in PERSONAS:
        expected = MATRIX[name][persona]
        got = []
        for method, wanted, body in zip(("get", "post"), expected, (None, data), strict=True):
            if wanted is None or (wanted == WRONG_METHOD and method in seen_405):
                got.append(wanted)  # no write to test, or a 405 already seen in this row
                continue
            result, changed = request(clients[persona], method, url, body, unchanged=before)
            if result == WRONG_METHOD:
                seen_405.add(method)
            if changed:
                mismatches.append(f"{persona}: a refused {method} changed {changed}")
            got.append(result)
        got_row.append(_cell(*got))
        if tuple(got) != expected:
            mismatches.append(f"{persona}: expected {_cell(*expected)}, got {_cell(*got)}")
    actual = f"{name:<42}" + "".join(f"{cell:<9}" for cell in got_row).rstrip()
    assert not mismatches, f"{url}\n" + "\n".join(mismatches) + f"\nactual row:\n{actual}"


def test_the_outsiders_really_are_outside(world):
    """The 404s above mean something only if the outsiders see their own village."""
    built, clients, _before = world
    for persona in ("other_liaison", "other_commune"):
        assert request(clients[persona], "get", reverse("villages:list"))[0] == OK
        visible = villages_visible_to(built.users[persona])
        assert visible.exists() and not visible.filter(pk=built.village.pk).exists()


def test_a_refused_write_that_changed_a_table_would_be_caught(world):
    """The fingerprint sees a change of one value in one row (the check above can fail)."""
    built, _clients, before = world
    with transaction.atomic():
        type(built.lead.model).objects.filter(pk=built.lead.model.pk).update(stage="launched")
        changed = {t for t, digest in fingerprint().items() if before[t] != digest}
        transaction.set_rollback(True)
    assert changed == {built.lead.model._meta.db_table}

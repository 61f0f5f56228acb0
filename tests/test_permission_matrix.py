"""Every URL of the app × every persona, read and write: the expected outcomes are the table
in tests/permission_matrix.py. A URL missing from the table fails ``test_every_url_is_in_the
_matrix``; a cell that does not match fails that URL's test with the whole row shown."""

import copy

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.permission_matrix import (
    DENIED,
    HIDDEN,
    LOGIN,
    MATRIX,
    OK,
    PERSONAS,
    WRONG_METHOD,
    build_world,
    url_arguments,
    url_post_data,
)

pytestmark = pytest.mark.django_db

# Not in the matrix, on purpose: Django admin's own pages (its own is_staff check) and the
# admin's login URL, which only redirects to the app's login page. There are no static or media
# URL patterns: WhiteNoise serves /static/ and uploaded files go through views in the matrix.
SKIPPED_NAMESPACES = {"admin"}
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
    if status in (200, 302, 400, 409):
        return OK
    return {403: DENIED, 404: HIDDEN, 405: WRONG_METHOD}.get(status, f"status {status}")


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
        yield built, clients
        transaction.set_rollback(True)


def request(client: Client, method: str, url: str, data=None):
    """A request whose writes are rolled back and whose cookies (a logout, a language, a
    message) are forgotten, so that the next request starts from the same state."""
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, data or {})
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response


def test_every_url_is_in_the_matrix():
    assert app_url_names() - set(MATRIX) == set(), "add these URLs to tests/permission_matrix.py"
    assert set(MATRIX) - app_url_names() == set(), "these URLs no longer exist"


def test_the_skipped_patterns_are_only_the_admin():
    skipped = {
        route
        for route, namespace, _name in _walk(get_resolver().url_patterns)
        if namespace.split(":")[0] in SKIPPED_NAMESPACES or route in SKIPPED_ROUTES
    }
    assert skipped and all(route.startswith("admin/") for route in skipped)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(world, name):
    built, clients = world
    kwargs, query = url_arguments(built).get(name, ({}, ""))
    data = url_post_data(built).get(name)
    url = reverse(name, kwargs=kwargs) + query
    mismatches = []
    for persona in PERSONAS:
        expected_read, expected_write = MATRIX[name][persona]
        got_read = outcome(request(clients[persona], "get", url))
        got_write = (
            outcome(request(clients[persona], "post", url, data))
            if expected_write is not None
            else None
        )
        if (got_read, got_write) != (expected_read, expected_write):
            mismatches.append(
                f"{persona}: expected {expected_read}/{expected_write}, got {got_read}/{got_write}"
            )
    assert not mismatches, f"{url}\n" + "\n".join(mismatches)


def test_the_outsiders_really_are_outside(world):
    """The 404s above mean something only if the outsiders see their own village."""
    built, clients = world
    for persona in ("other_liaison", "other_commune"):
        assert outcome(request(clients[persona], "get", reverse("villages:list"))) == OK
        user = built.users[persona]
        from dankhoeo.access import villages_visible_to

        visible = villages_visible_to(user)
        assert visible.exists() and not visible.filter(pk=built.village.pk).exists()

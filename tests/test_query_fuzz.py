"""No query string can make a 5xx: every URL of the app, read by staff and by a liaison, with
each query parameter that a view reads set to malformed values. The parameters are found in
the apps' source (``request.GET.get("year")``, ``query_int(request.GET, "plan", ...)``) and in
the filter forms, so a new one is fuzzed without a change here."""

import copy
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from dankhoeo.forms import AuditEventFilter
from tests.permission_matrix import MATRIX, OK, url_arguments
from tests.test_permission_matrix import world  # noqa: F401  (world is a fixture)
from villages.forms import VillageFilterForm

pytestmark = pytest.mark.django_db

APPS = ("assignments", "criteria", "dankhoeo", "reports", "villages")
READS = re.compile(
    r"""GET\.get\(\s*["'](\w+)["']|GET\[["'](\w+)["']\]|query_int\(\s*\w+(?:\.GET)?,\s*["'](\w+)["']"""
)
# "" leaves every parameter at its default, which the permission matrix already requests.
MALFORMED = ["²", "-1", "abc", "99999999999999999999", "%00", "\x00", "\x01", "9" * 3000]


def status_of(client, address: str) -> int:
    """GET in a transaction rolled back, the client's cookies kept as they were."""
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            status = client.get(address).status_code
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return status


def parameters_read() -> set[str]:
    names = set()
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            for match in READS.finditer(path.read_text(encoding="utf-8")):
                names.add(next(group for group in match.groups() if group))
    names |= set(VillageFilterForm.base_fields) | set(AuditEventFilter.base_filters)
    return names


def test_the_parameters_are_found():
    assert {"year", "plan", "province", "survey", "page", "scope", "since"} <= parameters_read()


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_no_malformed_query_string_is_a_server_error(world, name):  # noqa: F811
    """Each request sets every parameter to the same malformed value (one request per value
    keeps the suite fast); pages a persona may not read are skipped."""
    built, clients, *_ = world
    kwargs, _query = url_arguments(built).get(name, ({}, ""))
    url = reverse(name.split("~")[0], kwargs=kwargs)
    parameters = sorted(parameters_read())
    failures = []
    for persona in ("staff", "liaison"):
        if MATRIX[name][persona][0] != OK:
            continue
        for value in MALFORMED:
            address = f"{url}?{urlencode(dict.fromkeys(parameters, value))}"
            status = status_of(clients[persona], address)
            if status >= 500:
                failures.append(f"{persona} {value[:20]!r}: {status}")
    assert not failures, url + "\n" + "\n".join(failures)

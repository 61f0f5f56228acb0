"""No JSON body can make a 5xx or store poison: every POST and PUT of the API, its valid body
with each key in turn set to malformed values (the form fuzz's, and JSON's own: null, a list,
an object, a boolean, numbers past any bound) or left out. A refusal changes no table; a write
accepted stores no control character. The world is the permission matrix's (each request rolled
back)."""

import copy
import json

import pytest
from django.db import transaction
from django.test import override_settings

from dankhoeo import tokens
from tests.form_fuzz import HUGE_TEXT, POISON_TEXT, poisoned_rows
from tests.test_permission_matrix import fingerprint, world  # noqa: F401  (world is a fixture)

pytestmark = pytest.mark.django_db

ABSENT = object()
# Python values sent as JSON; "1e309" and "NaN" are also sent as bare JSON numbers, which a
# JSON parser reads as infinity and not-a-number.
VALUES = [
    None,
    True,
    [],
    {},
    "",
    -1,
    10**30,
    1.5,
    "9" * 3000,
    "1e309",
    "١٢",
    "\x00",
    POISON_TEXT,
    HUGE_TEXT,
    "2025-02-30",
    "9999-12-31",
    ABSENT,
]
BARE = ["1e309", "NaN"]  # written into the JSON text as they are


def bodies(w) -> list[tuple[str, str, str, dict]]:
    """(persona, method, URL, valid body) of every write of the API, in the order of
    ``WRITES``."""
    lead = w.lead
    value = w.survey.values.select_related("indicator").first()
    work = {"plan": w.plan.pk, "village": w.village.pk, "agency": w.agency.pk}
    activity = {
        "held_on": "2025-03-01",
        "kind": "propaganda",
        "description": "Tuyên truyền",
        "people_reached": 10,
        "households_reached": 5,
    }
    resource = {
        "source": lead.resource.source_id,
        "kind": "cash",
        "amount": 1000,
        "received_on": "2025-03-02",
        "contributor": "Nhà hảo tâm",
        "households_benefiting": 1,
        "criterion": None,
        "description": "",
    }
    proposal = {
        "title": "Đường",
        "content": "Cần làm đường",
        "addressed_to": "commune",
        "addressed_agency": None,
        "due_on": None,
    }
    return [
        ("liaison", "post", "/api/v1/surveys", {"village": w.village.pk, "year": 2024}),
        (
            "liaison",
            "post",
            f"/api/v1/surveys/{w.survey.pk}/values",
            {
                "version": w.survey.version,
                "values": [{"indicator": value.indicator_id, "value": None, "note": "Ghi chú"}],
                "reason": "",
            },
        ),
        (
            "liaison",
            "post",
            f"/api/v1/surveys/{w.survey.pk}/transitions",
            {"action": "submit", "reason": ""},
        ),
        ("liaison", "post", "/api/v1/activities", {**work, **activity}),
        ("liaison", "post", "/api/v1/resources", {**work, **resource}),
        ("liaison", "post", "/api/v1/proposals", {**work, **proposal}),
        (
            "liaison",
            "put",
            f"/api/v1/activities/{lead.activity.pk}",
            {"agency": w.agency.pk, "version": lead.activity.version, **activity},
        ),
        (
            "liaison",
            "put",
            f"/api/v1/resources/{lead.resource.pk}",
            {"agency": w.agency.pk, "version": lead.resource.version, **resource},
        ),
        (
            "commune",
            "post",
            f"/api/v1/proposals/{lead.proposal.pk}/transitions",
            {"action": "start", "answer": "Đang xử lý", "due_on": "2025-05-01"},
        ),
    ]


def _variants(body: dict):
    """(what, JSON text) for each key in turn (an item of a list of objects, too) set to each
    malformed value."""
    for key, original in body.items():
        if isinstance(original, list) and original and isinstance(original[0], dict):
            for inner in original[0]:
                for value in VALUES:
                    item = dict(original[0])
                    if value is ABSENT:
                        del item[inner]
                    else:
                        item[inner] = value
                    yield f"{key}[0].{inner}={value!r:.30}", json.dumps({**body, key: [item]})
        for value in VALUES:
            changed = dict(body)
            if value is ABSENT:
                del changed[key]
            else:
                changed[key] = value
            yield f"{key}={value!r:.30}", json.dumps(changed)
        for bare in BARE:
            text = json.dumps({**body, key: "@@"}).replace('"@@"', bare)
            yield f"{key}={bare} (bare)", text


WRITES = [
    "start a survey",
    "save survey values",
    "move a survey",
    "record an activity",
    "record a resource",
    "raise a proposal",
    "correct an activity",
    "correct a resource",
    "answer a proposal",
]


@override_settings(API_RATE_LIMIT=100_000)
@pytest.mark.parametrize("write", WRITES)
def test_no_malformed_json_body_is_a_server_error(world, write):  # noqa: F811
    built, clients, _before = world
    persona, method, url, body = bodies(built)[WRITES.index(write)]
    _token, raw = tokens.api_token_create(user=built.users[persona], name="fuzz")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    before = fingerprint()  # with the token
    client = clients["anonymous"]
    failures = []
    for what, text in _variants(body):
        cookies = copy.deepcopy(client.cookies)
        try:
            with transaction.atomic():
                response = getattr(client, method)(
                    url, text, content_type="application/json", **auth
                )
                changed = sorted(t for t, d in fingerprint().items() if before[t] != d)
                changed = [t for t in changed if t != "dankhoeo_apitoken"]  # last used
                poison = {t: n for t, n in poisoned_rows(changed).items() if n}
                transaction.set_rollback(True)
        except Exception as error:  # the test client re-raises what the view raised
            failures.append(f"{what}: raised {error!r:.300}")
            continue
        finally:
            client.cookies = cookies
        status = response.status_code
        if status >= 500:
            failures.append(f"{what}: status {status} {response.content[:200]!r}")
        elif status >= 400 and changed:
            failures.append(f"{what}: refused ({status}) but changed {changed}")
        elif poison:
            failures.append(f"{what}: stored control characters in {poison}")
    assert not failures, f"{method.upper()} {url}\n" + "\n".join(failures)

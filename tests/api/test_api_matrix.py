"""Every endpoint of /api/v1/ × every persona, through a token: the status, and for lists how
many items the persona gets. The world is the web matrix's (tests/permission_matrix.py): the
liaisons of the lead, the supporting and another agency, the officers of the village's and of
another commune, a viewer, staff and a superuser; every request is rolled back."""

import datetime

import pytest
from django.db import transaction
from django.test import Client, override_settings

from assignments.models import Activity, Proposal, Resource, ResourceSource
from dankhoeo import tokens
from dankhoeo.api import api
from tests.permission_matrix import build_world

pytestmark = pytest.mark.django_db

PERSONAS = (
    "anonymous",
    "revoked",
    "other_liaison",
    "liaison",
    "support",
    "other_commune",
    "commune",
    "viewer",
    "staff",
    "superuser",
)

# One row per endpoint: a cell is the status, or "200:n" for a list of n items. The world has
# two villages: the assigned one (the liaison's agency leads, the supporting agency supports,
# the commune officer's commune) and the outsiders' one. "revoked" holds a revoked token. The
# assigned village has one more proposal, addressed to the province (the web matrix's
# "~province" row: a commune officer reads it and may not answer it), and the commune has a
# third village whose lead agency's assignment ended (read, not written: the "~ended" rows).
TABLE = """
#                               anon rev  o.lia lia   sup   o.com com   view  staff super
GET /units                      401  401  200:* 200:* 200:* 200:* 200:* 200:* 200:* 200:*
GET /units/{unit}               401  401  200   200   200   200   200   200   200   200
GET /villages                   401  401  200:1 200:2 200:1 200:1 200:2 200:3 200:3 200:3
GET /villages/{village}         401  401  404   200   200   404   200   200   200   200
GET /plans                      401  401  200:1 200:1 200:1 200:1 200:1 200:1 200:1 200:1
GET /plans/{plan}               401  401  200   200   200   200   200   200   200   200
GET /agencies                   401  401  200:3 200:3 200:3 200:3 200:3 200:3 200:3 200:3
GET /agencies/{agency}          401  401  200   200   200   200   200   200   200   200
GET /assignments                401  401  200:1 200:3 200:2 200:1 200:3 200:4 200:4 200:4
GET /teams                      401  401  200:1 200:1 200:1 200:1 200:1 200:2 200:2 200:2
GET /teams/{team}               401  401  404   200   200   404   200   200   200   200
GET /criteria-sets              401  401  200:* 200:* 200:* 200:* 200:* 200:* 200:* 200:*
GET /criteria-sets/{set}        401  401  200   200   200   200   200   200   200   200
GET /surveys                    401  401  200:1 200:1 200:1 200:1 200:1 200:2 200:2 200:2
GET /surveys/{survey}           401  401  404   200   200   404   200   200   200   200
POST /surveys                   401  401  404   201   201   404   403   403   201   201
POST /surveys/{survey}/values   401  401  404   200   200   404   403   403   200   200
POST /surveys/{survey}/transitions 401 401 404  409   403   404   403   403   409   409
GET /activities                 401  401  200:1 200:2 200:2 200:1 200:2 200:3 200:3 200:3
GET /activities/{activity}      401  401  404   200   200   404   200   200   200   200
POST /activities                401  401  404   201   201   404   403   403   201   201
PUT /activities/{activity}      401  401  404   200   403   404   403   403   200   200
DELETE /activities/{activity}   401  401  404   204   403   404   403   403   204   204
GET /resources                  401  401  200:1 200:2 200:2 200:1 200:2 200:3 200:3 200:3
GET /resources/{resource}       401  401  404   200   200   404   200   200   200   200
POST /resources                 401  401  404   201   201   404   403   403   201   201
PUT /resources/{resource}       401  401  404   200   403   404   403   403   200   200
DELETE /resources/{resource}    401  401  404   204   403   404   403   403   204   204
GET /proposals                  401  401  200:1 200:3 200:3 200:1 200:3 200:4 200:4 200:4
GET /proposals/{proposal}       401  401  404   200   200   404   200   200   200   200
POST /proposals                 401  401  404   201   201   404   403   403   201   201
POST /proposals/{proposal}/transitions 401 401 404 403 403  404   200   403   200   200
GET /models                     401  401  200:1 200:2 200:2 200:1 200:2 200:3 200:3 200:3
GET /models/{model}             401  401  404   200   200   404   200   200   200   200
"""


def _rows():
    rows = {}
    for line in TABLE.strip().splitlines():
        if line.startswith("#"):
            continue
        method, path, *cells = line.split()
        assert len(cells) == len(PERSONAS), line
        rows[f"{method} {path}"] = dict(zip(PERSONAS, cells, strict=True))
    return rows


ROWS = _rows()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        override_settings(PASSWORD_HASHERS=fast, MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        w = build_world()
        headers = {"anonymous": {}}
        for persona, user in w.users.items():
            _token, raw = tokens.api_token_create(user=user, name="matrix")
            headers[persona] = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        revoked, raw = tokens.api_token_create(user=w.users["liaison"], name="old")
        tokens.api_token_revoke(actor=w.users["liaison"], token=revoked)
        headers["revoked"] = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        yield w, headers
        transaction.set_rollback(True)


def _agency_of(w, persona):
    return {"support": "SHT"}.get(persona, "SPC")


def _request(w, persona, method, path, headers):
    """The request a persona makes: paths name the assigned side of the world; writes carry
    a valid body, with the persona's own agency where there is one."""
    from assignments.models import Agency

    agency = Agency.objects.get(code=_agency_of(w, persona)).pk
    names = {
        "{unit}": w.commune.pk,
        "{village}": w.village.pk,
        "{plan}": w.plan.pk,
        "{agency}": w.agency.pk,
        "{team}": w.lead.team_member.team_id,
        "{set}": w.criteria_set.pk,
        "{survey}": w.survey.pk,
        "{activity}": w.lead.activity.pk,
        "{resource}": w.lead.resource.pk,
        "{proposal}": w.lead.proposal.pk,
        "{model}": w.lead.model.pk,
    }
    for name, pk in names.items():
        path = path.replace(name, str(pk))
    work = {"plan": w.plan.pk, "village": w.village.pk, "agency": agency}
    bodies = {
        "/surveys/{survey}/values".replace("{survey}", str(w.survey.pk)): {
            "version": w.survey.version,
            "values": [{"indicator": w.indicator.pk, "note": "ghi chú"}],
        },
        f"/surveys/{w.survey.pk}/transitions": {"action": "submit"},
        "/surveys": {"village": w.village.pk, "year": 2024},
        "/activities": {
            **work,
            "held_on": "2025-05-01",
            "kind": Activity.Kind.PROPAGANDA,
            "description": "Họp dân",
        },
        "/resources": {
            **work,
            "source": ResourceSource.objects.order_by("position").first().pk,
            "kind": Resource.Kind.CASH,
            "amount": 500000,
            "received_on": "2025-05-02",
        },
        f"/proposals/{w.lead.proposal.pk}/transitions": {"action": "forward"},
        "/proposals": {
            **work,
            "title": "Nước sạch",
            "content": "Cần giếng",
            "addressed_to": Proposal.Addressee.COMMUNE,
            "due_on": str(datetime.date.today() + datetime.timedelta(days=30)),
        },
    }
    source = ResourceSource.objects.order_by("position").first().pk
    corrections = {  # the lead agency's records, corrected as the persona's own agency
        f"/activities/{w.lead.activity.pk}": {
            "agency": agency,
            "version": w.lead.activity.version,
            "held_on": "2025-05-01",
            "kind": Activity.Kind.PROPAGANDA,
            "description": "Họp dân (sửa)",
        },
        f"/resources/{w.lead.resource.pk}": {
            "agency": agency,
            "version": w.lead.resource.version,
            "source": source,
            "kind": Resource.Kind.CASH,
            "amount": 600000,
            "received_on": "2025-05-02",
        },
    }
    client = Client()
    with transaction.atomic():
        if method == "GET":
            response = client.get(f"/api/v1{path}", **headers)
        elif method == "DELETE":
            response = client.delete(f"/api/v1{path}", **headers)
        elif method == "PUT":
            response = client.put(
                f"/api/v1{path}", corrections[path], content_type="application/json", **headers
            )
        else:
            response = client.post(
                f"/api/v1{path}", bodies[path], content_type="application/json", **headers
            )
        transaction.set_rollback(True)
    return response


def _outcome(response, expected: str) -> str:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    status = str(response.status_code)
    if ":" in expected and response.status_code == 200:
        count = response.json()["count"]
        return f"{status}:{'*' if expected.endswith('*') and count else count}"
    return status


def test_every_endpoint_is_in_the_matrix():
    schema = api.get_openapi_schema()
    operations = {
        f"{method.upper()} {path.removeprefix('/api/v1')}"
        for path, methods in schema["paths"].items()
        for method in methods
    }
    rows = {key.split("{")[0] for key in ROWS}
    assert {op.split("{")[0] for op in operations} == rows


@pytest.mark.parametrize("endpoint", list(ROWS))
def test_api_permission_matrix(world, endpoint):
    w, headers = world
    method, path = endpoint.split(" ", 1)
    mismatches = []
    for persona, expected in ROWS[endpoint].items():
        response = _request(w, persona, method, path, headers[persona])
        got = _outcome(response, expected)
        if got != expected:
            mismatches.append(f"{persona}: expected {expected}, got {got} {response.content[:300]}")
    assert not mismatches, endpoint + "\n" + "\n".join(mismatches)

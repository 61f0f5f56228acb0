"""Corrections and deletions of activities and resources, and answers to proposals, through the
API: the web's forms and services, so the version check (409), the refusals (400) and the
history are the web's."""

import pytest

from assignments.models import Activity, Proposal, Resource, ResourceSource
from dankhoeo.models import AuditEvent
from tests.api.test_api import bearer, post
from tests.permission_matrix import build_world

pytestmark = pytest.mark.django_db


def put(client, url, data, auth):
    return client.put(url, data, content_type="application/json", **auth)


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


def test_a_liaison_corrects_an_activity_and_a_stale_version_is_a_409(client, world):
    activity = world.lead.activity
    auth = bearer(world.users["liaison"])
    body = {
        "agency": activity.agency_id,
        "version": activity.version,
        "held_on": "2025-05-01",
        "kind": Activity.Kind.PROPAGANDA,
        "description": "Họp dân, sửa lại",
        "people_reached": 40,
    }
    saved = put(client, f"/api/v1/activities/{activity.pk}", body, auth)
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == activity.version + 1
    assert saved.json()["people_reached"] == 40
    stale = put(client, f"/api/v1/activities/{activity.pk}", {**body, "people_reached": 1}, auth)
    assert stale.status_code == 409
    assert "tải lại" in stale.json()["detail"]
    activity.refresh_from_db()
    assert (activity.people_reached, activity.description) == (40, "Họp dân, sửa lại")
    assert activity.history.count() >= 2  # the web's history keeps both versions
    assert AuditEvent.objects.filter(detail__contains=f"activity {activity.pk} corrected").exists()


def test_a_bad_value_is_a_400_naming_the_field_and_nothing_changes(client, world):
    resource = world.lead.resource
    auth = bearer(world.users["liaison"])
    body = {
        "agency": resource.agency_id,
        "version": resource.version,
        "source": ResourceSource.objects.order_by("position").first().pk,
        "kind": Resource.Kind.CASH,
        "amount": 0,
        "received_on": "2025-05-02",
    }
    refused = put(client, f"/api/v1/resources/{resource.pk}", body, auth)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "amount"
    before = resource.amount
    resource.refresh_from_db()
    assert (resource.amount, resource.version) == (before, body["version"])


def test_deleting_needs_the_right_to_change_the_record(client, world):
    resource = world.lead.resource
    refused = client.delete(f"/api/v1/resources/{resource.pk}", **bearer(world.users["support"]))
    assert refused.status_code == 403
    assert Resource.objects.filter(pk=resource.pk).exists()
    deleted = client.delete(f"/api/v1/resources/{resource.pk}", **bearer(world.users["liaison"]))
    assert deleted.status_code == 204
    assert not Resource.objects.filter(pk=resource.pk).exists()
    again = client.delete(f"/api/v1/resources/{resource.pk}", **bearer(world.users["liaison"]))
    assert again.status_code == 404


def test_a_proposal_is_answered_step_by_step_by_those_who_answer_it(client, world):
    proposal = world.lead.proposal
    commune, staff = bearer(world.users["commune"]), bearer(world.users["staff"])
    url = f"/api/v1/proposals/{proposal.pk}/transitions"
    assert (
        post(client, url, {"action": "forward"}, bearer(world.users["liaison"])).status_code == 403
    )
    forwarded = post(client, url, {"action": "forward"}, commune)
    assert forwarded.status_code == 200, forwarded.content
    assert forwarded.json()["status"] == Proposal.Status.FORWARDED
    # forwarded to the province, it is no longer the commune's to answer (as on the web)
    assert post(client, url, {"action": "resolve", "answer": "x"}, commune).status_code == 403
    assert post(client, url, {"action": "forward"}, staff).status_code == 409  # state refuses
    unanswered = post(client, url, {"action": "resolve"}, staff)
    assert unanswered.status_code == 400
    assert unanswered.json()["errors"][0]["field"] == "answer"
    resolved = post(client, url, {"action": "resolve", "answer": "Xã đã khoan giếng"}, staff)
    assert resolved.status_code == 200
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer) == (Proposal.Status.RESOLVED, "Xã đã khoan giếng")
    assert post(client, url, {"action": "fly"}, staff).status_code == 400

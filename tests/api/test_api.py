"""The API from a client's side: the demo liaison's token, the round trip between the API and
the survey page, the version check, the errors and the limits, the OpenAPI document."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openapi_spec_validator import validate

from criteria.models import Survey, SurveyValue
from dankhoeo import tokens
from dankhoeo.access import villages_visible_to
from dankhoeo.models import AuditEvent, User
from tests.conftest import make_user
from tests.factories import assign, commune, join, make_agency, make_plan, make_village
from villages.models import Village

pytestmark = pytest.mark.django_db


def bearer(user: User) -> dict:
    _token, raw = tokens.api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, url, data, auth):
    return client.post(url, data, content_type="application/json", **auth)


@pytest.fixture
def liaison_world(db):
    from criteria.models import CriteriaSet

    criteria_set = CriteriaSet.objects.get(code="KT-147-2022", version=1)
    plan = make_plan("133-KH/TU", criteria_set=criteria_set, period_start=2021, period_end=2026)
    agency = make_agency("Sở Được Phân Công", code="SPC")
    village = make_village("Làng Được Giúp", commune_unit=commune("23407"), code="MX01")
    assign(agency, village, plan)
    plan.villages.add(village)
    user = make_user("lienlac", User.Role.LIAISON, first_name="Liên", last_name="Lạc")
    join(user, agency=agency)
    return user, village


def test_the_demo_liaison_token_lists_its_villages_writes_and_meets_a_409(client):
    call_command("seed_demo", stdout=StringIO())
    user = User.objects.get(username="daumoi.demo")
    auth = bearer(user)
    response = client.get("/api/v1/villages?page_size=200", **auth)
    codes = {item["code"] for item in response.json()["items"]}
    visible = set(villages_visible_to(user).values_list("code", flat=True))
    assert codes == visible and response.json()["count"] == len(visible)
    assert len(visible) < Village.objects.count()  # the liaison's villages, no other

    drafts = (
        post(client, "/api/v1/surveys", {"village": item["id"], "year": year}, auth).json()
        for item in response.json()["items"]
        for year in (2025, 2026, 2024)
    )
    survey = next(d for d in drafts if d.get("status") == "draft")
    value = next(v for v in survey["values"] if v["assessed"] is None)
    write = {
        "version": survey["version"],
        "values": [{"indicator": value["indicator_id"], "note": "API"}],
    }
    saved = post(client, f"/api/v1/surveys/{survey['id']}/values", write, auth)
    assert saved.status_code == 200
    assert saved.json()["version"] == survey["version"] + 1

    stale = post(client, f"/api/v1/surveys/{survey['id']}/values", write, auth)
    assert stale.status_code == 409
    assert stale.json()["changes"][0]["indicator_id"] == value["indicator_id"]
    assert stale.json()["changes"][0]["by"] == "daumoi.demo"


def test_a_value_written_through_the_api_shows_in_the_survey_page_history(client, liaison_world):
    user, village = liaison_world
    auth = bearer(user)
    started = post(client, "/api/v1/surveys", {"village": village.pk, "year": 2025}, auth)
    assert started.status_code == 201
    survey = started.json()
    number = next(
        v
        for v in survey["values"]
        if SurveyValue.objects.get(
            survey_id=survey["id"], indicator_id=v["indicator_id"]
        ).indicator.is_numeric
    )
    write = {
        "version": survey["version"],
        "values": [{"indicator": number["indicator_id"], "value": "87.5"}],
        "reason": "Số liệu từ API",
    }
    saved = post(client, f"/api/v1/surveys/{survey['id']}/values", write, auth)
    assert saved.status_code == 200, saved.content
    assert any(v["value"] == "87.5000" for v in saved.json()["values"])

    record = SurveyValue.history.filter(
        survey_id=survey["id"], indicator_id=number["indicator_id"]
    ).first()
    assert record.history_user == user
    client.force_login(user)
    page = client.get(reverse("criteria:survey", args=[survey["id"]])).content.decode()
    assert "87,5" in page and "Số liệu từ API" in page and "Liên Lạc" in page
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.API_WRITE).latest("time")
    assert event.actor == user and "test" not in event.detail and "dk_" in event.detail


def test_a_value_of_the_wrong_type_is_a_400_naming_it_and_saves_nothing(client, liaison_world):
    user, village = liaison_world
    auth = bearer(user)
    survey = post(client, "/api/v1/surveys", {"village": village.pk, "year": 2025}, auth).json()
    boolean = next(
        v
        for v in SurveyValue.objects.filter(survey_id=survey["id"]).select_related("indicator")
        if v.indicator.value_type == "boolean"
    )
    write = {
        "version": survey["version"],
        "values": [{"indicator": boolean.indicator_id, "value": "maybe"}],
    }
    response = post(client, f"/api/v1/surveys/{survey['id']}/values", write, auth)
    assert response.status_code == 400
    assert boolean.indicator.code in response.json()["detail"]
    assert Survey.objects.get(pk=survey["id"]).version == survey["version"]

    missing = post(client, f"/api/v1/surveys/{survey['id']}/values", {"values": []}, auth)
    assert missing.status_code == 400
    fields = {error["field"] for error in missing.json()["errors"]}
    assert "version" in fields


def test_a_form_error_is_a_400_with_its_field(client, liaison_world):
    user, village = liaison_world
    plan = village.plans.get()
    body = {
        "plan": plan.pk,
        "village": village.pk,
        "agency": plan.assignments.get().agency_id,
        "held_on": "2025-05-01",
        "kind": "propaganda",
        "description": "",
    }
    response = post(client, "/api/v1/activities", body, bearer(user))
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["description"]


def test_no_token_an_unknown_one_and_a_revoked_one_are_401(client, liaison_world):
    user, _village = liaison_world
    token, raw = tokens.api_token_create(user=user, name="old")
    assert client.get("/api/v1/villages", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    tokens.api_token_revoke(actor=user, token=token)
    for headers in (
        {},
        {"HTTP_AUTHORIZATION": "Bearer dk_nope"},
        {"HTTP_AUTHORIZATION": f"Bearer {raw}"},
    ):
        response = client.get("/api/v1/villages", **headers)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Bearer"
        assert "detail" in response.json()


def test_a_session_alone_does_not_open_the_api(client, liaison_world):
    user, _village = liaison_world
    client.force_login(user)
    assert client.get("/api/v1/villages").status_code == 401


def test_unknown_api_urls_and_server_errors_answer_json_without_a_traceback(
    client, liaison_world, monkeypatch
):
    user, _village = liaison_world
    auth = bearer(user)
    missing = client.get("/api/v1/no-such-thing", **auth)
    assert missing.status_code == 404 and missing["Content-Type"].startswith("application/json")
    assert client.get("/api/v2/villages").json() == {"detail": "Not Found"}

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr("dankhoeo.access.villages_visible_to", broken)
    response = client.get("/api/v1/villages", **auth)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert (
        "secret" not in response.content.decode() and "Traceback" not in response.content.decode()
    )


def test_the_rate_limit_is_per_token_and_answers_429(client, liaison_world, settings):
    from django.core.cache import cache

    cache.clear()
    settings.API_RATE_LIMIT = 2
    user, _village = liaison_world
    first, second = bearer(user), bearer(user)
    assert [client.get("/api/v1/plans", **first).status_code for _ in range(3)] == [200, 200, 429]
    limited = client.get("/api/v1/plans", **first)
    assert limited.status_code == 429 and 0 < int(limited["Retry-After"]) <= 60
    assert client.get("/api/v1/plans", **second).status_code == 200


def test_a_page_is_at_most_200_items(client, staff):
    place = commune("23407")
    Village.objects.bulk_create(
        Village(code=f"T{n:03}", name=f"Thôn {n}", commune=place, sort_key=f"{n:03}")
        for n in range(201)
    )
    auth = bearer(staff)
    response = client.get("/api/v1/villages?page_size=1000", **auth).json()
    assert response["count"] == 201
    assert len(response["items"]) == 200
    assert len(client.get("/api/v1/villages", **auth).json()["items"]) == 50
    assert client.get("/api/v1/villages?page=5", **auth).json()["items"][0]["code"] == "T200"


def test_the_openapi_document_validates(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert "/api/v1/surveys/{pk}/values" in document["paths"]
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_the_documentation_page_is_served_from_the_apps_static_files(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle." in page
    assert "cdn" not in page.lower() and "https://" not in page


def test_reading_the_teams_names_and_phones_is_in_the_security_log(client, liaison_world):
    """The teams' members (names, phone numbers) are the roster: read through the API, they are
    recorded like the roster export; a hidden team is a 404 and records nothing."""
    from assignments.models import SupportTeam, TeamMember

    user, village = liaison_world
    team = SupportTeam.objects.create(plan=village.plans.get(), village=village)
    TeamMember.objects.create(team=team, full_name="A Hùng", phone="0905000111")
    auth = bearer(user)
    listed = client.get("/api/v1/teams", **auth)
    assert listed.json()["items"][0]["members"][0]["phone"] == "0905000111"
    assert client.get(f"/api/v1/teams/{team.pk}", **auth).status_code == 200
    reads = AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, actor=user)
    assert sorted(reads.values_list("target", flat=True)) == [
        "API team " + str(team.pk),
        "API teams",
    ]
    assert all("token dk_" in detail for detail in reads.values_list("detail", flat=True))
    stranger = make_user("ngoai", User.Role.LIAISON)
    assert client.get(f"/api/v1/teams/{team.pk}", **bearer(stranger)).status_code == 404
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, actor=stranger).exists()


# Hostile input (issue #13) ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["villages", "activities", "surveys", "plans"])
def test_a_page_number_past_any_list_is_a_400_not_a_database_error(client, liaison_world, path):
    user, _village = liaison_world
    response = client.get(f"/api/v1/{path}?page=99999999999999999999", **bearer(user))
    assert response.status_code == 400
    assert client.get(f"/api/v1/{path}?page=2", **bearer(user)).status_code == 200


@pytest.mark.parametrize("path", ["activities", "resources", "proposals", "surveys"])
def test_a_year_outside_the_years_the_app_keeps_is_a_400(client, liaison_world, path):
    user, _village = liaison_world
    auth = bearer(user)
    for year in ("99999999999999999999", "10000", "1999"):
        assert client.get(f"/api/v1/{path}?year={year}", **auth).status_code == 400


def test_a_control_character_in_a_note_is_dropped_not_a_500(client, liaison_world):
    user, village = liaison_world
    auth = bearer(user)
    survey = post(client, "/api/v1/surveys", {"village": village.pk, "year": 2025}, auth).json()
    indicator = survey["values"][0]["indicator_id"]
    write = {
        "version": survey["version"],
        "values": [{"indicator": indicator, "note": "Ghi\x00 chú\x01\nhai dòng"}],
        "reason": "Lý do\x00",
    }
    saved = post(client, f"/api/v1/surveys/{survey['id']}/values", write, auth)
    assert saved.status_code == 200
    stored = SurveyValue.objects.get(survey_id=survey["id"], indicator_id=indicator)
    assert stored.note == "Ghi chú\nhai dòng"


def test_a_body_over_the_limit_is_a_413_and_malformed_json_a_vietnamese_400(client, liaison_world):
    user, _village = liaison_world
    auth = bearer(user)
    huge = client.post(
        "/api/v1/surveys", "x" * (3 * 2**20), content_type="application/json", **auth
    )
    assert huge.status_code == 413 and "2,5 MB" in huge.json()["detail"]
    for body in ("[" * 100_000, '{"village": ', b"\xff\xfe"):
        bad = client.post("/api/v1/surveys", body, content_type="application/json", **auth)
        assert bad.status_code == 400 and "JSON" in bad.json()["detail"]
        assert "Cannot parse" not in bad.json()["detail"]


def test_a_survey_outside_the_plan_period_is_a_400_naming_the_year(client, liaison_world):
    """The service's year rule answers the API: the plan runs 2021-2026, so 2030 is refused,
    the error names the field, and no survey is opened."""
    user, village = liaison_world
    response = post(client, "/api/v1/surveys", {"village": village.pk, "year": 2030}, bearer(user))
    assert response.status_code == 400
    body = response.json()
    assert "2030" in body["detail"] and body["errors"] == [{"field": "year", "message": "2030"}]
    assert not Survey.objects.filter(village=village).exists()

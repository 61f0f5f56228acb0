"""Security headers, session expiry, and the 503 page when the database is down."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}


def test_every_page_sends_a_strict_content_security_policy(client_for, staff):
    response = client_for(staff).get(reverse("home"))
    policy = directives(response)
    assert policy["default-src"] == "default-src 'self'"
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["form-action"] == "form-action 'self'"
    assert policy["object-src"] == "object-src 'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_the_login_page_sends_the_other_security_headers(client, db):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("url_name", ["login", "home"])
def test_pages_carry_no_inline_script_or_style(client_for, staff, url_name):
    client = client_for(staff) if url_name == "home" else Client()
    html = client.get(reverse(url_name)).content.decode()
    assert "<script>" not in html
    assert "<style" not in html
    assert " style=" not in html
    assert " onclick=" not in html


def test_the_server_error_page_has_no_inline_style():
    from django.template import loader

    html = loader.get_template("500.html").render({})
    assert " style=" not in html
    assert "css/error." in html


def test_an_idle_session_is_renewed_by_requests_and_ends_with_the_browser(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_RENEW_SECONDS <= settings.SESSION_COOKIE_AGE / 10


def test_a_session_left_idle_too_long_needs_a_new_login(client_for, staff, settings):
    client = client_for(staff)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session.set_expiry(-1)  # as if SESSION_COOKIE_AGE had passed since the last request
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_request_pushes_the_expiry_further_at_most_every_few_minutes(client_for, staff, settings):
    client = client_for(staff)
    client.get(reverse("home"))
    key = client.session.session_key
    soon = timezone.now() + timedelta(seconds=60)
    Session.objects.filter(session_key=key).update(expire_date=soon)
    client.get(reverse("home"))  # renewed moments ago: no write
    assert Session.objects.get(session_key=key).expire_date == soon

    settings.SESSION_RENEW_SECONDS = 0  # as if the interval had passed
    client.get(reverse("home"))
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


# Faults: the database is unreachable.


def failing_cursor(error=OperationalError):
    return mock.patch.object(connection, "cursor", side_effect=error("connection refused"))


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_view_that_loses_the_database_gives_the_translated_503_page(staff, error):
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    with (
        mock.patch("dankhoeo.views.render", side_effect=error("server closed the connection")),
    ):
        response = client.get(reverse("home"))
    assert response.status_code == 503
    body = response.content.decode()
    assert "Tạm thời chưa truy cập được" in body
    assert "Traceback" not in body and "connection" not in body
    assert response["Retry-After"] == "60"


def test_losing_the_database_while_loading_the_session_gives_the_503_page(staff):
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    with failing_cursor():
        response = client.get(reverse("home"))
    assert response.status_code == 503
    assert "Tạm thời chưa truy cập được" in response.content.decode()
    assert "Content-Security-Policy" in response


@pytest.mark.parametrize(
    "path", ["/villages/", "/criteria/surveys/", "/reports/", "/security/log/"]
)
def test_every_page_gives_503_when_the_database_is_down(staff, path):
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    with failing_cursor():
        response = client.get(path)
    assert response.status_code == 503


def test_healthz_answers_503_as_json_when_the_database_is_down(client, db):
    with failing_cursor():
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_other_errors_still_give_the_500_page(staff):
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    with mock.patch("dankhoeo.views.render", side_effect=ValueError("a bug")):
        response = client.get(reverse("home"))
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in response.content.decode()

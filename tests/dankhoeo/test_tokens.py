"""Personal API tokens on the account page: made and shown once, stored hashed, named, their
last use shown, revoked by their owner or by staff; every step in the security log."""

import hashlib
import re

import pytest
from django.urls import reverse

from dankhoeo import tokens
from dankhoeo.models import ApiToken, AuditEvent

pytestmark = pytest.mark.django_db


def test_a_user_makes_a_token_sees_it_once_and_only_its_hash_is_kept(client_for, liaison):
    client = client_for(liaison)
    page = client.post(reverse("my-account"), {"name": "Bảng tính của sở"}).content.decode()
    raw = re.search(r"dk_[0-9a-f]{8}_[\w-]+", page).group(0)
    token = ApiToken.objects.get(user=liaison)
    assert token.name == "Bảng tính của sở"
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(token.prefix) and raw not in str(ApiToken.objects.values())
    again = client.get(reverse("my-account")).content.decode()
    assert raw not in again and token.prefix in again and "Bảng tính của sở" in again
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.API_TOKEN, actor=liaison).count() == 1


def test_a_token_needs_a_name(client_for, liaison):
    response = client_for(liaison).post(reverse("my-account"), {"name": "  "})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_the_page_shows_when_a_token_was_last_used(client, client_for, liaison):
    _token, raw = tokens.api_token_create(user=liaison, name="Đồng bộ")
    assert "chưa dùng" in client_for(liaison).get(reverse("my-account")).content.decode()
    client.logout()
    client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert ApiToken.objects.get().last_used_at is not None


def test_the_owner_revokes_their_token_and_it_stops_working(client, client_for, liaison):
    token, raw = tokens.api_token_create(user=liaison, name="Cũ")
    client_for(liaison).post(reverse("token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == liaison
    client.logout()
    assert client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.API_TOKEN).count() == 2


def test_another_user_cannot_see_or_revoke_a_token(client_for, liaison, viewer):
    token, _raw = tokens.api_token_create(user=liaison, name="Của người khác")
    client = client_for(viewer)
    assert "Của người khác" not in client.get(reverse("my-account")).content.decode()
    assert client.post(reverse("token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_staff_see_and_revoke_anyones_active_token(client_for, liaison, staff):
    token, _raw = tokens.api_token_create(user=liaison, name="Của liên lạc")
    client = client_for(staff)
    assert "Của liên lạc" in client.get(reverse("my-account")).content.decode()
    client.post(reverse("token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_by == staff
    event = AuditEvent.objects.filter(actor=staff, kind=AuditEvent.Kind.API_TOKEN).get()
    assert liaison.username in event.detail


def test_every_signed_in_user_finds_their_account_page_in_the_menu(client_for, liaison):
    home = client_for(liaison).get(reverse("home")).content.decode()
    assert f'href="{reverse("my-account")}"' in home
    assert "Tài khoản của tôi" in home

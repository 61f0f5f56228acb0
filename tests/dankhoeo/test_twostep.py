"""Optional two-step login (TOTP) for provincial staff."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dankhoeo.models import AuditEvent
from tests.conftest import PASSWORD


def code_for(device: TOTPDevice) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:06d}"


@pytest.fixture
def enrolled(staff):
    return TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=True)


def log_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_without_a_device_the_password_is_enough(client, staff):
    response = log_in(client, staff.username)
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_with_a_device_the_password_leads_to_the_code_page_not_in(client, enrolled, staff):
    response = log_in(client, staff.username)
    assert response.url == reverse("login-code")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302
    page = client.get(reverse("login-code"))
    assert "Mã từ ứng dụng xác thực" in page.content.decode()


def test_the_right_code_logs_in(client, enrolled, staff):
    log_in(client, staff.username)
    response = client.post(reverse("login-code"), {"code": code_for(enrolled)})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN, actor=staff).exists()


def test_a_wrong_code_is_refused_in_vietnamese_and_logged(client, enrolled, staff):
    log_in(client, staff.username)
    wrong = f"{(int(code_for(enrolled)) + 1) % 1000000:06d}"
    response = client.post(reverse("login-code"), {"code": wrong})
    assert response.status_code == 200
    assert "Mã không đúng hoặc đã hết hạn" in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.OTP_FAILED)
    assert event.actor == staff
    enrolled.refresh_from_db()
    assert enrolled.throttling_failure_count == 1


def test_repeated_wrong_codes_are_throttled(client, enrolled, staff):
    log_in(client, staff.username)
    client.post(reverse("login-code"), {"code": "000000"})
    response = client.post(reverse("login-code"), {"code": code_for(enrolled)})
    assert "Nhập sai mã quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_malformed_code_is_refused_before_it_is_checked(client, enrolled, staff):
    log_in(client, staff.username)
    response = client.post(reverse("login-code"), {"code": "12ab"})
    assert "Nhập sáu chữ số" in response.content.decode()
    enrolled.refresh_from_db()
    assert enrolled.throttling_failure_count == 0


def test_the_code_page_without_a_password_first_sends_back_to_login(client, db):
    response = client.get(reverse("login-code"))
    assert response.url == reverse("login")


def test_a_pending_login_expires(client, enrolled, staff, monkeypatch):
    log_in(client, staff.username)
    later = time.time() + 301
    monkeypatch.setattr("dankhoeo.twostep.time.time", lambda: later)
    response = client.post(reverse("login-code"), {"code": code_for(enrolled)})
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_the_admin_login_cannot_skip_the_code(client, enrolled):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=/admin/"


# Enrolment


def test_staff_enrol_by_scanning_and_confirming_a_code(client_for, staff):
    client = client_for(staff)
    assert "Thiết lập đăng nhập hai bước" in client.get(reverse("twostep")).content.decode()
    client.post(reverse("twostep-start"))
    page = client.get(reverse("twostep")).content.decode()
    assert "<svg" in page and "<path" in page
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    response = client.post(reverse("twostep-confirm"), {"code": code_for(device)}, follow=True)
    assert "Đã bật đăng nhập hai bước" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.OTP_ENROLLED, actor=staff).exists()


def test_a_wrong_enrolment_code_leaves_it_off(client_for, staff):
    client = client_for(staff)
    client.post(reverse("twostep-start"))
    response = client.post(reverse("twostep-confirm"), {"code": "000000"}, follow=True)
    assert "Mã không đúng" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_staff_turn_it_off_with_a_current_code(client_for, staff, enrolled):
    client = client_for(staff)
    client.post(reverse("twostep-disable"), {"code": code_for(enrolled)})
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.OTP_DISABLED).exists()


@pytest.mark.parametrize("persona", ["liaison", "commune_officer", "viewer"])
def test_two_step_setup_is_for_staff_only(client_for, persona, request):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("twostep")).status_code == 403
    assert client.post(reverse("twostep-start")).status_code == 403
    assert not TOTPDevice.objects.exists()


def test_setup_actions_need_post(client_for, staff):
    assert client_for(staff).get(reverse("twostep-start")).status_code == 405


def test_setup_needs_login(client, db):
    assert client.get(reverse("twostep")).status_code == 302

"""Provincial staff manage accounts without the admin: create, role and place, temporary
password, deactivate; each change is in the security log; nobody else may."""

import pytest
from django.urls import reverse

from assignments.models import Membership
from dankhoeo import accounts
from dankhoeo.models import AuditEvent, User
from tests.conftest import PASSWORD
from tests.factories import commune, make_agency

Kind = AuditEvent.Kind


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.fixture
def agency(db):
    return make_agency("Sở Thử", code="ST")


def create(client, **fields):
    data = {"username": "a.hung", "last_name": "A", "first_name": "Hùng", "role": "liaison"}
    data.update(fields)
    return client.post(reverse("account-create"), data)


def test_staff_create_a_liaison_of_an_agency_and_see_its_password_once(client_for, staff, agency):
    response = create(client_for(staff), agency=agency.pk)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    password = response.context["password"]
    assert password in response.content.decode()
    account = User.objects.get(username="a.hung")
    assert account.role == User.Role.LIAISON and account.must_change_password
    assert account.check_password(password)
    assert Membership.objects.filter(user=account, agency=agency).exists()
    kinds = sorted(AuditEvent.objects.exclude(kind=Kind.LOGIN).values_list("kind", "actor"))
    assert kinds == [(Kind.MEMBERSHIP_CHANGE, staff.pk), (Kind.ROLE_CHANGE, staff.pk)]
    page = client_for(staff).get(reverse("account", args=[account.pk]))
    assert password not in page.content.decode()


def test_a_commune_officer_gets_a_commune_and_a_bad_place_changes_nothing(client_for, staff):
    unit = commune("23407")
    response = create(client_for(staff), role="commune", commune=unit.pk)
    assert response.status_code == 200
    assert Membership.objects.get(user__username="a.hung").commune == unit
    response = create(client_for(staff), username="b.lan", role="liaison", commune=unit.pk)
    assert response.status_code == 200 and "password" not in response.context
    assert "Chỉ cán bộ xã mới được gắn với xã." in response.content.decode()
    assert not User.objects.filter(username="b.lan").exists()
    response = create(client_for(staff), username="staff")
    assert "Tên đăng nhập này đã có" in response.content.decode()


def test_the_owner_must_choose_a_password_at_the_first_login(client, staff):
    account, temporary = accounts.account_create(
        actor=staff, username="viewer.new", role=User.Role.VIEWER
    )
    assert log_in(client, "viewer.new", temporary).status_code == 302
    response = client.get(reverse("villages:list"))
    assert response.status_code == 302 and response.url == reverse("password_change")
    new = "mot-mat-khau-rieng-2026"
    response = client.post(
        reverse("password_change"),
        {"old_password": temporary, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get(reverse("villages:list")).status_code == 200
    account.refresh_from_db()
    assert not account.must_change_password and account.check_password(new)


def test_staff_give_a_temporary_password(client_for, staff, viewer):
    response = client_for(staff).post(reverse("account-password", args=[viewer.pk]))
    assert response.status_code == 200
    viewer.refresh_from_db()
    assert viewer.must_change_password
    assert viewer.check_password(response.context["password"])
    assert not viewer.check_password(PASSWORD)
    event = AuditEvent.objects.get(target=viewer.username)
    assert event.actor == staff and event.detail == "Đã cấp mật khẩu tạm"


def test_staff_deactivate_and_reactivate_an_account(client, client_for, staff, viewer):
    url = reverse("account-active", args=[viewer.pk])
    client_for(staff).post(url, {"active": "0"})
    viewer.refresh_from_db()
    assert not viewer.is_active
    client.logout()
    assert log_in(client, viewer.username, PASSWORD).status_code == 200  # refused
    client_for(staff).post(url, {"active": "1"})
    details = list(
        AuditEvent.objects.filter(kind=Kind.ROLE_CHANGE).order_by("id").values_list("detail")
    )
    assert details == [("đang dùng → đã khóa",), ("đã khóa → đang dùng",)]


def test_staff_cannot_lock_themselves_out(client_for, staff):
    client_for(staff).post(reverse("account-active", args=[staff.pk]), {"active": "0"})
    staff.refresh_from_db()
    assert staff.is_active


def test_a_role_change_is_logged_and_must_fit_the_memberships(client_for, staff, viewer, agency):
    data = {"role": "staff", "last_name": "Mới", "first_name": "", "email": "", "phone": ""}
    client_for(staff).post(reverse("account", args=[viewer.pk]), data)
    viewer.refresh_from_db()
    assert viewer.role == User.Role.STAFF and viewer.last_name == "Mới"
    event = AuditEvent.objects.get(target=viewer.username)
    assert event.detail == "Lãnh đạo (chỉ xem) → Cán bộ tỉnh"
    liaison = User.objects.create(username="l2", role=User.Role.LIAISON)
    Membership.objects.create(user=liaison, agency=agency)
    response = client_for(staff).post(reverse("account", args=[liaison.pk]), data)
    assert response.status_code == 200
    liaison.refresh_from_db()
    assert liaison.role == User.Role.LIAISON


def test_staff_may_not_touch_a_superusers_account(client_for, staff, superuser):
    response = client_for(staff).post(reverse("account-password", args=[superuser.pk]))
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.check_password(PASSWORD) and not superuser.must_change_password


def test_the_list_searches_and_is_in_the_menu(client_for, staff, viewer, liaison):
    response = client_for(staff).get(reverse("accounts"), {"q": "view"})
    assert [a.username for a in response.context["page"]] == ["viewer"]
    response = client_for(staff).get(reverse("accounts"), {"role": "liaison"})
    assert [a.username for a in response.context["page"]] == ["liaison"]
    assert f'href="{reverse("accounts")}"' in response.content.decode()


def test_the_list_is_paginated_and_the_pages_keep_the_search(client_for, staff):
    User.objects.bulk_create(
        User(username=f"viewer{number:02}", role=User.Role.VIEWER) for number in range(55)
    )
    client = client_for(staff)
    first = client.get(reverse("accounts"), {"role": "viewer"})
    page = first.content.decode()
    assert len(first.context["page"]) == 50
    assert "role=viewer&amp;page=2" in page and "Trang 1/2" in page
    assert 'aria-label="Tìm tài khoản"' in page
    second = client.get(reverse("accounts"), {"role": "viewer", "page": 2})
    assert [a.username for a in second.context["page"]] == [f"viewer{n}" for n in range(50, 55)]


@pytest.mark.parametrize("persona", ["liaison", "commune_officer", "viewer"])
def test_other_roles_get_403_and_change_nothing(client_for, persona, request, staff):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("accounts")).status_code == 403
    assert create(client).status_code == 403
    assert client.post(reverse("account-password", args=[staff.pk])).status_code == 403
    assert client.post(reverse("account-active", args=[staff.pk])).status_code == 403
    assert not User.objects.filter(username="a.hung").exists()
    staff.refresh_from_db()
    assert staff.is_active and staff.check_password(PASSWORD)
    assert f'href="{reverse("accounts")}"' not in client.get(reverse("home")).content.decode()

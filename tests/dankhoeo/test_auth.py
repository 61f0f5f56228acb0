import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from dankhoeo.models import User
from tests.conftest import PASSWORD


def login(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_login_page_is_in_vietnamese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()
    assert "Đăng nhập" in response.content.decode()
    assert "Tên đăng nhập" in response.content.decode()


@pytest.mark.parametrize("persona", ["staff", "liaison", "commune_officer", "viewer", "superuser"])
def test_each_role_can_log_in_and_lands_on_home(client, persona, request):
    user = request.getfixturevalue(persona)
    response = login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert home.context["user"] == user
    assert user.get_role_display() in home.content.decode()


def test_a_wrong_password_gets_a_translated_message(client, staff):
    response = login(client, staff.username, "not-the-password")
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_on_that_address(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, staff.username, "wrong")
    response = login(client, staff.username, PASSWORD)
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get(username=staff.username)
    assert attempt.failures_since_start > settings.AXES_FAILURE_LIMIT


def test_a_success_before_the_limit_resets_the_count(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, staff.username, "wrong")
    assert login(client, staff.username, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username=staff.username).exists()


@pytest.mark.parametrize("url_name", ["home", "password_change", "admin:index"])
def test_pages_need_login(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login")) or "/admin/login/" in response.url


def test_an_unknown_url_gets_a_translated_404_page(client, staff):
    client.force_login(staff)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_a_tampered_csrf_token_gets_a_translated_page(db, staff):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))
    response = client.post(
        reverse("login"),
        {"username": staff.username, "password": PASSWORD, "csrfmiddlewaretoken": "tampered"},
    )
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_the_session(client, staff):
    client.force_login(staff)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_user_can_change_their_password(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mật-khẩu-mới-2026",
            "new_password2": "Mật-khẩu-mới-2026",
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("Mật-khẩu-mới-2026")


def test_a_weak_new_password_is_refused_in_vietnamese(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert response.status_code == 200
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự" in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_english_can_be_chosen(client, staff):
    client.force_login(staff)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in page
    assert "Log out" in page


def test_navigation_shows_administration_to_superusers_only(client_for, staff, superuser):
    admin_url = reverse("admin:index")
    assert admin_url not in client_for(staff).get(reverse("home")).content.decode()
    assert admin_url in client_for(superuser).get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    "role, provincial",
    [("staff", True), ("liaison", False), ("commune", False), ("viewer", False)],
)
def test_the_role_stored_on_the_user_decides_who_is_provincial_staff(db, role, provincial):
    user = User.objects.create_user("someone", password=PASSWORD, role=role)
    assert User.objects.get(pk=user.pk).is_provincial_staff is provincial


def test_a_role_outside_the_four_is_refused(db):
    with pytest.raises(ValidationError) as refused:
        User(username="someone", role="mayor").full_clean(exclude=["password"])
    assert list(refused.value.message_dict) == ["role"]


def test_the_menu_groups_sections_and_shows_each_role_its_own(staff, liaison, viewer):
    from dankhoeo.navigation import sections_for

    def labels(user):
        return [
            (str(e["label"]), [str(c["label"]) for c in e.get("children", [])])
            for e in sections_for(user)
        ]

    with translation.override("en"):
        staff_menu = dict(labels(staff))
        viewer_menu = dict(labels(viewer))
        liaison_menu = dict(labels(liaison))
    assert staff_menu["Villages"] == ["Villages", "Administrative units"]
    assert staff_menu["System"] == ["Accounts", "Security log"]
    assert "Villages" in viewer_menu and viewer_menu["Villages"] == []
    assert "Security log" not in viewer_menu
    assert "My villages" in liaison_menu and "My villages" not in staff_menu


def test_the_menu_is_worked_out_once_a_request(client_for, staff, monkeypatch):
    """The village page renders its panels with the request: each asks for the menu, which
    is worked out once (and again only for another user)."""
    from dankhoeo import navigation
    from tests.factories import make_village

    calls = []
    sections_for = navigation.sections_for
    monkeypatch.setattr(
        navigation, "sections_for", lambda user: calls.append(user) or sections_for(user)
    )
    village = make_village("Thôn Một", code="MOT")
    response = client_for(staff).get(reverse("villages:detail", args=[village.pk]))
    assert response.status_code == 200 and "Thôn Một" in response.content.decode()
    assert len(calls) == 1

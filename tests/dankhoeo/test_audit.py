"""The security log: events from logins and the admin, the service, and the staff page."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dankhoeo import audit
from dankhoeo.models import AuditEvent, User
from tests.conftest import PASSWORD, make_user

Kind = AuditEvent.Kind


def login(client, username, password=PASSWORD):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3"
    )


def kinds() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("kind", flat=True))


def test_a_login_and_a_logout_are_recorded_with_the_address(client, staff):
    login(client, staff.username)
    client.post(reverse("logout"))
    assert kinds() == [Kind.LOGIN, Kind.LOGOUT]
    event = AuditEvent.objects.get(kind=Kind.LOGIN)
    assert (event.actor, event.actor_username, event.ip_address) == (staff, "staff", "10.1.2.3")


def test_a_failed_login_is_recorded_without_the_password(client, staff):
    login(client, staff.username, "a-wrong-secret")
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor, event.target) == (Kind.LOGIN_FAILED, None, "staff")
    assert "a-wrong-secret" not in f"{event.target} {event.detail}"


def test_a_lockout_is_recorded_when_it_happens_and_at_each_refused_try(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, staff.username, "wrong")
    assert not AuditEvent.objects.filter(kind=Kind.LOCKOUT).exists()
    login(client, staff.username, "wrong")
    assert AuditEvent.objects.filter(kind=Kind.LOCKOUT, target="staff").count() == 1
    login(client, staff.username, PASSWORD)  # even the right password is refused now
    assert AuditEvent.objects.filter(kind=Kind.LOCKOUT, target="staff").count() == 2
    assert not AuditEvent.objects.filter(kind=Kind.LOGIN).exists()


def test_record_takes_an_object_and_cuts_long_descriptions(staff, rf):
    request = rf.get("/", REMOTE_ADDR="192.0.2.7")
    event = audit.record(
        actor=staff, kind=Kind.EXPORT, target="x" * 300, detail="workbook", request=request
    )
    assert (len(event.target), event.ip_address, event.detail) == (255, "192.0.2.7", "workbook")
    assert audit.record(actor=staff, kind=Kind.APPROVAL, target=staff).target == str(staff)


def test_record_refuses_an_unknown_kind(staff):
    with pytest.raises(ValueError, match="Unknown audit event kind"):
        audit.record(actor=staff, kind="coffee")
    assert not AuditEvent.objects.exists()


def test_record_keeps_an_anonymous_actor_as_none(db, rf):
    from django.contrib.auth.models import AnonymousUser

    event = audit.record(actor=AnonymousUser(), kind=Kind.IMPORT)
    assert (event.actor, event.actor_username, event.ip_address) == (None, "", None)


def test_a_bad_forwarded_address_is_not_stored(db, rf):
    request = rf.get("/", REMOTE_ADDR="not-an-address")
    assert audit.record(actor=None, kind=Kind.IMPORT, request=request).ip_address is None


def test_a_role_change_in_the_admin_is_recorded(client_for, superuser, viewer):
    client = client_for(superuser)
    change = reverse("admin:dankhoeo_user_change", args=[viewer.pk])
    form = client.get(change).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        role=User.Role.STAFF,
        date_joined_0=viewer.date_joined.strftime("%d/%m/%Y"),
        date_joined_1=viewer.date_joined.strftime("%H:%M:%S"),
        groups=[],
        user_permissions=[],
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(kind=Kind.ROLE_CHANGE)
    assert (event.actor, event.target) == (superuser, "viewer")
    assert event.detail == "role: viewer → staff"


def test_saving_a_user_without_account_changes_records_nothing(client_for, superuser, viewer):
    client = client_for(superuser)
    change = reverse("admin:dankhoeo_user_change", args=[viewer.pk])
    form = client.get(change).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        phone="0905 000 000",
        date_joined_0=viewer.date_joined.strftime("%d/%m/%Y"),
        date_joined_1=viewer.date_joined.strftime("%H:%M:%S"),
        groups=[],
        user_permissions=[],
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    assert client.post(change, data).status_code == 302
    assert not AuditEvent.objects.filter(kind=Kind.ROLE_CHANGE).exists()


# The staff page


def test_the_log_needs_login(client, db):
    response = client.get(reverse("audit-log"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["liaison", "commune_officer", "viewer"])
def test_only_staff_may_read_the_log(client_for, persona, request):
    response = client_for(request.getfixturevalue(persona)).get(reverse("audit-log"))
    assert response.status_code == 403


def test_staff_see_events_newest_first_in_vietnamese(client_for, staff):
    client = client_for(staff)
    AuditEvent.objects.all().delete()
    audit.record(actor=staff, kind=Kind.EXPORT, target="Báo cáo năm 2026")
    audit.record(actor=None, kind=Kind.LOGIN_FAILED, target="ke-gian")
    response = client.get(reverse("audit-log"))
    assert response.status_code == 200
    rows = [event.kind for event in response.context["page"]]
    assert rows == [Kind.LOGIN_FAILED, Kind.EXPORT]
    html = response.content.decode()
    assert "Đăng nhập không thành công" in html
    assert "Báo cáo năm 2026" in html


def test_staff_filter_by_event_user_and_days(client_for, staff, liaison):
    old = audit.record(actor=liaison, kind=Kind.EXPORT, target="old")
    AuditEvent.objects.filter(pk=old.pk).update(
        time=timezone.make_aware(datetime(2026, 1, 10, 23, 30))
    )
    audit.record(actor=liaison, kind=Kind.EXPORT, target="new")
    audit.record(actor=staff, kind=Kind.APPROVAL, target="survey")
    client = client_for(staff)

    def targets(**query):
        response = client.get(reverse("audit-log"), query)
        return sorted(event.target for event in response.context["page"])

    assert targets(kind="export") == ["new", "old"]
    assert targets(actor="liai") == ["new", "old"]
    assert targets(since="2026-01-10", until="2026-01-10") == ["old"]
    assert targets(until="2026-01-09") == []
    assert "new" in targets(since="2026-01-11")


def test_a_bad_date_filter_shows_a_message_not_an_error(client_for, staff):
    response = client_for(staff).get(reverse("audit-log"), {"since": "31/02/2026"})
    assert response.status_code == 200
    assert "ngày không hợp lệ" in response.content.decode()


def test_the_log_is_paginated(client_for, staff):
    AuditEvent.objects.bulk_create(
        AuditEvent(kind=Kind.EXPORT, target=f"report {number}") for number in range(60)
    )
    client = client_for(staff)
    first = client.get(reverse("audit-log"), {"kind": "export"})
    assert len(first.context["page"]) == 50
    assert "kind=export&amp;page=2" in first.content.decode()
    second = client.get(reverse("audit-log"), {"kind": "export", "page": 2})
    assert len(second.context["page"]) == 10


@pytest.mark.parametrize("events", [1, 40])
def test_the_log_query_count_does_not_grow(client_for, staff, events, django_assert_num_queries):
    AuditEvent.objects.bulk_create(
        AuditEvent(kind=Kind.EXPORT, target=f"report {n}") for n in range(events)
    )
    client = client_for(staff)
    client.get(reverse("home"))
    # session, user, count, page (the session was renewed moments ago: no write)
    with django_assert_num_queries(4):
        client.get(reverse("audit-log"), {"kind": "export"})


def test_staff_see_the_log_in_the_menu_and_others_do_not(client_for, staff, viewer):
    assert reverse("audit-log") in client_for(staff).get(reverse("home")).content.decode()
    other = make_user("other-viewer", User.Role.VIEWER)
    assert reverse("audit-log") not in client_for(other).get(reverse("home")).content.decode()


def test_a_change_of_state_is_written_in_the_site_language_whoever_acts():
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    with translation.override("en"):
        detail = audit.change(gettext_lazy("Approved"), gettext_lazy("Draft"), "Sai số liệu")
    assert detail == "Đã phê duyệt → Bản nháp: Sai số liệu"

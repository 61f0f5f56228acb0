"""Staff set the agency or commune of an account on its own page (System → Accounts): added
and removed there, each change in the security log; the role decides which place fits; nobody
else may, and a refused change changes nothing."""

import pytest
from django.urls import reverse

from assignments.models import Membership
from dankhoeo.models import AuditEvent, User
from tests.conftest import make_user
from tests.factories import commune, make_agency

Kind = AuditEvent.Kind


@pytest.fixture
def agency(db):
    return make_agency("Sở Thử", code="ST")


def add_url(account):
    return reverse("account-membership-add", args=[account.pk])


def remove_url(account, membership):
    return reverse("account-membership-remove", args=[account.pk, membership.pk])


def test_staff_add_an_agency_to_a_liaison_on_the_account_page(client_for, staff, liaison, agency):
    client = client_for(staff)
    response = client.post(add_url(liaison), {"agency": agency.pk})
    assert response.status_code == 302 and response.url == reverse("account", args=[liaison.pk])
    membership = Membership.objects.get(user=liaison)
    assert membership.agency == agency
    event = AuditEvent.objects.get(kind=Kind.MEMBERSHIP_CHANGE)
    assert (event.actor, event.target, event.detail) == (staff, liaison.username, "+ Sở Thử")
    page = client.get(reverse("account", args=[liaison.pk])).content.decode()
    assert "Sở Thử" in page and remove_url(liaison, membership) in page
    assert "Đã gắn người dùng." in page


def test_staff_remove_a_membership_and_the_log_says_so(client_for, staff, liaison, agency):
    membership = Membership.objects.create(user=liaison, agency=agency)
    response = client_for(staff).post(remove_url(liaison, membership))
    assert response.status_code == 302
    assert not Membership.objects.exists()
    event = AuditEvent.objects.get(kind=Kind.MEMBERSHIP_CHANGE)
    assert (event.actor, event.detail) == (staff, "− Sở Thử")


def test_a_place_that_does_not_fit_the_role_is_refused_in_vietnamese(client_for, staff, liaison):
    response = client_for(staff).post(add_url(liaison), {"commune": commune("23407").pk})
    assert response.status_code == 400
    assert "Chỉ cán bộ xã mới được gắn với xã." in response.content.decode()
    assert not Membership.objects.exists()
    assert not AuditEvent.objects.filter(kind=Kind.MEMBERSHIP_CHANGE).exists()


def test_neither_or_both_places_are_refused(client_for, staff, commune_officer, agency):
    client = client_for(staff)
    assert client.post(add_url(commune_officer), {}).status_code == 400
    both = {"agency": agency.pk, "commune": commune("23407").pk}
    assert client.post(add_url(commune_officer), both).status_code == 400
    assert not Membership.objects.exists()


def test_a_membership_of_another_account_is_not_found(client_for, staff, liaison, agency):
    other = make_user("other", User.Role.LIAISON)
    theirs = Membership.objects.create(user=other, agency=agency)
    assert client_for(staff).post(remove_url(liaison, theirs)).status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("persona", ["liaison", "commune_officer", "viewer"])
def test_other_roles_cannot_change_memberships(client_for, request, persona, agency):
    user = request.getfixturevalue(persona)
    target = make_user("target", User.Role.LIAISON)
    kept = Membership.objects.create(user=target, agency=agency)
    client = client_for(user)
    assert client.post(add_url(target), {"agency": agency.pk}).status_code == 403
    assert client.post(remove_url(target, kept)).status_code == 403
    assert list(Membership.objects.values_list("pk", flat=True)) == [kept.pk]


def test_staff_may_not_change_a_superusers_memberships(client_for, staff, superuser, agency):
    assert client_for(staff).post(add_url(superuser), {"agency": agency.pk}).status_code == 403
    assert not Membership.objects.exists()

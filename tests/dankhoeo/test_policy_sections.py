"""The app's own parts ask the access policy: the menu shows a section exactly when the page's
predicate allows it, and the page answers 403 otherwise; two-step login, API tokens and report
files ask it too (services included)."""

import pytest
from django.contrib.admin import site
from django.test import RequestFactory
from django.urls import reverse

from dankhoeo import access, navigation, twostep
from dankhoeo.models import User
from tests.conftest import make_user

PERSONAS = ["staff", "superuser", "liaison", "commune_officer", "viewer"]

# predicate: the personas it allows
TABLE = {
    access.can_administer: {"superuser"},
    access.can_manage_accounts: {"staff", "superuser"},
    access.can_read_security_log: {"staff", "superuser"},
    access.can_manage_units: {"staff", "superuser"},
    access.has_own_villages: {"liaison"},
    access.takes_part_in_surveys: {"staff", "superuser", "liaison", "commune_officer"},
    access.can_use_two_step_login: {"staff", "superuser"},
    access.sees_every_token: {"staff", "superuser"},
    access.sees_every_village: {"staff", "superuser", "viewer"},
}


@pytest.mark.parametrize("predicate", list(TABLE), ids=lambda p: p.__name__)
def test_each_predicate_allows_its_personas_only(request, predicate):
    allowed = {name for name in PERSONAS if predicate(request.getfixturevalue(name))}
    assert allowed == TABLE[predicate]


def test_a_deactivated_account_is_allowed_nothing(staff):
    staff.is_active = False
    assert not any(predicate(staff) for predicate in TABLE)


# Pages of the System and Villages menus, and the predicate that guards each.
GUARDED = [
    ("accounts", access.can_manage_accounts),
    ("audit-log", access.can_read_security_log),
    ("villages:unit-list", access.can_manage_units),
    ("admin:index", access.can_administer),
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_menu_shows_a_page_exactly_when_the_page_opens(client_for, request, persona):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    menu = {link["name"] for entry in navigation.sections_for(user) for link in _links(entry)}
    for url_name, predicate in GUARDED:
        status = client.get(reverse(url_name)).status_code
        assert (url_name in menu) == predicate(user) == (status == 200), (url_name, status)


def _links(entry):
    return entry.get("children") or [entry]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_admin_gate_and_the_policy_agree(rf: RequestFactory, request, persona):
    user = request.getfixturevalue(persona)
    asked = rf.get("/admin/")
    asked.user = user
    assert site.has_permission(asked) == access.can_administer(user)


def test_two_step_enrolment_asks_the_policy_in_the_service(liaison):
    with pytest.raises(twostep.TwoStepError):
        twostep.device_start(user=liaison)


def test_a_token_is_revoked_by_its_owner_or_staff(liaison, viewer, staff):
    assert access.can_revoke_token(liaison, liaison.pk)
    assert access.can_revoke_token(staff, liaison.pk)
    assert not access.can_revoke_token(viewer, liaison.pk)


def test_a_report_file_belongs_to_its_asker_alone(staff, superuser):
    assert access.can_fetch_report_file(staff, staff.pk)
    assert not access.can_fetch_report_file(superuser, staff.pk)
    other = make_user("someone", User.Role.STAFF, is_active=False)
    assert not access.can_fetch_report_file(other, other.pk)


def test_an_import_in_the_queue_is_followed_by_its_owner_alone(staff, superuser):
    assert access.can_follow_import(staff, staff.pk)
    assert not access.can_follow_import(superuser, staff.pk)

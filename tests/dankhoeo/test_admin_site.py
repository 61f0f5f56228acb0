"""Django's admin is for superusers; everyone else gets a translated 403, never a loop."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD


@pytest.mark.parametrize("persona", ["staff", "liaison", "commune_officer", "viewer"])
def test_a_signed_in_user_who_is_not_a_superuser_gets_a_clear_403(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for path in (reverse("admin:index"), reverse("admin:dankhoeo_user_changelist")):
        response = client.get(path)
        assert response.status_code == 403
        assert "Chỉ quản trị viên hệ thống" in response.content.decode()


def test_a_superuser_uses_the_admin(client_for, superuser):
    assert client_for(superuser).get(reverse("admin:index")).status_code == 200


def test_anonymous_logs_in_first_then_the_same_rule_applies(client, staff):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    response = client.post(
        response.redirect_chain[-1][0],
        {"username": staff.username, "password": PASSWORD},
        follow=True,
    )
    assert response.status_code == 403
    assert len(response.redirect_chain) < 3

from unittest import mock

from django.db import OperationalError
from django.urls import reverse


def test_it_answers_200_without_login_when_the_database_answers(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_it_answers_503_without_a_traceback_when_the_database_does_not(client, db):
    with mock.patch("dankhoeo.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}

"""Two reviewers acting on the same survey at the same moment, on the real database."""

import threading

import pytest
from django.db import connection, connections

from criteria import services
from criteria.models import Survey, SurveyTransition
from dankhoeo.errors import Refused

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(action, times: int = 2) -> list[str]:
    """Run ``action`` in several threads released together; return each one's outcome."""
    barrier = threading.Barrier(times)
    outcomes: list[str] = []

    def run():
        try:
            barrier.wait(timeout=10)
            action()
            outcomes.append("done")
        except Refused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_two_approvals_of_the_same_survey_at_once_exactly_one_wins(
    filled, liaison, commune_officer, staff
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    survey = services.survey_submit(user=liaison, survey=filled)
    survey = services.survey_confirm(user=commune_officer, survey=survey)

    outcomes = at_once(lambda: services.survey_approve(user=staff, survey=survey))

    assert outcomes == ["done", "refused"]
    assert Survey.objects.get(pk=survey.pk).status == Survey.Status.APPROVED
    approvals = SurveyTransition.objects.filter(survey=survey, to_status=Survey.Status.APPROVED)
    assert approvals.count() == 1

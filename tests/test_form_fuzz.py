"""No form can make a 5xx or store poison: every URL of the permission matrix that takes POST,
posted by each persona that may, with its form's fields (found on the pages, see
tests/form_discovery.py) set to malformed values and bad files (tests/form_fuzz.py). A refused
form leaves the database as it was and says why in Vietnamese; an accepted one stores no
control character.

This file: the project's own URLs, villages and reports, and checks of the fuzz itself;
tests/test_form_fuzz_criteria.py and tests/test_form_fuzz_assignments.py hold the other apps
(three files, so that the parallel run spreads them). What the fuzz found is pinned by focused
tests in tests/test_form_fuzz_findings.py."""

import pytest
from django.db import transaction
from django.urls import reverse

from tests.form_fuzz import (  # noqa: F401  (pages is a fixture)
    POISON_TEXT,
    Fuzz,
    fuzz_row,
    pages,
    poisoned_rows,
    targets,
    writers,
)
from tests.test_permission_matrix import world  # noqa: F401  (world is a fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", targets("", "villages", "reports"))
def test_no_malformed_form_is_a_server_error(world, pages, name):  # noqa: F811
    failures = fuzz_row(world, pages, name)
    assert not failures, name + "\n" + "\n".join(failures)


def test_the_forms_are_found(world, pages):  # noqa: F811
    """On the page itself, on the page of its button (a POST-only URL), fields associated
    with ``form="…"``, an htmx post, the same form for another record, per persona."""
    expected = {
        ("liaison", "assignments:activity-edit"): {"held_on", "description", "version"},
        ("liaison", "villages:year-save"): {"year", "ethnic_minority_share", "note"},
        ("liaison", "criteria:survey-save"): {"version", "attach"},
        ("commune", "assignments:proposal-transition"): {"answer", "due_on"},
        ("staff", "reports:review-edit"): {"title", "section_results"},
        ("anonymous", "login"): {"username", "password"},
        ("liaison", "criteria:survey-verdicts"): {"version"},  # htmx posts the survey form
        ("staff", "account-membership-add"): {"agency", "commune"},  # another account's page
    }
    for (persona, name), fields in expected.items():
        form = pages.form_for(persona, name)
        assert form is not None and fields <= set(form.names()), (persona, name)
    survey_fields = pages.form_for("liaison", "criteria:survey-save").names()
    assert any(n.startswith("v_") for n in survey_fields)
    assert any(n.startswith("n_") for n in survey_fields)


def test_every_persona_that_may_write_is_fuzzed():
    fuzzed = {
        persona
        for name in targets("", "villages", "reports", "criteria", "assignments")
        for persona in writers(name)
    }
    assert {"staff", "liaison", "support", "commune", "other_commune", "other_liaison"} <= fuzzed


def test_a_poisoned_or_refused_but_changed_reply_would_be_caught(world, pages):  # noqa: F811
    """The checks can fail: a control character stored in a row is seen, and so is a refusal
    (here the 405 of a GET-only URL) that changed a table."""
    built, clients, before = world
    activity = built.lead.activity
    with transaction.atomic():
        type(activity).objects.filter(pk=activity.pk).update(description=POISON_TEXT)
        assert poisoned_rows([activity._meta.db_table]) == {activity._meta.db_table: 1}
        run = Fuzz("healthz", "staff", reverse("healthz"), clients["staff"], before, quiet=False)
        run.post({}, "a POST to the health check")
        transaction.set_rollback(True)
    assert any("refused (405) but changed" in failure for failure in run.failures)

"""What the form fuzz (tests/test_form_fuzz*.py) found, one focused test each, from the user's
side: the world of the permission matrix, each request rolled back."""

import copy
import importlib
import pkgutil

import pytest
from django import forms
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from assignments.models import Activity, Proposal
from dankhoeo import tokens
from dankhoeo.models import ApiToken, AuditEvent, User
from dankhoeo.text import CleanTextMixin, is_text_field
from tests.test_permission_matrix import world  # noqa: F401  (world is a fixture)
from villages.models import VillageYear

pytestmark = pytest.mark.django_db
APPS = ("dankhoeo", "villages", "criteria", "assignments", "reports")


def post(client, url, data, check):
    """POST in a transaction rolled back; ``check(response)`` runs before the rollback."""
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            response = client.post(url, data)
            result = check(response)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return result


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_that_takes_text_cleans_it():
    """An account's name, a token's name were stored with control characters: their forms
    lacked CleanTextMixin. Every form of the app with a text field has it."""
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)
    missing = sorted(
        f"{form.__module__}.{form.__name__}"
        for form in _subclasses(forms.BaseForm)
        if form.__module__.split(".")[0] in APPS
        and any(is_text_field(f) for f in getattr(form, "base_fields", {}).values())
        and not issubclass(form, CleanTextMixin)
    )
    assert not missing


def test_a_text_field_added_by_the_form_itself_is_cleaned():
    """A survey's notes are fields made in the form's __init__; they were stored unclean."""

    class Notes(CleanTextMixin, forms.Form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["n_1"] = forms.CharField(required=False)

    form = Notes({"n_1": " a\x01b\u200b "})
    assert form.is_valid()
    assert form.cleaned_data["n_1"] == "ab"


def test_a_survey_note_is_stored_clean(world):  # noqa: F811
    built, clients, _ = world
    value = built.survey.values.first()
    data = {"version": built.survey.version, f"n_{value.indicator_id}": "Ghi\x01 chú\u200b"}

    def check(response):
        value.refresh_from_db()
        return response.status_code, value.note

    status, note = post(
        clients["liaison"], reverse("criteria:survey-save", args=[built.survey.pk]), data, check
    )
    assert status == 302 and note == "Ghi chú"


def test_an_account_name_and_a_token_name_are_stored_clean(world):  # noqa: F811
    built, clients, _ = world
    viewer = built.users["viewer"]
    data = {"first_name": "Hà\x01", "last_name": "Nguyễn\x7f", "role": User.Role.VIEWER}

    def account(response):
        viewer.refresh_from_db()
        return viewer.first_name, viewer.last_name

    url = reverse("account", args=[viewer.pk])
    assert post(clients["staff"], url, data, account) == ("Hà", "Nguyễn")

    def token(response):
        return list(
            ApiToken.objects.filter(user=built.users["support"]).values_list("name", flat=True)
        )

    assert post(clients["support"], reverse("my-account"), {"name": "Bảng\x01 tính"}, token) == [
        "Bảng tính"
    ]


def test_a_failed_login_logs_the_name_clean(world):  # noqa: F811
    _built, clients, _ = world
    data = {"username": "ai\x01đó\x1b[31m", "password": "sai"}

    def check(response):
        return list(
            AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED).values_list(
                "target", flat=True
            )
        )

    assert post(clients["anonymous"], reverse("login"), data, check) == ["aiđó[31m"]


def test_a_user_name_too_long_to_log_in_is_refused_by_the_form(world):  # noqa: F811
    """A 3.000-character user name reached django-axes, whose record of the failed login
    holds 255 characters: a DataError, a 500 on the login page."""
    _built, clients, _ = world
    data = {"username": "9" * 3000, "password": "sai"}

    def check(response):
        return response.status_code, response.content.decode()

    status, page = post(clients["anonymous"], reverse("login"), data, check)
    assert status == 200 and "150" in page


def test_django_s_own_messages_are_in_vietnamese():
    """ "Null characters are not allowed." and "“x” is not a valid value." were shown in
    English: Django's Vietnamese catalogue leaves them empty."""
    with translation.override("vi"):
        for field, value in (
            (forms.CharField(), "\x00"),
            (forms.ModelMultipleChoiceField(queryset=User.objects.all()), ["x"]),
        ):
            with pytest.raises(forms.ValidationError) as refused:
                field.clean(value)
            assert "không" in refused.value.messages[0].lower()


def test_a_malformed_plan_of_a_dissemination_is_not_found(world):  # noqa: F811
    """``plan=1e309`` was a ValueError (500)."""
    built, clients, _ = world
    url = reverse("assignments:dissemination-create", args=[built.agency.pk])
    for plan in ("1e309", "²", "99999999999999999999"):
        assert post(clients["liaison"], url, {"plan": plan}, lambda r: r.status_code) == 404


def test_a_malformed_attach_button_saves_the_survey(world):  # noqa: F811
    """``attach=²`` passed str.isdigit() and int() raised (500)."""
    built, clients, _ = world
    url = reverse("criteria:survey-save", args=[built.survey.pk])
    data = {"version": built.survey.version, "attach": "²"}
    assert post(clients["liaison"], url, data, lambda r: r.status_code) == 302


def test_a_proposal_to_an_agency_without_the_agency_is_refused_in_vietnamese(world):  # noqa: F811
    built, clients, _ = world
    url = reverse("assignments:proposal-create", args=[built.village.pk]) + f"?plan={built.plan.pk}"
    data = {
        "agency": built.agency.pk,
        "title": "Đường",
        "content": "Cần làm đường",
        "addressed_to": Proposal.Addressee.AGENCY,
    }
    count = Proposal.objects.count()

    def check(response):
        return response.status_code, response.content.decode(), Proposal.objects.count()

    status, page, after = post(clients["liaison"], url, data, check)
    assert status == 200 and after == count
    assert "Chọn cơ quan" in page and "Constraint" not in page


def test_an_ethnic_minority_share_outside_0_100_is_refused_by_the_form(world):  # noqa: F811
    built, clients, _ = world
    url = reverse("villages:year-save", args=[built.village.pk])

    def check(response):
        return response.status_code, response.content.decode(), VillageYear.objects.count()

    count = VillageYear.objects.count()
    for share in ("-1", "100.01"):
        status, page, after = post(
            clients["staff"], url, {"year": 2025, "ethnic_minority_share": share}, check
        )
        assert status == 400 and after == count
        assert "Constraint" not in page and "100" in page


def test_a_correction_without_its_version_says_so(world):  # noqa: F811
    """The version is a hidden field: its "required" error was not shown at all."""
    built, clients, _ = world
    activity = built.lead.activity
    url = reverse("assignments:activity-edit", args=[activity.pk])
    data = {
        "agency": built.agency.pk,
        "held_on": "2025-03-01",
        "kind": Activity.Kind.PROPAGANDA,
        "people_reached": "1",
        "households_reached": "1",
        "description": "Sửa",
    }

    def check(response):
        activity.refresh_from_db()
        return response.status_code, response.content.decode(), activity.description

    status, page, description = post(clients["liaison"], url, data, check)
    assert status == 200 and description == "Tuyên truyền"
    assert "Biểu mẫu bị thiếu thông tin" in page


def test_an_answer_over_the_long_text_bound_is_refused_not_a_500(world):  # noqa: F811
    """The API's answer of a proposal had no bound: a 100.000-character one broke the
    database's length check (IntegrityError, 500). The service checks bounds.LONG_TEXT."""
    built, clients, _ = world
    proposal = built.lead.proposal
    _token, raw = tokens.api_token_create(user=built.users["commune"], name="thử")
    answer = "Trả lời " * 2_000  # 16.000 characters

    def check(response):
        proposal.refresh_from_db()
        return response.status_code, proposal.status

    with override_settings(API_RATE_LIMIT=1000):
        status, state = post_json(
            clients["anonymous"],
            f"/api/v1/proposals/{proposal.pk}/transitions",
            {"action": "start", "answer": answer},
            raw,
            check,
        )
    assert status == 400 and state == Proposal.Status.OPEN
    url = reverse("assignments:proposal-transition", args=[proposal.pk, "start"])
    status, state = post(clients["commune"], url, {"answer": answer}, check)
    assert status == 302 and state == Proposal.Status.OPEN


def post_json(client, url, body, token, check):
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            response = client.post(
                url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
            )
            result = check(response)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return result

"""Issue 13, the value half: nothing a user types or an old row holds breaks a page, a report
or a worker. Each test names the item of the issue it covers."""

import datetime
import io

import docx
import openpyxl
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from assignments.models import Proposal, Resource, ResourceSource
from dankhoeo import bounds
from tests.permission_matrix import build_world

pytestmark = pytest.mark.django_db


# Item 3: amounts -------------------------------------------------------------------------------


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def test_3_an_amount_beyond_the_maximum_is_refused_by_the_form(client_for, world):
    client = client_for(world.users["liaison"])
    url = reverse("assignments:resource-create", args=[world.village.pk])
    response = client.post(
        f"{url}?plan={world.plan.pk}",
        {
            "agency": world.agency.pk,
            "source": ResourceSource.objects.first().pk,
            "kind": "cash",
            "amount": "9.000.000.000.000.000.000",
            "received_on": "2025-03-01",
            "households_benefiting": 0,
        },
    )
    assert response.status_code == 200
    assert "10.000.000.000.000" in response.content.decode()
    assert not Resource.objects.filter(amount__gt=bounds.MONEY.maximum).exists()


def test_3_the_database_refuses_an_amount_beyond_the_maximum(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Resource.objects.update(amount=9 * 10**18)


def test_3_records_at_the_maximum_add_up_on_every_page(client_for, world):
    for _ in range(3):
        Resource.objects.create(
            plan=world.plan,
            agency=world.agency,
            village=world.village,
            source=ResourceSource.objects.first(),
            kind="cash",
            amount=bounds.MONEY.maximum,
            received_on=datetime.date(2025, 3, 1),
        )
    assert Resource.objects.totals()["cash"] >= 3 * bounds.MONEY.maximum
    client = client_for(world.users["staff"])
    report_q = f"?plan={world.plan.number}&year=2025"
    for url in (
        reverse("assignments:resource-list") + "?year=2025",
        reverse("reports:dashboard") + report_q,
        reverse("reports:export", args=["review-xlsx"]) + report_q,
    ):
        assert client.get(url).status_code == 200, url


# Item 6: long texts ------------------------------------------------------------------------------


def test_6_a_two_megabyte_proposal_is_refused_with_a_clear_message(client_for, world):
    client = client_for(world.users["liaison"])
    url = reverse("assignments:proposal-create", args=[world.village.pk])
    before = Proposal.objects.count()
    response = client.post(
        f"{url}?plan={world.plan.pk}",
        {
            "agency": world.agency.pk,
            "title": "Đề xuất",
            "content": "x" * 2_000_000,
            "addressed_to": "commune",
        },
    )
    assert response.status_code == 200
    assert "10000" in response.content.decode()
    assert Proposal.objects.count() == before


def test_6_the_database_refuses_an_over_long_text(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.update(content="x" * (bounds.LONG_TEXT + 1))


# Items 10/11: names -------------------------------------------------------------------------------


def test_11_an_invisible_only_village_name_is_refused(client_for, world):
    client = client_for(world.users["staff"])
    response = client.post(
        reverse("villages:edit", args=[world.village.pk]),
        {"code": world.village.code, "name": "\u200b", "commune": world.commune.pk},
    )
    assert response.status_code == 200
    world.village.refresh_from_db()
    assert world.village.name == "Làng Được Giúp"


# Item 2: stored text of every kind, every exporter ------------------------------------------

NASTY = "\x01\x08\x0b\x0c\x1f\x7f\x85\x9f\u200b\u202e\ufeff\ufffe\uffff😀Đà"
SKIPPED = {"code", "number", "key", "search_text", "sort_key", "content_type", "history_type"}


def _store_nasty_text_everywhere() -> int:
    """Put NASTY into every free text field of every model, straight to the database."""
    fields = 0
    for app in ("villages", "criteria", "assignments", "reports"):
        for model in apps.get_app_config(app).get_models():
            changes = {
                field.attname: NASTY[: field.max_length or len(NASTY)]
                for field in model._meta.concrete_fields
                if isinstance(field, models.CharField | models.TextField)
                and not isinstance(field, models.FileField | models.SlugField)
                and not field.choices
                and field.name not in SKIPPED
                and not field.name.startswith("history_")
            }
            if changes:
                model._base_manager.update(**changes)
                fields += len(changes)
    return fields


def test_2_every_exporter_survives_every_character_class(client_for, world, tmp_path):
    assert _store_nasty_text_everywhere() > 50
    client = client_for(world.users["staff"])
    report_q = f"?plan={world.plan.number}&year=2025"
    sheets = {
        "roster": reverse("assignments:roster-export", args=[world.plan.pk]),
        "survey": reverse("criteria:survey-workbook") + f"?survey={world.survey.pk}",
        "set": reverse("criteria:set-workbook", args=[world.criteria_set.pk]),
        "review": reverse("reports:export", args=["review-xlsx"]) + report_q,
        "dashboard": reverse("reports:export", args=["dashboard-xlsx"]) + report_q,
    }
    for name, url in sheets.items():
        response = client.get(url)
        assert response.status_code == 200, name
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        cells = [c.value for ws in workbook for row in ws.iter_rows() for c in row]
        texts = [value for value in cells if isinstance(value, str)]
        assert not any("\x01" in text or "\x0b" in text for text in texts), name
        if name == "roster":  # the stored text itself is there, sanitised
            assert any("😀Đà" in text for text in texts)
    document = client.get(reverse("reports:export", args=["review-docx"]) + report_q)
    assert document.status_code == 200
    docx.Document(io.BytesIO(document.content))
    pdf = client.get(reverse("reports:export", args=["review-pdf"]) + report_q)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    target = tmp_path / "review.docx"
    call_command(
        "render_report", "review-docx", "--plan", world.plan.number, "--year", "2025", "-o", target
    )
    assert target.stat().st_size > 0


# Item 6: the review PDF with every long text at its maximum ---------------------------------------


def test_6_the_review_pdf_renders_texts_at_their_maximum_length(client_for, world):
    Proposal.objects.update(content="Nội dung dài " * (bounds.LONG_TEXT // 13))
    client = client_for(world.users["staff"])
    url = reverse("reports:export", args=["review-pdf"])
    response = client.get(f"{url}?plan={world.plan.number}&year=2025")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


# Item 7: the thirteen query strings --------------------------------------------------------------


def test_7_the_malformed_query_strings_of_the_issue_are_bad_requests(client_for, world):
    village = world.village.pk
    staff, liaison = (client_for(world.users[name]) for name in ("staff", "liaison"))
    for client, address in [
        (staff, reverse("assignments:activity-list") + "?year=²"),
        (staff, reverse("assignments:resource-list") + "?year=²"),
        (staff, reverse("assignments:proposal-list") + "?year=²"),
        (liaison, reverse("assignments:my-villages") + "?plan=²"),
        (liaison, reverse("assignments:village-work", args=[village]) + "?plan=²"),
        (staff, reverse("villages:year-save", args=[village]) + "?year=abc"),
        (staff, reverse("criteria:surveys") + "?year=-1"),
        (staff, reverse("criteria:survey-workbook") + "?survey=abc"),
    ]:
        response = client.get(address)
        assert response.status_code == 400, address
        assert "địa chỉ" in response.content.decode().lower(), address
    # The village list's filters are a form: a malformed province is an error on the form.
    response = staff.get(reverse("villages:list") + "?province=²")
    assert response.status_code == 200

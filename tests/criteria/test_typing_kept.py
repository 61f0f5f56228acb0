"""Pressing "Attach" or "Submit to the commune" after typing saves what was typed first (with
the version check): typing is never lost."""

from decimal import Decimal

from django.urls import reverse

from criteria.models import Evidence, Survey
from tests.criteria.conftest import indicator
from tests.criteria.test_views import PDF, form_data, upload


def save_url(survey):
    return reverse("criteria:survey-save", args=[survey.pk])


def test_attach_saves_the_typed_values_then_the_file(client_for, liaison, draft):
    roads = indicator(draft, "1.1")
    data = form_data(draft, **{"1_1": "72,5"})
    data.update({"attach": roads.pk, f"file-{roads.pk}": upload("bien-ban.pdf", PDF)})
    response = client_for(liaison).post(save_url(draft), data)
    assert response.status_code == 302
    value = draft.values.get(indicator=roads)
    assert value.value_number == Decimal("72.5")
    assert Evidence.objects.get(value=value).original_name == "bien-ban.pdf"


def test_attach_without_a_file_still_keeps_the_typing(client_for, liaison, draft):
    roads = indicator(draft, "1.1")
    data = {**form_data(draft, **{"1_1": "40"}), "attach": roads.pk}
    response = client_for(liaison).post(save_url(draft), data, follow=True)
    assert draft.values.get(indicator=roads).value_number == Decimal(40)
    assert "Hãy chọn ảnh hoặc tệp PDF" in response.content.decode()
    assert not Evidence.objects.exists()


def test_submit_saves_the_typed_values_then_submits(client_for, liaison, filled):
    data = {**form_data(filled, **{"1_1": "72,5"}), "then": "submit"}
    response = client_for(liaison).post(save_url(filled), data)
    assert response.status_code == 302
    filled.refresh_from_db()
    assert filled.status == Survey.Status.SUBMITTED
    assert filled.values.get(indicator=indicator(filled, "1.1")).value_number == Decimal("72.5")


def test_a_stale_page_neither_saves_nor_submits(client_for, liaison, filled):
    stale = {**form_data(filled, **{"1_1": "72,5"}), "then": "submit"}
    stale["version"] = filled.version - 1
    response = client_for(liaison).post(save_url(filled), stale)
    assert response.status_code == 409
    filled.refresh_from_db()
    assert filled.status == Survey.Status.DRAFT
    assert filled.values.get(indicator=indicator(filled, "1.1")).value_number != Decimal("72.5")


def test_a_bad_value_refuses_the_submit_and_keeps_what_was_typed(client_for, liaison, filled):
    data = {**form_data(filled, **{"1_1": "abc"}), "then": "submit"}
    response = client_for(liaison).post(save_url(filled), data)
    assert response.status_code == 400
    assert 'value="abc"' in response.content.decode()
    filled.refresh_from_db()
    assert filled.status == Survey.Status.DRAFT


def test_the_buttons_belong_to_the_survey_form(client_for, liaison, filled):
    page = client_for(liaison).get(reverse("criteria:survey", args=[filled.pk])).content.decode()
    assert 'form="survey-form" name="then" value="submit"' in page
    roads = indicator(filled, "1.1")
    form = page[
        page.index('id="survey-form"') : page.index("</form>", page.index('id="survey-form"'))
    ]
    assert f'name="attach" value="{roads.pk}"' in form
    assert f'name="file-{roads.pk}"' in form

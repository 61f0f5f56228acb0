"""Survey values and thresholds show as they were entered, the Vietnamese way."""

import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from criteria import queries, services
from criteria.models import STATUS_BADGES, Indicator, Survey, SurveyValue
from dankhoeo import money

ENTERED = [Decimal(75), Decimal("12.5"), Decimal("1234.5")]
SHOWN = ["75", "12,5", "1.234,5"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("75.0000"), "75"),
        (Decimal("12.5000"), "12,5"),
        (Decimal("1234.5"), "1.234,5"),
        (Decimal("0.0500"), "0,05"),
        (Decimal("1E+2"), "100"),
        (2500000, "2.500.000"),
        (Decimal("-3.50"), "-3,5"),
        (None, ""),
    ],
)
def test_a_number_is_written_as_entered(value, text):
    assert money.format_number(value) == text


@pytest.fixture
def numbers(draft, liaison):
    """Two percent indicators of the draft hold 75 and 12,5, a number indicator 1.234,5."""
    of_set = Indicator.objects.filter(criterion__criteria_set=draft.criteria_set).order_by("pk")
    indicators = [
        *of_set.filter(value_type=Indicator.ValueType.PERCENT)[:2],
        of_set.filter(value_type=Indicator.ValueType.NUMBER).first(),
    ]
    values = {
        ind.pk: services.ValueInput(value=v) for ind, v in zip(indicators, ENTERED, strict=True)
    }
    return services.survey_save_values(
        user=liaison, survey=draft, version=draft.version, values=values
    ), indicators


def test_the_survey_form_shows_the_numbers_as_entered(numbers, client_for, liaison):
    survey, indicators = numbers
    page = client_for(liaison).get(reverse("criteria:survey", args=[survey.pk])).content.decode()
    for indicator, text in zip(indicators, SHOWN, strict=True):
        assert f'name="v_{indicator.pk}" value="{text}"' in page
    assert "0000" not in page


def test_a_reader_sees_the_numbers_as_entered(numbers, client_for, staff, viewer):
    survey, _indicators = numbers
    page = client_for(viewer).get(reverse("criteria:survey", args=[survey.pk])).content.decode()
    for text in SHOWN:
        assert re.search(rf"<td>\s*{re.escape(text)}\s", page), text
    assert ",0000" not in page


@pytest.mark.parametrize(
    ("kind", "fields", "shown"),
    [
        ("boolean", {"value_bool": True}, "Có"),
        ("boolean", {"value_bool": False}, "Không"),
        ("boolean", {}, "—"),
        ("percent", {"value_number": Decimal("12.5000"), "assessed": True}, "12,5"),
        ("text", {"value_text": "<b>tốt</b>"}, "&lt;b&gt;tốt&lt;/b&gt;"),
        ("percent", {"assessed": False}, 'Chưa đạt <span class="small text-body-secondary">'),
        ("choice", {}, "—"),
    ],
)
def test_a_value_is_shown_as_entered_or_as_assessed(kind, fields, shown):
    """criteria/queries.value_text: what the survey page and its history show of a value."""
    value = SurveyValue(indicator=Indicator(value_type=kind), **fields)
    assert queries.value_text(value).startswith(shown)
    assert queries.value_text(None) == "—"


def test_verdict_badges():
    assert queries.verdict_badge("met") == '<span class="badge text-bg-success">Đạt</span>'
    assert queries.verdict_badge("not_met") == '<span class="badge text-bg-danger">Chưa đạt</span>'
    assert queries.verdict_badge("invalid").startswith('<span class="badge text-bg-warning">')
    assert queries.verdict_badge("unknown") == (
        '<span class="badge text-bg-secondary">Chưa đánh giá</span>'
    )


@pytest.mark.parametrize("status", list(Survey.Status))
def test_a_status_wears_the_same_badge_on_the_list_and_the_pages(status):
    """The survey list writes its rows' badges in Python; the survey page and the village panel
    include ``criteria/_status.html``: both take the colour from ``STATUS_BADGES``."""
    html = render_to_string("criteria/_status.html", {"survey": Survey(status=status)})
    assert f'<span class="badge {STATUS_BADGES[status]}">' in html
    assert len(set(STATUS_BADGES.values())) == len(Survey.Status)  # one colour per status

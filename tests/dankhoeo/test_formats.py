import datetime
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation


def render(source: str, **context) -> str:
    return Template("{% load humanize %}" + source).render(Context(context))


def test_numbers_and_dates_are_written_the_vietnamese_way():
    with translation.override("vi"):
        out = render(
            "{{ n }}|{{ d }}|{{ day|date:'SHORT_DATE_FORMAT' }}",
            n=1234567,
            d=Decimal("1234567.5"),
            day=datetime.date(2022, 3, 18),
        )
    assert out == "1.234.567|1.234.567,5|18/03/2022"


def test_english_uses_its_own_separators_but_keeps_day_first_dates():
    with translation.override("en"):
        out = render(
            "{{ n }}|{{ day|date:'SHORT_DATE_FORMAT' }}", n=1234567, day=datetime.date(2022, 3, 18)
        )
    assert out == "1,234,567|18/03/2022"


def test_forms_accept_vietnamese_dates():
    from django import forms

    class DateForm(forms.Form):
        day = forms.DateField()

    with translation.override("vi"):
        form = DateForm(data={"day": "05/12/2025"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2025, 12, 5)

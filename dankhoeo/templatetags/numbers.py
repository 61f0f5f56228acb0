"""{{ value|number }}: a survey value or an indicator's threshold as it was entered, the
Vietnamese way ("75", "12,5", "1.234,5"); the formatting is dankhoeo.money's."""

from django import template

from dankhoeo import money

register = template.Library()


@register.filter
def number(value):
    return money.format_number(value)

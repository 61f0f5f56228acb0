"""Template filters that show amounts the Vietnamese way; the formatting is dankhoeo.money's."""

from django import template

from dankhoeo import money

register = template.Library()


@register.filter
def dong(amount):
    """{{ amount|dong }} → "1.250.000 đ"."""
    return money.format_dong(amount)


@register.filter
def dong_summary(amount):
    """{{ amount|dong_summary }} → "1,2 tỷ đồng"."""
    return money.format_dong_summary(amount)


@register.filter
def whole(number):
    """{{ number|whole }} → "12.345"."""
    return "" if number is None else money.group_thousands(number)

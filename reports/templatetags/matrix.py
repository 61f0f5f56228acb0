"""The cells of the village × criterion matrix, written in one go: a page of the dashboard
has hundreds of them, which the template language would render one variable at a time."""

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def matrix_cells(row):
    """``<td>`` per criterion: the symbol (with * while awaiting approval), classed by verdict."""
    return format_html_join(
        "", '<td class="{}">{}</td>', ((c.html_class, c.text) for c in row.cells)
    )

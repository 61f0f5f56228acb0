"""Markup written in one go where a report page repeats it hundreds of times (the cells of the
village × criterion matrix, the bars of a chart), which the template language would render one
variable at a time. Every text in them is escaped."""

from django import template
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

register = template.Library()


@register.simple_tag
def matrix_cells(row):
    """``<td>`` per criterion: the symbol (with * while awaiting approval), classed by verdict."""
    return mark_safe(  # noqa: S308 - built from escaped parts
        "".join(f'<td class="{escape(c.html_class)}">{escape(c.text)}</td>' for c in row.cells)
    )


@register.simple_tag
def chart_bars(chart):
    """Each bar of a ``reports.charts.BarChart``: its label, its segments filled with the
    chart's patterns (each with its number as a tooltip) and its numbers as text. Coordinates
    are numbers formatted by ``reports.charts``; every text is escaped."""
    chart_id, height = escape(chart.chart_id), chart.bar_height
    parts = []
    for bar in chart.bars:
        label = escape(Truncator(bar.label).chars(30))
        parts.append(
            f'<text x="{chart.bar_x - 6}" y="{bar.text_y}" text-anchor="end">{label}</text>'
        )
        parts.extend(
            f'<rect x="{s.x}" y="{bar.y}" width="{s.width}" height="{height}" '
            f'fill="url(#{chart_id}-{escape(s.kind)})" stroke="#000" stroke-width="0.8">'
            f"<title>{localize(s.value)}</title></rect>"
            for s in bar.segments
        )
        parts.append(f'<text x="{chart.text_x}" y="{bar.text_y}">{escape(bar.text)}</text>')
    return mark_safe("\n".join(parts))  # noqa: S308 - built above from escaped parts

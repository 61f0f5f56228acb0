"""The markup the report pages write in one go (reports/templatetags/report_markup.py)."""

from django.template.loader import render_to_string
from django.utils import translation

from reports import charts
from reports.gathering import Cell, GroupRow
from reports.templatetags.report_markup import chart_bars, matrix_cells

HOSTILE = '<script>alert("x")</script>'


def test_chart_bars_escape_their_labels_and_carry_their_numbers():
    groups = [GroupRow(label=HOSTILE, villages=4, surveyed=4, approved=3, reaching=1, met_sum=9)]
    markup = chart_bars(charts.progress_chart("by-agency", "Theo cơ quan", groups))
    assert HOSTILE not in markup and "&lt;script&gt;" in markup
    # reaching 1, approved below the standard 2, pending 1 (no village without a survey)
    assert markup.count("<rect") == 3
    assert 'fill="url(#by-agency-reaching)"' in markup and "<title>2</title>" in markup
    assert ">1/4 (25%)</text>" in markup


def test_matrix_cells_mark_the_cells_awaiting_approval():
    class Row:
        cells = [Cell("met", "not_met"), Cell("not_met", "met", approved=False)]

    assert str(matrix_cells(Row())) == (
        '<td class="num cell-met">x+</td><td class="num cell-not_met unapproved">0*</td>'
    )


def test_a_tall_chart_keeps_plain_numbers_in_its_svg_attributes():
    """A province of many communes: heights above 1.000 must not be written "2.562" (which
    SVG reads as 2,5 px) by the Vietnamese number format."""
    groups = [
        GroupRow(label=f"Xã {n}", villages=2, surveyed=1, approved=1, reaching=1, met_sum=5)
        for n in range(97)
    ]
    groups[0].villages, groups[0].approved, groups[0].reaching = 1746, 600, 522
    with translation.override("vi"):
        chart = charts.progress_chart("by-commune", "Theo xã", groups)
        svg = render_to_string("reports/_bar_chart.svg", {"chart": chart})
    assert ">522/1.746 (30%)</text>" in svg  # numbers people read keep the Vietnamese point
    height = chart.height
    assert height > 1000
    assert f'viewBox="0 0 {chart.width} {height}"' in svg and f'height="{height}"' in svg
    assert f'y="{chart.legend[-1]["y"]}"' in svg and chart.legend[-1]["y"] > 1000

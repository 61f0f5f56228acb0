"""Charts drawn on the server as SVG, so that the page, its print-out and the PDF show the same
picture. Each segment has its own pattern (solid, hatched, dotted, empty) and every bar carries
its numbers as text, so a chart reads without colour. This module only computes geometry; the
templates ``reports/_bar_chart.svg`` and ``reports/_trend_chart.svg`` draw it (text escaped).
"""

from dataclasses import dataclass, field

from django.utils.formats import localize
from django.utils.translation import gettext_lazy as _

from reports.gathering import GroupRow, YearRow

LABEL_WIDTH = 190
BAR_WIDTH = 330
ROW_HEIGHT = 26
BAR_HEIGHT = 16
TEXT_WIDTH = 150

# Segment kinds and their patterns (ids in the template's <defs>).
SEGMENTS = [
    ("reaching", _("Meets the standard (approved)")),
    ("approved", _("Approved, below the standard")),
    ("pending", _("Not yet approved")),
    ("missing", _("No survey")),
]


def svg_number(value: float) -> str:
    """A coordinate as SVG writes it (a point, never a locale's comma), formatted once here
    rather than by a filter per attribute."""
    return f"{value:.1f}"


@dataclass
class Segment:
    kind: str
    x: str
    width: str
    value: int


@dataclass
class Bar:
    label: str
    y: str
    text_y: str
    text: str
    segments: list[Segment] = field(default_factory=list)


@dataclass
class BarChart:
    chart_id: str
    title: str
    bars: list[Bar]
    width: int = LABEL_WIDTH + BAR_WIDTH + TEXT_WIDTH

    @property
    def height(self) -> int:
        return int(len(self.bars) * ROW_HEIGHT + 56)

    @property
    def legend(self) -> list[dict]:
        """Under the bars, two rows of two (room for the longer English labels)."""
        top = self.height - 34
        return [
            {"kind": kind, "label": label, "x": 4 + (i % 2) * 300, "y": top + (i // 2) * 16}
            for i, (kind, label) in enumerate(SEGMENTS)
        ]

    bar_x: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT
    text_x: int = LABEL_WIDTH + BAR_WIDTH + 6


def progress_chart(chart_id: str, title: str, groups: list[GroupRow]) -> BarChart:
    """One stacked bar per group: villages meeting the standard, approved below it, surveys
    not yet approved, villages without a survey."""
    bars = []
    for index, group in enumerate(groups):
        values = {
            "reaching": group.reaching,
            "approved": group.approved - group.reaching,
            "pending": group.pending,
            "missing": group.villages - group.approved - group.pending,
        }
        x = float(LABEL_WIDTH)
        segments = []
        for kind, _label in SEGMENTS:
            width = BAR_WIDTH * values[kind] / group.villages if group.villages else 0
            if values[kind]:
                segments.append(Segment(kind, svg_number(x), svg_number(width), values[kind]))
            x += width
        reaching, villages = localize(group.reaching), localize(group.villages)
        text = f"{reaching}/{villages} ({group.percent_reaching}%)"  # 522/1.746 in Vietnamese
        y = 8 + index * ROW_HEIGHT
        label = group.label or "—"
        bars.append(Bar(label, svg_number(y), svg_number(y + BAR_HEIGHT - 3), text, segments))
    return BarChart(chart_id, title, bars)


@dataclass
class Column:
    year: int
    x: float
    reaching_y: float
    reaching_height: float
    pending_y: float
    pending_height: float
    reaching: int
    pending: int
    average: str


@dataclass
class TrendChart:
    chart_id: str
    title: str
    columns: list[Column]
    width: int
    height: int = 220
    base_y: int = 170
    column_width: int = 44


def trend_chart(chart_id: str, title: str, years: list[YearRow], villages: int) -> TrendChart:
    """Villages meeting the standard per year (solid) and surveys not yet approved (dotted),
    on a scale of the villages in scope; the average number of criteria met under each year."""
    scale = 140 / max(villages, 1)
    columns = []
    for index, row in enumerate(years):
        x = 40 + index * 80
        reaching_height = row.reaching * scale
        pending_height = row.pending * scale
        columns.append(
            Column(
                year=row.year,
                x=x,
                reaching_y=170 - reaching_height,
                reaching_height=reaching_height,
                pending_y=170 - reaching_height - pending_height,
                pending_height=pending_height,
                reaching=row.reaching,
                pending=row.pending,
                average=""
                if row.average_met is None
                else _("avg %(average)s") % {"average": localize(row.average_met)},
            )
        )
    return TrendChart(chart_id, title, columns, width=max(320, 80 + 80 * len(years)))

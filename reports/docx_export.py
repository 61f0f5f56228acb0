"""The yearly review as an editable Word document: the same context and content as the PDF,
laid out with python-docx in the Party format of Hướng dẫn 36-HD/VPTW, part by part as
reports/templates/reports/_pdf_style.css cites it (Times New Roman 14 pt, A4, language
vi-VN, page numbers centred at the top of every page after the first, each annex on new
landscape pages, table headers repeated on every page, the trend chart as an image).
"""

import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from docx import Document
from docx.oxml import OxmlElement
from docx.shared import Mm

from reports import docx_annexes
from reports.docx_parts import (
    CENTER,
    JUSTIFY,
    cell_text,
    margins,
    page_numbers,
    para,
    set_defaults,
    table,
)


def _two_columns(document, left_mm: float, right_mm: float):
    grid = document.add_table(rows=1, cols=2)
    grid.autofit = False
    for column, width in zip(grid.columns, (left_mm, right_mm), strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    return grid.rows[0].cells


def _header_block(document, header) -> None:
    left, right = _two_columns(document, 70, 95)
    if header.parent:
        cell_text(left, header.parent, align=CENTER)
    cell_text(left, header.body, bold=True, align=CENTER)
    cell_text(left, "*", align=CENTER)
    cell_text(left, header.number_line, align=CENTER)
    cell_text(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, size=15, align=CENTER)
    cell_text(right, header.date_line, italic=True, align=CENTER)


def _signature_block(document, header) -> None:
    left, right = _two_columns(document, 80, 85)
    left._tc.getparent().get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # one page
    # HD 36-HD/VPTW: "Nơi nhận:" upright, underlined, 14 pt; the recipients 12 pt
    cell_text(left, _("Recipients:"), underline=True, size=14)
    for index, line in enumerate(header.recipients, start=1):
        cell_text(left, f"- {line}{'.' if index == len(header.recipients) else ','}", size=12)
    for line in (header.signing_for, header.position):
        if line:
            cell_text(right, line, bold=True, align=CENTER)
    for _blank in range(4):
        cell_text(right, " ")
    if header.name:
        cell_text(right, header.name, bold=True, align=CENTER)


def trend_png(context) -> bytes:
    """The trend chart of the PDF (the same SVG template) as a PNG image."""
    import cairosvg  # only the Word export draws a picture: loaded on first use

    html = render_to_string("reports/_trend_chart.svg", {"chart": context["trend"]})
    svg = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]
    return cairosvg.svg2png(bytestring=svg.encode(), scale=3)


def _trend(document, context) -> None:
    report = context["report"]
    para(document, context["trend"].title, bold=True, size=12, align=CENTER, keep_with_next=True)
    document.add_picture(io.BytesIO(trend_png(context)), width=Mm(110))
    document.paragraphs[-1].alignment = CENTER
    table(
        document,
        [_("Year"), _("Approved surveys"), _("Meet the standard"), _("Average criteria met")],
        [
            [str(row.year), row.approved, row.reaching, row.average_met or "—"]
            for row in report.trend
            if row.year <= report.year
        ],
        widths=(25, 40, 40, 45),
        numeric=(1, 2, 3),
    )
    para(
        document,
        _("The average is over the villages with an approved survey that year."),
        italic=True,
        size=11,
    )


def review_docx(context: dict) -> bytes:
    report, header, facts = context["report"], context["header"], context["facts"]
    document = Document()
    set_defaults(document)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    margins(section, top=20, bottom=20, left=30, right=15)
    page_numbers(section, _("DEMO DATA: not official figures") if facts.demo else "")

    _header_block(document, header)
    para(document, header.title, bold=True, size=15, align=CENTER, space_before=18, space_after=0)
    para(document, header.subtitle, bold=True, align=CENTER, space_after=0)
    para(document, "-----", align=CENTER)
    if not report.has_data:
        para(
            document,
            _(
                "Nothing has been recorded for %(year)s in this scope yet: no "
                "approved survey, resource, activity or proposal."
            )
            % {"year": report.year},
            italic=True,
        )
    for index, part in enumerate(context["parts"], start=1):
        para(document, part.heading, bold=True, italic=part.level == 2, keep_with_next=True)
        for text in part.paragraphs:
            para(document, text, indent=True, align=JUSTIFY)
        if index == 2:
            _trend(document, context)
    _signature_block(document, header)
    docx_annexes.annexes(document, context)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()

"""The yearly review as an editable Word document: the same context as the PDF, laid out with
python-docx in the Party format (Times New Roman 14 pt, A4, margins of Decree 30, page numbers
centred at the top from page 2, table headers repeated on every page).

Text is added as plain runs: nothing a user typed is ever interpreted as markup or a field.
"""

import io

from django.utils.formats import localize, number_format
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"


def _margins(section, *, top, bottom, left, right) -> None:
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)


def _page_number_header(section) -> None:
    """A centred PAGE field at the top, not on the first page."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _para(
    container,
    text="",
    *,
    bold=False,
    italic=False,
    underline=False,
    size=None,
    align=None,
    indent=False,
    space_after=None,
):
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(str(text))
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    if space_after is not None:
        paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def _cell_text(cell, text, *, bold=False, italic=False, underline=False, size=None, align=None):
    paragraph = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    run = paragraph.add_run(str(text))
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _table(document, headers: list[str], rows: list[list], *, size=11):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(table.rows[0])
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell, header, bold=True, size=size, align=WD_ALIGN_PARAGRAPH.CENTER)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            _cell_text(cell, _text(value), size=size)
    return table


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float) or hasattr(value, "quantize"):
        return localize(value, use_l10n=True)
    return str(value)


def _number(value) -> str:
    return number_format(value, force_grouping=True)


def _header_block(document, context) -> None:
    doc = context["document"]
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    if doc.issuing_parent:
        _cell_text(left, doc.issuing_parent, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_text(left, doc.issuing_body, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_text(left, "*", align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_text(left, context["number_line"], align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_text(
        right,
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        bold=True,
        underline=True,
        size=15,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _cell_text(right, context["date_line"], italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def _signature_block(document, context) -> None:
    doc = context["document"]
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    if doc.recipient_list:
        _cell_text(left, _("Recipients:"), bold=True, italic=True, size=12)
        for line in doc.recipient_list:
            _cell_text(left, f"- {line}", size=12)
    for text in (doc.signing_for, doc.signatory_position):
        if text:
            _cell_text(right, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for _blank in range(4):
        _cell_text(right, " ")
    if doc.signatory_name:
        _cell_text(right, doc.signatory_name, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def _resource_rows(rows: list[dict], totals: dict) -> list[list]:
    keys = ("cash", "goods", "money", "work_days", "households")
    body = [[n, row["label"], *(_number(row[k]) for k in keys)] for n, row in enumerate(rows, 1)]
    return [*body, ["", _("Total"), *(_number(totals[k]) for k in keys)]]


def _annexes(document, report) -> None:
    section = document.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    _margins(section, top=20, bottom=15, left=20, right=15)
    center = WD_ALIGN_PARAGRAPH.CENTER

    _para(
        document,
        _("Annex 1. Criteria met by each village in %(year)s against %(last)s")
        % {"year": report.year, "last": report.previous_year},
        bold=True,
        align=center,
    )
    _para(
        document,
        _(
            "x: criterion met; x+: met this year, not met last year; 0: not met; "
            "-: no approved survey. Only approved surveys count."
        ),
        italic=True,
        size=11,
    )
    headers = [
        _("No."),
        _("Village"),
        _("Commune"),
        *[str(c.number) for c in report.criteria],
        _("Met %(year)s") % {"year": report.previous_year},
        _("Met %(year)s") % {"year": report.year},
        _("Standard"),
    ]
    rows = [
        [
            n,
            row.village.name,
            row.village.commune.name_with_successor(),
            *[cell.symbol for cell in row.cells],
            "-" if row.met_last_year is None else row.met_last_year,
            "-" if row.met is None else f"{row.met}/{row.this_year.count}",
            _("Met") if row.reaches_standard else "",
        ]
        for n, row in enumerate(report.rows, 1)
    ]
    rows.append(
        [
            "",
            _("Total"),
            "",
            *["" for _c in report.criteria],
            report.totals["reaching_last_year"],
            report.totals["reaching"],
            _("villages meet the standard"),
        ]
    )
    _table(document, headers, rows, size=10)
    for criterion in report.criteria:
        _para(document, f"{criterion.number}. {criterion.name}", size=10, space_after=0)

    resource_headers = [
        _("No."),
        "",
        _("Cash (đồng)"),
        _("Goods (đồng)"),
        _("Total (đồng)"),
        _("Work-days"),
        _("Households benefiting"),
    ]
    _para(
        document,
        _("Annex 2. Resources mobilised in %(year)s") % {"year": report.year},
        bold=True,
        align=center,
    )
    _para(document, _("By agency"), bold=True)
    resource_headers[1] = _("Agency")
    _table(document, resource_headers, _resource_rows(report.resources_by_agency, report.resources))
    _para(document, _("By source"), bold=True)
    resource_headers[1] = _("Source")
    _table(document, resource_headers, _resource_rows(report.resources_by_source, report.resources))

    _para(document, _("Annex 3. Support teams"), bold=True, align=center)
    _table(
        document,
        [_("No."), _("Village"), _("Team leader"), _("Members"), _("Decision")],
        [
            [
                n,
                row.village.name,
                row.leader.full_name if row.leader else "",
                "; ".join(m.full_name for m in row.members),
                row.team.decision if row.team else "",
            ]
            for n, row in enumerate(report.teams, 1)
        ],
    )

    _para(document, _("Annex 4. “Dân vận khéo” models"), bold=True, align=center)
    _table(
        document,
        [
            _("No."),
            _("Model"),
            _("Village"),
            _("Agency"),
            _("Field"),
            _("Stage"),
            _("Registered on"),
            _("Standards met"),
        ],
        [
            [
                n,
                m.name,
                m.village.name,
                m.agency,
                m.get_field_display(),
                m.get_stage_display(),
                m.registered_on.strftime("%d/%m/%Y"),
                f"{m.standards_met}/5",
            ]
            for n, m in enumerate(report.models, 1)
        ],
    )

    _para(
        document,
        _("Annex 5. Difficulties and proposals in %(year)s, and how they were handled")
        % {"year": report.year},
        bold=True,
        align=center,
    )
    _table(
        document,
        [
            _("No."),
            _("Village"),
            _("Agency"),
            _("Difficulty or proposal"),
            _("Addressed to"),
            _("Status"),
            _("How it was handled"),
        ],
        [
            [
                n,
                p.village.name,
                p.agency,
                f"{p.title}: {p.content}",
                p.addressee_label,
                p.get_status_display(),
                p.answer,
            ]
            for n, p in enumerate(report.proposals, 1)
        ],
    )


def review_docx(context: dict) -> bytes:
    report, doc, narrative = context["report"], context["document"], context["narrative"]
    document = Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    _margins(section, top=20, bottom=20, left=30, right=15)
    _page_number_header(section)

    _header_block(document, context)
    _para(document, doc.title, bold=True, size=15, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    if doc.subtitle:
        _para(document, doc.subtitle, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    if not report.has_data:
        _para(
            document,
            _(
                "Nothing has been recorded for %(year)s in this scope yet: no "
                "approved survey, resource, activity or proposal."
            )
            % {"year": report.year},
            italic=True,
        )
    for heading, paragraphs in (
        (_("I. RESULTS"), narrative.results),
        (_("II. DIRECTIONS AND TASKS"), narrative.tasks),
        (_("III. PROPOSALS AND RECOMMENDATIONS"), narrative.proposals),
    ):
        _para(document, heading, bold=True)
        for text in paragraphs:
            _para(document, text, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _signature_block(document, context)
    _annexes(document, report)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()

"""The building blocks of the Word documents (python-docx): paragraphs, cells, tables with set
column widths and right-aligned numbers, sections, page numbers, the document's language and
the running demo line. Text is added as plain runs: nothing a user typed is ever interpreted
as markup or a field."""

from django.utils.formats import localize
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from dankhoeo.text import for_export

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
CENTER, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)


def set_defaults(document) -> None:
    """Times New Roman 14 pt, Vietnamese as the language of every run."""
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    for properties in (style.element.rPr, defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))):
        language = properties.find(qn("w:lang"))
        if language is None:
            language = OxmlElement("w:lang")
            properties.append(language)
        language.set(qn("w:val"), LANGUAGE)
        language.set(qn("w:eastAsia"), LANGUAGE)
    document.core_properties.language = LANGUAGE


def margins(section, *, top, bottom, left, right) -> None:
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)


def field_run(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def page_numbers(section, demo_line: str = "") -> None:
    """A centred PAGE field at the top of every page but the first; the demo line (if any) at
    the foot of every page, the first included."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    field_run(paragraph, "PAGE")
    if demo_line:
        for footer in (section.footer, section.first_page_footer):
            para(footer, demo_line, bold=True, size=10, align=CENTER)
            footer.paragraphs[0]._p.getparent().remove(footer.paragraphs[0]._p)


def new_landscape_section(document):
    """A new page in landscape, numbered on its first page too (header and footer linked to
    the previous section's)."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    margins(section, top=30, bottom=15, left=20, right=20)  # as the PDF's annex pages
    section.different_first_page_header_footer = False
    return section


def para(
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
    space_before=None,
    keep_with_next=False,
):
    """A paragraph of one run; ``keep_with_next`` for a heading, never left alone at the foot
    of a page without what follows it."""
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(for_export(str(text)))
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    if space_after is not None:
        paragraph.paragraph_format.space_after = Pt(space_after)
    if space_before is not None:
        paragraph.paragraph_format.space_before = Pt(space_before)
    paragraph.paragraph_format.keep_with_next = keep_with_next or None
    return paragraph


def cell_text(cell, text, *, bold=False, italic=False, underline=False, size=None, align=None):
    first = cell.paragraphs[0]
    paragraph = first if not first.text and not first.runs else cell.add_paragraph()
    run = paragraph.add_run(for_export(str(text)))
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)


def repeat_header(row) -> None:
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) or hasattr(value, "quantize"):
        return localize(value, use_l10n=True)
    return str(value)


def table(document, headers, rows, *, widths, numeric=(), size=11, together=False):
    """A bordered table: header repeated on every page; ``widths`` in mm per column; the
    columns in ``numeric`` right-aligned. A row is a list of values, or a dict {"cells",
    "bold", "merge", "span"/"spans"}: bold for totals, merge for a group line across the
    table, span (first, last) for one text over those columns (a subtotal's label), spans a
    list of them. ``together`` keeps a
    short table on one page (each row with the next, as the PDF's page-break-inside: avoid)."""
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    repeat_header(grid.rows[0])
    for cell, header in zip(grid.rows[0].cells, headers, strict=True):
        cell_text(cell, header, bold=True, size=size, align=CENTER)
        cell.paragraphs[-1].paragraph_format.keep_with_next = True  # with the first row
    specs = [row if isinstance(row, dict) else {"cells": row} for row in rows]
    for spec, following in zip(specs, [*specs[1:], {}], strict=True):
        added = grid.add_row()
        added._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row on one page
        cells = added.cells
        if spec.get("merge"):
            merged = cells[0].merge(cells[-1])
            cell_text(merged, spec["merge"], bold=True, italic=True, size=size)
            for paragraph in merged.paragraphs:  # a group's heading stays with its rows
                paragraph.paragraph_format.keep_with_next = True
            continue
        spans = spec.get("spans", [spec["span"]] if "span" in spec else [])
        for index, (cell, value) in enumerate(zip(cells, spec["cells"], strict=True)):
            if any(first < index <= last for first, last in spans):
                continue  # merged into the spanning cell
            spanning = any(first == index for first, _last in spans)
            align = RIGHT if index in numeric and not spanning else None
            cell_text(cell, text(value), bold=spec.get("bold", False), size=size, align=align)
            if following.get("bold") or (together and following):  # kept with the next row
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
        for first, last in spans:
            cells[first].merge(cells[last])
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Mm(width)
    for row in grid.rows:  # a merged cell is as wide as the columns it spans
        start = 0
        for tc in row._tr.tc_lst:
            tc.width = Mm(sum(widths[start : start + tc.grid_span]))
            start += tc.grid_span
    return grid

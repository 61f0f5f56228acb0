"""The yearly review as the clerk who signs it reads it: the Word file says what the PDF says
(subtotals in words), headings never stay alone at the foot of a page, every Excel sheet of a
list ends with its total, and the tổng kết carries its lessons learned pre-filled."""

import io

from docx import Document
from docx.oxml.ns import qn

from .test_exporters import pdf_text
from .test_review_document import facts, lines_of, render  # noqa: F401 (fixture)

SUBTOTAL_DAK_NA = "Cộng: 1 thôn, 1 thôn đạt chuẩn (năm trước: 0)"  # Kon Hia, from Đăk Na


def test_word_subtotals_say_what_the_pdf_says(facts, tmp_path):  # noqa: F811
    body = " ".join(lines_of(pdf_text(render(facts, "review-pdf"), tmp_path)))
    assert SUBTOTAL_DAK_NA in body
    document = Document(io.BytesIO(render(facts, "review-docx")))
    matrix = next(t for t in document.tables if t.rows[0].cells[1].text == "Thôn, làng")
    subtotals = [row for row in matrix.rows if row.cells[1].text.startswith("Cộng")]
    assert len(subtotals) == 4  # one per commune as entered
    assert SUBTOTAL_DAK_NA in [row.cells[1].text for row in subtotals]
    for row in subtotals:  # one text over the name and criterion columns, as in the PDF
        assert row.cells[1]._tc.grid_span == len(matrix.columns) - 2
        assert row.cells[-1].text.isdigit() and row.cells[-1].paragraphs[0].runs[0].bold


def test_word_headings_stay_with_what_follows_them(facts):  # noqa: F811
    document = Document(io.BytesIO(render(facts, "review-docx")))
    kept = {p.text for p in document.paragraphs if p.paragraph_format.keep_with_next}
    for heading in (
        "Tổng hợp thôn, làng theo xã sau sắp xếp đơn vị hành chính năm 2025",
        "Số thôn, làng đạt chuẩn qua các năm",
        "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN",
        "Theo cơ quan, đơn vị",
    ):
        assert heading in kept, heading
    assert any(text.startswith("Phụ lục 1.") for text in kept)
    communes = next(t for t in document.tables if t.rows[0].cells[1].text == "Xã (hiện nay)")
    for row in communes.rows[:-1]:  # the short table on one page, its heading with it
        assert all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)
    signature = next(t for t in document.tables if t.rows[0].cells[0].text.startswith("Nơi"))
    assert signature.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None  # on one page

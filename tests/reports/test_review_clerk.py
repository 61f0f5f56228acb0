"""The yearly review as the clerk who signs it reads it: the Word file says what the PDF says
(subtotals in words), headings never stay alone at the foot of a page, every Excel sheet of a
list ends with its total, and the tổng kết carries its lessons learned pre-filled."""

import io

import openpyxl
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from assignments.models import Assignment, SupportTeam

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


def test_the_models_and_difficulties_sheets_end_with_their_totals(facts):  # noqa: F811
    workbook = openpyxl.load_workbook(io.BytesIO(render(facts, "review-xlsx")))
    for title, label, column in (
        ("Mô hình", "mô hình", "Giai đoạn"),
        ("Khó khăn", "khó khăn, kiến nghị", "Trạng thái"),
    ):
        sheet = workbook[title]
        header = [cell.value for cell in sheet[4]]  # under the three title rows
        rows = list(sheet.iter_rows(min_row=5, values_only=True))
        body, total = rows[:-1], rows[-1]
        assert body and total[0] == f"Tổng cộng: {len(body)} {label}", title
        assert sheet.cell(row=sheet.max_row, column=1).font.bold
        where = header.index(column)
        counted = dict(part.rsplit(": ", 1) for part in total[where].split("; "))
        assert sum(int(n) for n in counted.values()) == len(body)
        for name, n in counted.items():  # each stage or status counted as the rows show it
            assert int(n) == sum(1 for row in body if row[where] == name), (title, name)


TEAM_LESSON = "1/1 thôn, làng có tổ hỗ trợ đạt chuẩn, so với 0/3 thôn, làng chưa có tổ"


def test_the_final_review_drafts_its_lessons_from_the_periods_data(
    facts,  # noqa: F811
    client_for,
    staff,
    tmp_path,
):
    body = " ".join(lines_of(pdf_text(render(facts, "review-pdf"), tmp_path)))
    lessons = body[body.index("IV. BÀI HỌC KINH NGHIỆM") : body.index("V. PHƯƠNG HƯỚNG")]
    assert TEAM_LESSON in lessons  # Kon Hia alone has a team, and meets the standard
    assert "tiêu chí chưa đạt nhiều nhất (Tiêu chí số 2)" in lessons
    assert "giai đoạn 2021–2025 đã trả lời 1/2 kiến nghị" in lessons
    assert "Ở đâu cơ quan" not in lessons  # no agency did every duty: nothing to compare
    word = " ".join(p.text for p in Document(io.BytesIO(render(facts, "review-docx"))).paragraphs)
    assert "IV. BÀI HỌC KINH NGHIỆM" in word and TEAM_LESSON in word
    form = (
        client_for(staff).get("/reports/review/edit/?plan=133-KH%2FTU&year=2025").content.decode()
    )
    assert TEAM_LESSON in form  # in the text box, for staff to rewrite
    interim = " ".join(lines_of(pdf_text(render(facts, "review-pdf", year=2024), tmp_path)))
    assert "BÀI HỌC KINH NGHIỆM" not in interim


def test_a_lesson_the_data_does_not_support_is_not_drafted(facts, tmp_path):  # noqa: F811
    SupportTeam.objects.filter(village=facts.kon_hia).delete()
    SupportTeam.objects.create(plan=facts.plan, village=facts.xop_dui, decision="QĐ 1")
    body = " ".join(lines_of(pdf_text(render(facts, "review-pdf"), tmp_path)))
    assert "IV. BÀI HỌC KINH NGHIỆM" in body  # the other lessons still hold
    assert "có tổ hỗ trợ đạt chuẩn" not in body  # the one village with a team does not


def _runs(content: bytes, page: int) -> dict[str, tuple[float, str]]:
    """Each text run of a PDF page: its size in points and its font's style."""
    runs = {}

    def visit(text, cm, tm, font, size):
        if text.strip() and font:
            style = font["/BaseFont"].split("+")[-1].removeprefix("Tinos").strip("-")
            runs.setdefault(text.strip(), (round(size * tm[0] * cm[0], 1), style or "Regular"))

    PdfReader(io.BytesIO(content)).pages[page].extract_text(visitor_text=visit)
    return runs


def test_each_part_of_the_header_and_signature_has_the_size_and_style_of_hd_36(facts):  # noqa: F811
    """Hướng dẫn 36-HD/VPTW, Phụ lục 3 (the sizes in points, the styles)."""
    facts.plan.heading_parent = "ĐẢNG BỘ TỈNH KON TUM"
    facts.plan.save()
    content = render(facts, "review-pdf", year=2024)
    first = _runs(content, 0)
    expected = {
        "ĐẢNG BỘ TỈNH KON TUM": (14, "Regular"),  # the superior body: capitals, upright
        "TỈNH ỦY KON TUM": (14, "Bold"),  # the issuing body: capitals, bold
        "*": (14, "Regular"),
        "ĐẢNG CỘNG SẢN VIỆT NAM": (15, "Bold"),
        "Kon Tum, ngày … tháng … năm …": (14, "Italic"),
        "BÁO CÁO": (15, "Bold"),
        "Sơ kết tình hình thực hiện Kế hoạch số 133-KH/TU năm 2024": (14, "Bold"),
    }
    for text, size_style in expected.items():
        assert first[text] == size_style, text
    number = next(run for text, run in first.items() if text.startswith("Số"))
    assert number == (14, "Regular")
    pages = PdfReader(io.BytesIO(content)).pages
    last = next(i for i, page in enumerate(pages) if "Nơi nhận:" in page.extract_text())
    signature = _runs(content, last)
    assert signature["Nơi nhận:"] == (14, "Regular")  # upright, not bold (and underlined)
    assert signature["- Lưu Văn phòng Tỉnh ủy."] == (12, "Regular")
    for line in ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "Nguyễn Văn Thử"):
        assert signature[line] == (14, "Bold"), line
    assert _runs(content, 1)["2"] == (14, "Regular")  # the page number, from the second page


def test_agencies_are_named_by_their_full_name_throughout(facts, tmp_path):  # noqa: F811
    """The Board reads one name per agency: the narrative and every annex name it as the
    duties annex does, never by a short name it would have to match."""
    for agency, short in ((facts.agency_a, "BDVTU"), (facts.agency_b, "SNNX")):
        agency.short_name = short
        agency.save()
    pdf = " ".join(lines_of(pdf_text(render(facts, "review-pdf"), tmp_path)))
    word = Document(io.BytesIO(render(facts, "review-docx")))
    word_text = " ".join(
        [p.text for p in word.paragraphs]
        + [c.text for t in word.tables for row in t.rows for c in row.cells]
    )
    workbook = openpyxl.load_workbook(io.BytesIO(render(facts, "review-xlsx")))
    cells = " ".join(
        str(c.value) for s in workbook.worksheets for row in s.iter_rows() for c in row
    )
    for text in (pdf, word_text, cells):
        assert "BDVTU" not in text and "SNNX" not in text
        assert "Ban Dân vận Tỉnh ủy" in text and "Sở Nông nghiệp" in text
    models = pdf[pdf.index("Phụ lục 5") : pdf.index("Phụ lục 6")]
    assert "Ban Dân vận Tỉnh ủy" in models or "Sở Nông nghiệp" in models


def test_the_narrative_reads_as_a_clerk_writes_it(facts, tmp_path):  # noqa: F811
    interim = " ".join(lines_of(pdf_text(render(facts, "review-pdf", year=2024), tmp_path)))
    assert "3 thôn, làng chưa được khảo sát." in interim  # no "and 0 surveys not approved"
    assert "0 kết quả khảo sát" not in interim
    final = " ".join(lines_of(pdf_text(render(facts, "review-pdf"), tmp_path)))
    assert "1 thôn, làng chưa được khảo sát và 1 kết quả khảo sát chưa được phê duyệt." in final
    assert "Đề nghị cấp xã: Đường vào làng." in final  # not "Đề nghị Cấp xã"
    word = Document(io.BytesIO(render(facts, "review-docx")))
    legend = next(p.text for p in word.paragraphs if p.text.startswith("x: đạt tiêu chí"))
    assert "Dòng tổng cộng ghi số thôn đạt từng tiêu chí" in legend  # as the PDF's legend


def test_a_village_without_a_lead_agency_is_named_and_its_survey_still_counts(
    facts,  # noqa: F811
    tmp_path,
):
    Assignment.objects.filter(village=facts.kon_hia, role=Assignment.Role.LEAD).delete()
    body = " ".join(lines_of(pdf_text(render(facts, "review-pdf"), tmp_path)))
    # the same count as the coverage sentence (2 approved, 0 waiting for the province),
    # though the duties annex, by agency, no longer holds Kon Hia
    assert "Rà soát, khảo sát cùng xã: 2/4 thôn, làng đã được khảo sát" in body
    assert "2 thôn có kết quả khảo sát năm 2025 đã được phê duyệt, " in body
    assert "thôn chờ tỉnh phê duyệt" not in body
    assert "Thôn, làng chưa có cơ quan, đơn vị phụ trách: Làng Kon Hia." in body


def test_the_models_and_proposals_annexes_end_with_their_totals_in_pdf_and_word(
    facts,  # noqa: F811
    tmp_path,
):
    workbook = openpyxl.load_workbook(io.BytesIO(render(facts, "review-xlsx")))
    expected = {  # the workbook's totals, checked against its rows above
        title: [v for v in list(workbook[title].iter_rows(values_only=True))[-1] if v]
        for title in ("Mô hình", "Khó khăn")
    }
    assert expected["Khó khăn"] == [
        "Tổng cộng: 2 khó khăn, kiến nghị",
        "Mới tiếp nhận: 1; Đã giải quyết: 1",
    ]
    body = " ".join(lines_of(pdf_text(render(facts, "review-pdf"), tmp_path)))
    for annex, following in (("Phụ lục 5", "Phụ lục 6"), ("Phụ lục 6", None)):
        text = body[body.index(annex) : body.index(following) if following else None]
        title = "Mô hình" if annex == "Phụ lục 5" else "Khó khăn"
        assert " ".join(expected[title]) in text, annex
    document = Document(io.BytesIO(render(facts, "review-docx")))
    for header, title in (("Mô hình", "Mô hình"), ("Khó khăn, kiến nghị", "Khó khăn")):
        table = next(t for t in document.tables if header in [c.text for c in t.rows[0].cells])
        last = table.rows[-1]
        texts = [c.text for c in last.cells if c.text]
        assert list(dict.fromkeys(texts)) == expected[title], title
        assert last.cells[1].paragraphs[0].runs[0].bold

"""Golden checks on the real files of the yearly review: the Party-format header (HD
36-HD/VPTW) from the plan's facts, the body I–VI, true totals, the demo mark on every page, no
apostrophes in workbooks, the Word file's sections, page numbers and language (and what
LibreOffice shows of it), and a scoped report without the whole plan's narrative."""

import datetime
import io
import shutil
import subprocess

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from assignments.models import CommonPlan, Plan, Proposal
from reports import documents, exporters
from reports.models import ReportDocument
from tests.factories import join, make_agency

from .test_exporters import pdf_text

WHOLE_PLAN_TEXT = "Đoạn văn do Ban Thường vụ viết cho toàn kế hoạch."


@pytest.fixture
def facts(known):
    """The committee's document facts, kept once on the plan."""
    plan = known.plan
    plan.heading = "TỈNH ỦY KON TUM"
    plan.document_place = "Kon Tum"
    plan.signing_for = "T/M BAN THƯỜNG VỤ"
    plan.signatory_position = "PHÓ BÍ THƯ THƯỜNG TRỰC"
    plan.signatory_name = "Nguyễn Văn Thử"
    plan.save()
    return known


def render(known, name, *, year=2025, scope="", user=None):
    params = exporters.resolve(plan=known.plan.number, year=year, scope=scope, user=user)
    return exporters.EXPORTERS[name].render(params)[2]


def lines_of(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def test_the_header_is_laid_out_as_the_party_format_prescribes(facts, tmp_path):
    text = pdf_text(render(facts, "review-pdf", year=2024), tmp_path)
    first = lines_of(text.split("\f")[0])
    assert first[0] == "TỈNH ỦY KON TUM ĐẢNG CỘNG SẢN VIỆT NAM"
    assert first[1] == "*"
    assert first[2] == "Kon Tum, ngày … tháng … năm …"  # the office writes these in
    assert first[3] == "Số -BC/TU"
    assert first[4] == "BÁO CÁO"
    assert first[5] == "Sơ kết tình hình thực hiện Kế hoạch số 133-KH/TU năm 2024"
    assert first[7].startswith("I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO")
    body = " ".join(lines_of(text))
    for heading in ["II. KẾT QUẢ THỰC HIỆN", "III. ĐÁNH GIÁ CHUNG", "IV. PHƯƠNG HƯỚNG"]:
        assert heading in body
    assert "BÀI HỌC KINH NGHIỆM" not in body  # lessons belong to the final review
    assert "Nơi nhận:" in body and "- Lưu Văn phòng Tỉnh ủy." in body
    assert "T/M BAN THƯỜNG VỤ" in body and "PHÓ BÍ THƯ THƯỜNG TRỰC" in body
    assert body.index("Nơi nhận:") < body.index("Nguyễn Văn Thử") < body.index("Phụ lục 1")


def test_the_plans_last_year_is_the_final_review_of_the_whole_period(facts, tmp_path):
    ReportDocument.objects.create(plan=facts.plan, year=2025, section_lessons="Bám sát thôn, làng.")
    body = " ".join(lines_of(pdf_text(render(facts, "review-pdf"), tmp_path)))
    assert "Tổng kết 5 năm thực hiện Kế hoạch số 133-KH/TU (2021–2025)" in body
    assert "IV. BÀI HỌC KINH NGHIỆM" in body and "V. PHƯƠNG HƯỚNG" in body
    assert "giai đoạn 2021–2025" in body
    # the 2024 resource of 9.999.999 counts in the period's duties annex
    assert "11.999.999" in body


def test_a_report_overrides_the_plans_facts(facts, tmp_path):
    ReportDocument.objects.create(
        plan=facts.plan, year=2025, number="145", signatory_name="Trần Thị Ký"
    )
    body = " ".join(lines_of(pdf_text(render(facts, "review-pdf"), tmp_path)))
    assert "Số 145-BC/TU" in body and "Trần Thị Ký" in body and "Nguyễn Văn Thử" not in body


def test_the_coverage_and_the_comparable_average_are_stated(facts, tmp_path):
    body = " ".join(lines_of(pdf_text(render(facts, "review-pdf"), tmp_path)))
    assert (
        "trong 4 thôn, làng, 2 thôn có kết quả khảo sát năm 2025 đã được phê duyệt, 1 thôn "
        "chờ xã xác nhận và 1 thôn chưa khảo sát; "
    ) in body
    # a stage no village is at is not named
    assert "0 thôn chờ tỉnh phê duyệt" not in body and "0 thôn đang nhập" not in body
    assert "Tính trên 1 thôn, làng có kết quả được phê duyệt cả hai năm" in body
    assert "Các tiêu chí chưa đạt nhiều nhất: Tiêu chí số 2 (1 thôn)" in body


def test_the_proposal_status_reads_as_a_status(facts, tmp_path):
    text = pdf_text(render(facts, "review-pdf"), tmp_path)
    annex = text[text.index("Phụ lục 6") :]
    assert "Mới tiếp nhận" in annex and "Xem" not in text


def test_demo_data_is_marked_on_every_page_of_every_file(facts, tmp_path):
    facts.kon_hia.is_demo = True
    facts.kon_hia.save()
    pages = pdf_text(render(facts, "review-pdf"), tmp_path).split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) > 3
    assert all("DỮ LIỆU MẪU" in page for page in pages)
    document = Document(io.BytesIO(render(facts, "review-docx")))
    first = document.sections[0]
    assert "DỮ LIỆU MẪU" in first.footer.paragraphs[0].text
    assert "DỮ LIỆU MẪU" in first.first_page_footer.paragraphs[0].text
    assert all(section.footer.is_linked_to_previous for section in document.sections[1:])
    workbook = openpyxl.load_workbook(io.BytesIO(render(facts, "review-xlsx")))
    for sheet in workbook.worksheets:
        assert "DỮ LIỆU MẪU" in sheet["A4"].value


def test_real_data_carries_no_demo_mark(facts, tmp_path):
    assert "DỮ LIỆU MẪU" not in pdf_text(render(facts, "review-pdf"), tmp_path)


def test_no_workbook_cell_begins_with_an_apostrophe(facts):
    Proposal.objects.filter(title="Đường vào làng").update(answer="-", content="=1+1")
    for name in ("review-xlsx", "dashboard-xlsx"):
        workbook = openpyxl.load_workbook(io.BytesIO(render(facts, name)))
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert not (isinstance(cell.value, str) and cell.value.startswith("'"))
                    assert cell.data_type != "f"


def test_totals_equal_the_sum_of_their_rows(facts):
    workbook = openpyxl.load_workbook(io.BytesIO(render(facts, "review-xlsx")))
    for title in ("Nguồn lực theo cơ quan", "Nguồn lực theo nguồn", "Nhiệm vụ theo cơ quan"):
        sheet = workbook[title]
        rows = list(sheet.iter_rows(min_row=5, values_only=True))
        body, total = rows[:-1], rows[-1]
        assert total[0] == "Tổng cộng"
        for index, value in enumerate(total):
            if isinstance(value, int):
                assert value == sum(row[index] or 0 for row in body), (title, index)
    matrix = workbook["Tiêu chí"]
    rows = list(matrix.iter_rows(min_row=5, values_only=True))
    villages = [row for row in rows[:-1] if row[1] != "Cộng"]
    subtotals = [row for row in rows[:-1] if row[1] == "Cộng"]
    assert len(villages) == 4 and len(subtotals) == 4  # one per commune as entered
    assert rows[-1][1] == "Tổng cộng"  # the grand total once, at the end
    assert rows[-1][-1] == sum(row[-1] for row in villages) == sum(row[-1] for row in subtotals)
    for subtotal in subtotals:  # each subtotal adds up the villages of its commune above it
        mine = [row for row in villages if row[3] == subtotal[3]]
        assert subtotal[-1] == sum(row[-1] for row in mine)
    assert matrix.cell(row=5 + rows.index(subtotals[0]), column=2).font.bold
    communes = list(workbook["Theo xã hiện nay"].iter_rows(min_row=5, values_only=True))
    assert communes[-1][0] == "Tổng cộng"
    for index in range(1, 5):
        assert communes[-1][index] == sum(row[index] for row in communes[:-1])
    assert communes[-1][1] == 4


def test_the_word_file_has_its_sections_page_numbers_and_language(facts):
    document = Document(io.BytesIO(render(facts, "review-docx")))
    sections = document.sections
    assert len(sections) == 7  # the body, then each of the six annexes on new pages
    assert sections[0].different_first_page_header_footer
    assert "PAGE" in sections[0].header._element.xml
    for section in sections[1:]:  # numbered on their first page too
        assert not section.different_first_page_header_footer
        assert section.header.is_linked_to_previous
        assert section.page_width > section.page_height  # landscape
    language = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert language.get(qn("w:val")) == "vi-VN"
    assert document.inline_shapes  # the trend chart, as an image
    matrix = next(t for t in document.tables if t.rows[0].cells[1].text == "Thôn, làng")
    assert matrix.columns[1].width > 4 * matrix.columns[2].width  # wide names, narrow criteria
    number = matrix.rows[-1].cells[-1].paragraphs[0]
    assert number.alignment == 2  # right-aligned


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_shows_the_same_document(facts, tmp_path):
    path = tmp_path / "review.docx"
    path.write_bytes(render(facts, "review-docx"))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    content = (tmp_path / "review.pdf").read_bytes()
    text = pdf_text(content, tmp_path)
    body = " ".join(lines_of(text))
    for expected in [
        "TỈNH ỦY KON TUM",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số -BC/TU",
        "BÁO CÁO",
        "Nơi nhận:",
        "T/M BAN THƯỜNG VỤ",
        "Phụ lục 1",
        "Phụ lục 6",
    ]:
        assert expected in body, expected
    pages = PdfReader(io.BytesIO(content)).pages
    assert pages[-1].mediabox.width > pages[-1].mediabox.height  # annexes in landscape
    # Times New Roman, as the Word file names it, set in its metric twin (fonts-liberation2,
    # installed by .ci/system-deps test), never a fallback that wraps the lines differently
    fonts = {
        font["/BaseFont"].split("+")[-1]
        for page in pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all(name.startswith(("LiberationSerif", "TimesNewRoman")) for name in fonts)
    subtitle = "Tổng kết 5 năm thực hiện Kế hoạch số 133-KH/TU (2021–2025)"
    assert subtitle in lines_of(text.split("\f")[0])  # on one line, as in the PDF
    numbered = [page for page in text.split("\f")[1:] if page.strip()]
    assert all(lines_of(page)[0].isdigit() for page in numbered)  # a number on each page


def test_a_scoped_users_report_holds_no_whole_plan_narrative(facts, liaison, tmp_path):
    ReportDocument.objects.create(
        plan=facts.plan, year=2025, section_results=WHOLE_PLAN_TEXT, subtitle="Toàn tỉnh"
    )
    join(liaison, agency=facts.agency_a)
    for name in ("review-pdf", "review-docx"):
        content = render(facts, name, user=liaison)
        if name == "review-pdf":
            text = " ".join(lines_of(pdf_text(content, tmp_path)))
        else:
            text = " ".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
        assert WHOLE_PLAN_TEXT not in text and "Toàn tỉnh" not in text
        assert "Ban Dân vận Tỉnh ủy" in text  # named as the report's scope
        assert "Thôn Xốp Dùi" not in text  # another agency's village
    staff_text = pdf_text(render(facts, "review-pdf"), tmp_path)
    assert WHOLE_PLAN_TEXT in " ".join(lines_of(staff_text))


def test_the_common_plans_agreed_with_the_communes_show_in_section_i_and_the_duties_annex(
    facts, tmp_path
):
    CommonPlan.objects.create(
        plan=facts.plan,
        agency=facts.agency_a,
        village=facts.kon_hia,
        agreed_on=datetime.date(2024, 2, 1),
        content="Kế hoạch chung",
    )
    CommonPlan.objects.create(  # agreed after the year of the report: not counted in 2024
        plan=facts.plan,
        agency=facts.agency_a,
        village=facts.dak_don,
        agreed_on=datetime.date(2025, 2, 1),
        content="Kế hoạch chung",
    )
    params = exporters.resolve(plan=facts.plan.number, year=2024, scope="", user=None)
    by_agency = {
        d.agency.name: (d.common_plans, "common_plan" in d.gaps)
        for d in exporters.review_context(params)["facts"].duties
    }
    assert by_agency == {"Ban Dân vận Tỉnh ủy": (1, True), "Sở Nông nghiệp": (0, True)}
    body = " ".join(lines_of(pdf_text(render(facts, "review-pdf"), tmp_path)))
    assert "2/4 thôn, làng đã có kế hoạch chung được cơ quan phụ trách thống nhất với xã" in body
    assert "thống nhất kế hoạch chung với xã;" in body and "(ứng dụng chưa theo dõi)" not in body
    workbook = openpyxl.load_workbook(io.BytesIO(render(facts, "review-xlsx")))
    duties = workbook["Nhiệm vụ theo cơ quan"]
    header = [cell.value for cell in duties[4]]
    column = header.index("Kế hoạch chung với xã")
    values = {row[0]: row[column] for row in duties.iter_rows(min_row=5, values_only=True)}
    assert values["Ban Dân vận Tỉnh ủy"] == 2 and values["Tổng cộng"] == 2


def test_the_matrix_annex_groups_the_villages_by_commune_after_the_reform(facts, tmp_path):
    body = " ".join(lines_of(pdf_text(render(facts, "review-pdf"), tmp_path)))
    assert "Tổng hợp thôn, làng theo xã sau sắp xếp đơn vị hành chính năm 2025" in body
    assert "Xã Đăk Sao 2 2 1 0" in body  # Kon Hia (from Đăk Na) and Đăk Dơn
    assert "Tổng cộng 4 2 1 0" in body
    document = Document(io.BytesIO(render(facts, "review-docx")))
    communes = next(t for t in document.tables if t.rows[0].cells[1].text == "Xã (hiện nay)")
    assert [c.text for c in communes.rows[-1].cells] == ["", "Tổng cộng", "4", "2", "1", "0"]


def test_the_duties_annex_has_its_total_row_in_pdf_and_word(facts, tmp_path):
    document = Document(io.BytesIO(render(facts, "review-docx")))
    duties = next(
        t
        for t in document.tables
        if t.rows[0].cells[1].text == "Cơ quan, đơn vị và thôn, làng phụ trách"
    )
    rows = [[cell.text for cell in row.cells] for row in duties.rows[1:]]
    body, total = rows[:-1], rows[-1]
    assert total[1] == "Tổng cộng" and duties.rows[-1].cells[1].paragraphs[0].runs[0].bold
    assert (
        total[7]
        == "13.749.999"
        == f"{sum(int(r[7].replace('.', '')) for r in body):,}".replace(",", ".")
    )
    assert total[4] == "0/4"  # no common plan in the known data: of the four villages
    text = " ".join(lines_of(pdf_text(render(facts, "review-pdf"), tmp_path)))
    annex = text[text.index("Phụ lục 2") : text.index("Phụ lục 3")]
    assert "Tổng cộng" in annex and "13.749.999" in annex


def test_each_document_fact_of_the_plan_has_its_override_on_the_report(db):
    for plan_field, report_field in Plan.DOCUMENT_FACTS:
        on_plan = Plan._meta.get_field(plan_field)
        on_report = ReportDocument._meta.get_field(report_field)
        assert type(on_plan) is type(on_report) and on_report.blank, report_field
    plan = Plan(heading="TỈNH ỦY KON TUM", document_place="Kon Tum", signing_for="T/M BTV")
    document = ReportDocument(plan=plan, year=2024, place="Đăk Hà")
    facts = documents.facts(document, plan)
    assert (facts["heading"], facts["document_place"], facts["signing_for"]) == (
        "TỈNH ỦY KON TUM",
        "Đăk Hà",
        "T/M BTV",
    )


def test_a_year_without_dissemination_or_customs_work_says_so_in_words(facts, tmp_path):
    body = " ".join(lines_of(pdf_text(render(facts, "review-pdf", year=2024), tmp_path)))
    assert (
        "Năm 2024, chưa có cơ quan, đơn vị nào trong 2 cơ quan, đơn vị được phân công tổ chức "
        "phổ biến, quán triệt Kế hoạch số 133-KH/TU."
    ) in body
    assert "chưa ghi nhận hoạt động nào năm 2024" in body
    assert "0 buổi" not in body and "0/14" not in body


def test_an_agency_that_must_answer_is_named_in_full_in_every_format(facts, tmp_path):
    """Annex 6's "Gửi đến" names an addressed agency as the rest of the report does: in
    full, not by the short name the pages use."""
    addressee = make_agency("Ban Dân tộc tỉnh Kon Tum", short_name="BDT")
    Proposal.objects.create(
        plan=facts.plan,
        agency=facts.agency_a,
        village=facts.kon_hia,
        title="Nhà văn hóa",
        content="Xin hỗ trợ xây nhà văn hóa",
        raised_on=datetime.date(2025, 5, 1),
        addressed_to=Proposal.Addressee.AGENCY,
        addressed_agency=addressee,
    )
    text = pdf_text(render(facts, "review-pdf"), tmp_path)
    annex = " ".join(lines_of(text[text.index("Phụ lục 6") :]))
    # the cell wraps, so its two lines are read apart from each other
    assert "Nhà văn hóa Ban Dân tộc" in annex and "tỉnh Kon Tum" in annex
    assert "BDT" not in annex
    word = Document(io.BytesIO(render(facts, "review-docx")))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    assert "Ban Dân tộc tỉnh Kon Tum" in cells and "BDT" not in cells
    book = openpyxl.load_workbook(io.BytesIO(render(facts, "review-xlsx")))
    values = {cell.value for sheet in book for row in sheet.iter_rows() for cell in row}
    assert "Ban Dân tộc tỉnh Kon Tum" in values and "BDT" not in values

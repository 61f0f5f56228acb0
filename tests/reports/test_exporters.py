import datetime
import io
import subprocess

import openpyxl
import pytest
from docx import Document
from pypdf import PdfReader

from assignments.models import Proposal
from reports import exporters
from reports.models import ReportDocument

HOSTILE = '<script>alert("x")</script> =HYPERLINK("http://evil.example","bấm")'


def render(known, name, *, scope="", year=2025):
    params = exporters.resolve(plan=known.plan.number, year=year, scope=scope, user=None)
    return exporters.EXPORTERS[name].render(params)


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_fonts(content: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def numbered(known, **extra) -> ReportDocument:
    fields = {
        "plan": known.plan,
        "year": 2025,
        "scope": "",
        "issuing_body": "TỈNH ỦY KON TUM",
        "number": "145-BC/TU",
        "place": "Kon Tum",
        "dated_on": datetime.date(2025, 12, 5),
        "title": "BÁO CÁO",
        "subtitle": "Tổng kết Kế hoạch 133-KH/TU",
        "signing_for": "T/M BAN THƯỜNG VỤ",
        "signatory_position": "PHÓ BÍ THƯ",
        "signatory_name": "Nguyễn Văn Thử",
    }
    return ReportDocument.objects.create(**{**fields, **extra})


def test_the_review_pdf_has_the_party_header_and_the_numbers(known, tmp_path):
    numbered(known)
    filename, content_type, content = render(known, "review-pdf")
    assert filename == "review-133-kh-tu-2025.pdf" and content_type == "application/pdf"
    text = pdf_text(content, tmp_path)
    for expected in [
        "TỈNH ỦY KON TUM",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 145-BC/TU",
        "Kon Tum, ngày 05 tháng 12 năm 2025",
        "T/M BAN THƯỜNG VỤ",
        "Nguyễn Văn Thử",
        "Làng Kon Hia",
        "Xã Đăk Na (nay là xã Đăk Sao)",
        "13.749.999",  # the tổng kết counts the 2024 resource of the period too
        "1.750.000",
        "Sở cấp 2.000 cây giống",
        "A Hùng",
        "Mô hình vườn mẫu",
    ]:
        assert expected in text, expected
    reader = PdfReader(io.BytesIO(content))
    assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=1)  # A4 portrait
    assert reader.pages[-1].mediabox.width == pytest.approx(841.9, abs=1)  # annex, landscape
    # page numbers from page 2, not on page 1
    assert text.split("\f")[1].strip().startswith("2")
    assert not text.split("\f")[0].strip().startswith("1")


def test_the_pdf_uses_only_the_shipped_font(known):
    numbered(known, section_results="Ặ ẵ ỹ Ỹ ự Ự đ Đ ơ Ơ ư Ư ẫ ề ổ ỡ ị ọ ủ ữ ỳ ỵ ỷ")
    _name, _type, content = render(known, "review-pdf")
    assert pdf_fonts(content) <= {"Tinos", "Tinos-Bold", "Tinos-Italic", "Tinos-Bold-Italic"}


def test_a_year_without_data_renders_a_clear_pdf(known, tmp_path):
    _name, _type, content = render(known, "review-pdf", year=2022)
    assert "Chưa có số liệu nào" in pdf_text(content, tmp_path)


def test_the_review_docx_is_editable_and_carries_the_same_numbers(known):
    numbered(known)
    _name, content_type, content = render(known, "review-docx")
    assert content_type.endswith("wordprocessingml.document")
    document = Document(io.BytesIO(content))
    header = document.tables[0].rows[0].cells
    assert [p.text for p in header[0].paragraphs] == ["TỈNH ỦY KON TUM", "*", "Số 145-BC/TU"]
    assert header[1].paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert header[1].paragraphs[0].runs[0].underline
    assert header[1].paragraphs[1].text == "Kon Tum, ngày 05 tháng 12 năm 2025"
    assert header[1].paragraphs[1].runs[0].italic
    matrix = next(t for t in document.tables if t.rows[0].cells[1].text == "Thôn, làng")
    rows = [[cell.text for cell in row.cells] for row in matrix.rows]
    kon_hia = next(row for row in rows if row[1] == "Làng Kon Hia")
    assert kon_hia[2:5] == ["x", "x+", "x"]
    assert rows[-1][1] == "Tổng cộng" and rows[-1][2:5] == ["2", "1", "2"]  # per criterion
    assert rows[-1][-1] == "1"  # villages meeting the standard, under "Đạt chuẩn"
    assert matrix.rows[0]._tr.trPr.xpath("./w:tblHeader")  # header repeated on every page
    by_agency = next(t for t in document.tables if t.rows[0].cells[1].text == "Cơ quan, đơn vị")
    last = [cell.text for cell in by_agency.rows[-1].cells]
    assert last == ["", "Tổng cộng", "13.249.999", "500.000", "13.749.999", "30", "0"]
    assert by_agency.rows[-1].cells[1].paragraphs[0].runs[0].bold
    section = document.sections[0]
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    assert section.different_first_page_header_footer


def test_the_review_workbook_has_one_formatted_sheet_per_annex(known):
    _name, _type, content = render(known, "review-xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == [
        "Tiêu chí",
        "Theo xã hiện nay",
        "Nhiệm vụ theo cơ quan",
        "Nguồn lực theo cơ quan",
        "Nguồn lực theo nguồn",
        "Tổ hỗ trợ",
        "Mô hình",
        "Khó khăn",
    ]
    matrix = workbook["Tiêu chí"]
    assert matrix["A2"].value == "Kế hoạch 133-KH/TU, năm 2025, phạm vi: toàn kế hoạch"
    assert matrix["A3"].value == (
        "Chỉ tính các kết quả đã được phê duyệt. "
        "Hoạt động, nguồn lực và kiến nghị được tính giai đoạn 2021–2025."
    )
    assert matrix.freeze_panes == "C5"  # header and the number and name columns
    assert matrix.print_title_rows == "$1:$4"
    assert matrix.page_setup.orientation == "landscape" and matrix.page_setup.fitToWidth == 1
    kon_hia = next(row for row in matrix.iter_rows(values_only=True) if row[1] == "Làng Kon Hia")
    assert kon_hia[3:8] == ("Xã Đăk Na (nay là xã Đăk Sao)", "Ban Dân vận Tỉnh ủy", "x", "x+", "x")
    resources = workbook["Nguồn lực theo cơ quan"]
    total = [c.value for c in resources[resources.max_row]]
    assert total == ["Tổng cộng", 13_249_999, 500_000, 13_749_999, 30, 0]
    assert resources[resources.max_row][0].font.bold
    assert resources["B5"].number_format == '#,##0 "đ"'
    assert resources["E5"].number_format == "#,##0"


def test_the_dashboard_workbook_groups_progress(known):
    _name, _type, content = render(known, "dashboard-xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    by_agency = workbook["Theo cơ quan, đơn vị"]
    assert [c.value for c in by_agency[2]] == ["Ban Dân vận Tỉnh ủy", 2, 2, 1, 2.5, 0]


def test_hostile_text_is_escaped_in_every_format(known, tmp_path):
    numbered(known, section_results=HOSTILE, signatory_name="=1+1")
    Proposal.objects.filter(title="Đường vào làng").update(content="=CMD|' /C calc'!A0")
    text = pdf_text(render(known, "review-pdf")[2], tmp_path)
    assert '<script>alert("x")</script>' in text  # printed as text, not run
    docx = Document(io.BytesIO(render(known, "review-docx")[2]))
    assert any(p.text == HOSTILE for p in docx.paragraphs)
    workbook = openpyxl.load_workbook(io.BytesIO(render(known, "review-xlsx")[2]))
    cells = [c for c in workbook["Khó khăn"]["D"] if c.value == "=CMD|' /C calc'!A0"]
    assert cells and all(c.data_type == "s" for c in cells)  # text, never a formula
    assert all(
        c.data_type != "f"
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for c in row
    )


def test_the_village_profile_fits_on_one_page(known, tmp_path):
    filename, _type, content = render(known, "village-profile-pdf", scope="village:KH01")
    assert filename == "village-profile-133-kh-tu-2025-village-kh01.pdf"
    assert len(PdfReader(io.BytesIO(content)).pages) == 1
    text = pdf_text(content, tmp_path)
    for expected in ["Làng Kon Hia", "Ban Dân vận Tỉnh ủy", "A Hùng", "Mô hình vườn mẫu", "3/3"]:
        assert expected in text, expected


def test_the_village_profile_needs_a_village(known):
    with pytest.raises(exporters.ParamError):
        render(known, "village-profile-pdf")

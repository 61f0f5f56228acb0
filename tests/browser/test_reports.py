import io

import openpyxl
import pytest
from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from dankhoeo.models import User
from tests.conftest import PASSWORD, make_user
from tests.reports.conftest import build_known

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_open_the_dashboard_and_download_the_three_formats(page, live_server, screenshot):
    build_known()
    make_user("tinh", User.Role.STAFF)
    page.goto(f"{live_server.url}/")
    page.get_by_label("Tên đăng nhập").fill("tinh")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.locator(".navbar").get_by_role("button", name="Báo cáo").click()
    page.get_by_role("link", name="Tổng hợp").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tổng hợp Kế hoạch 133-KH/TU")
    page.get_by_label("Năm", exact=True).select_option("2025")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#kpi-reaching")).to_contain_text("1/4")
    expect(page.locator("svg")).to_have_count(4)
    screenshot("reports-dashboard")

    files = {}
    for label in ["(PDF, sẵn sàng ký)", "(Word, chỉnh sửa được)", "Các phụ lục"]:
        with page.expect_download() as info:
            page.get_by_role("link", name=label).first.click()
        download = info.value
        files[download.suggested_filename] = open(download.path(), "rb").read()  # noqa: SIM115
    pdf = PdfReader(io.BytesIO(files["review-133-kh-tu-2025.pdf"]))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in pdf.pages[0].extract_text()
    docx = Document(io.BytesIO(files["review-133-kh-tu-2025.docx"]))
    assert docx.tables[0].rows[0].cells[1].paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    workbook = openpyxl.load_workbook(io.BytesIO(files["review-133-kh-tu-2025.xlsx"]))
    assert workbook.sheetnames[0] == "Tiêu chí"

    page.get_by_role("link", name="Báo cáo năm (xem trên màn hình)").click()
    expect(page.locator("article")).to_contain_text("ĐẢNG CỘNG SẢN VIỆT NAM")
    screenshot("reports-review")


def test_a_liaison_downloads_the_three_formats_of_their_own_report(page, live_server):
    from tests.factories import join

    known = build_known()
    liaison = make_user("daumoi", User.Role.LIAISON)
    join(liaison, agency=known.agency_a)
    page.goto(f"{live_server.url}/reports/?plan=133-KH%2FTU&year=2025")
    page.get_by_label("Tên đăng nhập").fill("daumoi")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_server.url}/reports/?plan=133-KH%2FTU&year=2025")
    files = {}
    for label in ["(PDF, sẵn sàng ký)", "(Word, chỉnh sửa được)", "Các phụ lục"]:
        with page.expect_download() as info:
            page.get_by_role("link", name=label).first.click()
        download = info.value
        files[download.suggested_filename] = open(download.path(), "rb").read()  # noqa: SIM115
    text = "".join(
        p.extract_text()
        for p in PdfReader(
            io.BytesIO(files[next(name for name in files if name.endswith(".pdf"))])
        ).pages
    )
    assert "Ban Dân vận Tỉnh ủy" in text and "Thôn Xốp Dùi" not in text  # their villages only
    assert "Xem" not in text
    docx = Document(io.BytesIO(files[next(name for name in files if name.endswith(".docx"))]))
    assert all("Thôn Xốp Dùi" not in p.text for p in docx.paragraphs)
    workbook = openpyxl.load_workbook(
        io.BytesIO(files[next(name for name in files if name.endswith(".xlsx"))])
    )
    values = [c.value for s in workbook.worksheets for row in s.iter_rows() for c in row]
    assert "Thôn Xốp Dùi" not in values
    assert not any(isinstance(v, str) and v.startswith("'") for v in values)

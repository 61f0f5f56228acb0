import io
import zipfile

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from dankhoeo.uploads import UploadRejected, check_upload, safe_filename, serve_private
from tests.factories import JPEG, PDF, PNG


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def office(member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<x/>")
    return buffer.getvalue()


def word() -> bytes:
    output = io.BytesIO()
    docx.Document().save(output)
    return output.getvalue()


def excel() -> bytes:
    output = io.BytesIO()
    openpyxl.Workbook().save(output)
    return output.getvalue()


def with_member(content: bytes, name: str, data: bytes) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(output, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr(name, data)
    return output.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind", "filename"),
    [
        ("Biên bản khảo sát.pdf", PDF, "pdf", "Biên_bản_khảo_sát.pdf"),
        ("anh.PNG", PNG, "png", "anh.png"),
        ("photo.jpeg", JPEG, "jpeg", "photo.jpg"),
    ],
)
def test_it_accepts_allowed_kinds_by_content(name, content, kind, filename):
    checked = check_upload(upload(name, content))
    assert (checked.kind, checked.filename, checked.size) == (kind, filename, len(content))


def test_it_judges_by_content_not_by_name_or_declared_type():
    disguised = upload("invoice.pdf", b"<script>alert(1)</script>", "application/pdf")
    with pytest.raises(UploadRejected) as error:
        check_upload(disguised)
    assert error.value.code == "bad_kind"


def test_a_pdf_named_like_a_program_gets_a_pdf_extension():
    assert check_upload(upload("report.pdf.exe", PDF)).filename == "report.pdf.pdf"


def test_it_refuses_a_kind_not_asked_for():
    with pytest.raises(UploadRejected):
        check_upload(upload("a.png", PNG), kinds=("pdf",))


def test_it_refuses_a_file_over_the_limit_with_a_vietnamese_message():
    with translation.override("vi"), pytest.raises(UploadRejected) as error:
        check_upload(upload("big.pdf", PDF + b"0" * 2048), max_bytes=1024)
    assert error.value.code == "too_large"
    assert "quá lớn" in error.value.messages[0]


def test_it_refuses_an_empty_file():
    with pytest.raises(UploadRejected) as error:
        check_upload(upload("empty.pdf", b""))
    assert error.value.code == "empty"


def test_it_tells_a_workbook_from_a_word_file_and_from_a_plain_zip():
    assert check_upload(upload("x.xlsx", excel()), kinds=("xlsx",)).kind == "xlsx"
    assert check_upload(upload("x.docx", word()), kinds=("docx",)).kind == "docx"
    with pytest.raises(UploadRejected):
        check_upload(upload("x.xlsx", word()), kinds=("xlsx",))
    with pytest.raises(UploadRejected):
        check_upload(upload("x.xlsx", b"PK\x03\x04not really a zip"), kinds=("xlsx",))


def test_the_file_is_left_at_its_start():
    file = upload("a.pdf", PDF)
    check_upload(file)
    assert file.read() == PDF


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown upload kinds"):
        check_upload(upload("a.pdf", PDF), kinds=("exe",))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\Users\\x\\Tờ trình.pdf", "Tờ_trình.pdf"),
        ("..", "file.pdf"),
        ("<script>.pdf", "script.pdf"),
        ("", "file.pdf"),
    ],
)
def test_safe_filenames_hold_no_folders_or_markup(name, expected):
    assert safe_filename(name, ".pdf") == expected


def test_it_keeps_vietnamese_in_composed_form():
    decomposed = "Ho\u0300a.pdf"
    assert safe_filename(decomposed, ".pdf") == "Hòa.pdf"


def test_serve_private_sends_an_attachment_that_is_not_sniffed(tmp_path):
    stored = tmp_path / "abc123"
    stored.write_bytes(PDF)
    response = serve_private(stored, "Biên bản.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Bi%C3%AAn%20b%E1%BA%A3n.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    response.file_to_stream.close()


def test_serve_private_can_show_inline(tmp_path):
    stored = tmp_path / "img"
    stored.write_bytes(PNG)
    response = serve_private(stored, "anh.png", inline=True)
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == "image/png"
    response.file_to_stream.close()


# Judged by the whole content (issue 13, item 11) ----------------------------------------------


def refusal(name: str, content: bytes, **options) -> UploadRejected:
    with translation.override("vi"), pytest.raises(UploadRejected) as error:
        check_upload(upload(name, content), **options)
    return error.value


def pdf_with(change) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF)))
    change(writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def test_a_png_with_a_web_page_after_its_end_is_refused():
    error = refusal("anh.png", PNG + b"<html><script>alert(1)</script></html>")
    assert error.code == "polyglot"
    assert error.messages[0].startswith("“anh.png”: ")


def test_a_jpeg_carrying_a_script_is_refused():
    assert refusal("anh.jpg", JPEG + b"<script>alert(1)</script>").code == "polyglot"


def test_an_image_that_does_not_decode_is_refused():
    assert refusal("anh.png", PNG[:40] + PNG[-12:]).code == "damaged"
    assert refusal("anh.jpg", JPEG[:30]).code == "damaged"


def test_a_pdf_with_javascript_or_a_launch_action_is_refused():
    scripted = pdf_with(lambda writer: writer.add_open_action(JavaScript("app.alert('x');")))
    assert refusal("a.pdf", scripted).code == "active_content"

    def launch(writer):
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("x.exe")}
        )

    assert refusal("a.pdf", pdf_with(launch)).code == "active_content"
    assert check_upload(upload("a.pdf", PDF)).kind == "pdf"


def test_a_pdf_that_does_not_parse_is_refused():
    assert refusal("a.pdf", b"%PDF-1.7 garbage without objects").code == "damaged"


def test_word_and_excel_files_with_macros_or_without_a_document_are_refused():
    kinds = {"kinds": ("docx", "xlsx")}
    macro_word = with_member(word(), "word/vbaProject.bin", b"x")
    macro_excel = with_member(excel(), "xl/vbaProject.bin", b"x")
    assert refusal("a.docx", macro_word, **kinds).code == "macros"
    assert refusal("a.xlsx", macro_excel, **kinds).code == "macros"
    assert refusal("a.docx", office("word/document.xml"), **kinds).code == "damaged"


def test_a_size_just_over_the_limit_does_not_read_as_equal_to_it():
    limit = 10 * 1024 * 1024
    message = refusal("big.pdf", PDF + b"0" * (limit + 1 - len(PDF)), max_bytes=limit).messages[0]
    assert "10.485.761" in message and "10.485.760" in message


def test_an_empty_file_is_named_and_called_empty():
    assert refusal("trong.png", b"").messages[0] == "“trong.png”: tệp rỗng."

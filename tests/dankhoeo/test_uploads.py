import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from dankhoeo.uploads import UploadRejected, check_upload, safe_filename, serve_private

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def office(member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<x/>")
    return buffer.getvalue()


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
    assert check_upload(upload("x.xlsx", office("xl/workbook.xml")), kinds=("xlsx",)).kind == (
        "xlsx"
    )
    with pytest.raises(UploadRejected):
        check_upload(upload("x.xlsx", office("word/document.xml")), kinds=("xlsx",))
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

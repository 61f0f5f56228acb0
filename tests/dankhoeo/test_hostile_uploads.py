"""Photos, PDFs and Office files built to break the app or its readers (issue #13): bombs,
polyglots, scripts hidden where a walk from the first page does not look, names written to
deceive. Each is refused by ``check_upload`` with a Vietnamese reason naming the file; what is
stored is sent back with a safe type, never as a web page."""

import io
import zipfile
import zlib

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

from dankhoeo.uploads import UploadRejected, check_upload, safe_filename, serve_private
from tests.factories import JPEG, PDF, PNG, image_bytes

OFFICE = ("pdf", "jpeg", "png", "docx", "xlsx")


def check(name: str, content: bytes, kinds=OFFICE):
    return check_upload(SimpleUploadedFile(name, content), kinds=kinds)


def refusal(name: str, content: bytes, kinds=OFFICE) -> UploadRejected:
    with translation.override("vi"), pytest.raises(UploadRejected) as refused:
        check(name, content, kinds)
    return refused.value


def chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body).to_bytes(4, "big")
    return len(body).to_bytes(4, "big") + kind + body + crc


def a_zip() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("index.html", "<b>hi</b>")
    return output.getvalue()


# Photos -----------------------------------------------------------------------------------------


def test_a_tiny_png_declaring_ten_billion_pixels_is_refused_as_too_many_pixels():
    header = (100_000).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    bomb = PNG[:8] + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
    bomb += chunk(b"IEND", b"")
    error = refusal("bom.png", bomb)
    assert error.code == "too_large"
    assert "quá nhiều điểm ảnh" in error.messages[0]


@pytest.mark.parametrize(
    "content", [PNG[: len(PNG) // 2], JPEG[: len(JPEG) // 2]], ids=["png", "jpeg"]
)
def test_a_truncated_photo_is_refused_as_damaged(content):
    assert refusal("anh.png", content).code == "damaged"


def test_an_animated_png_of_thousands_of_frames_is_refused():
    output = io.BytesIO()
    frames = [Image.new("RGB", (2, 2), (n % 256, 0, 0)) for n in range(2000)]
    frames[0].save(output, "PNG", save_all=True, append_images=frames[1:])
    error = refusal("dong.png", output.getvalue())
    assert error.code == "animated"


def test_other_picture_formats_are_refused_by_their_content():
    gif = io.BytesIO()
    frames = [Image.new("P", (1, 1)) for _ in range(1000)]
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:])
    webp = io.BytesIO()
    Image.new("RGB", (4, 4)).save(webp, "WEBP")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + bytes(64)
    for name, content in [("a.gif", gif), ("a.webp", webp), ("a.svg", svg), ("a.heic", heic)]:
        data = content.getvalue() if isinstance(content, io.BytesIO) else content
        assert refusal(name, data).code == "bad_kind"


def test_a_png_hiding_a_zip_in_a_text_chunk_is_refused():
    polyglot = PNG[:-12] + chunk(b"tEXt", b"Comment\0" + a_zip()) + PNG[-12:]
    assert refusal("anh.png", polyglot).code == "polyglot"


@pytest.mark.parametrize(
    "polyglot",
    [
        JPEG + a_zip(),
        JPEG[:2] + b"\xff\xfe" + (len(a_zip()) + 2).to_bytes(2, "big") + a_zip() + JPEG[2:],
        JPEG + b"%PDF-1.4 trailing",
    ],
    ids=["zip after the end", "zip in a comment", "pdf after the end"],
)
def test_a_jpeg_hiding_another_file_is_refused(polyglot):
    error = refusal("anh.jpg", polyglot)
    assert error.code == "polyglot"


def test_a_jpeg_followed_by_its_preview_or_padding_is_a_photo():
    """Cameras append more pictures (MPF) and some pad with zeros."""
    assert check("anh.jpg", JPEG + JPEG).kind == "jpeg"
    assert check("anh.jpg", JPEG + b"\0" * 64).kind == "jpeg"
    assert check("anh.jpg", image_bytes("JPEG", (300, 200))).kind == "jpeg"


# PDFs -----------------------------------------------------------------------------------------


def pdf_with(change, incremental: bool = False) -> bytes:
    if incremental:
        writer = PdfWriter(io.BytesIO(PDF), incremental=True)
    else:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF)))
    change(writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def test_a_pdf_followed_by_a_web_page_is_refused():
    error = refusal("a.pdf", PDF + b"\n<html><body><script>alert(1)</script></body></html>")
    assert error.code == "polyglot"


def test_a_pdf_carrying_a_web_page_between_its_objects_is_refused():
    polyglot = PDF[:9] + b"<html><script>alert(1)</script></html>\n" + PDF[9:]
    assert refusal("a.pdf", polyglot).code == "polyglot"


def test_a_script_appended_after_the_first_eof_is_refused():
    appended = PDF + b"\n99 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n%%EOF\n"
    assert refusal("a.pdf", appended).code == "active_content"


def test_a_script_added_by_an_incremental_update_is_refused():
    updated = pdf_with(lambda w: w.add_open_action(JavaScript("app.alert(1);")), incremental=True)
    assert updated.startswith(PDF) and updated.count(b"%%EOF") == 2
    assert refusal("a.pdf", updated).code == "active_content"


def test_a_script_written_with_escaped_names_is_refused():
    escaped = PDF + (b"\n99 0 obj\n<< /S /J#61vaScript /J#53 (app.alert(1)) >>\nendobj\n%%EOF\n")
    assert refusal("a.pdf", escaped).code == "active_content"


def object_stream_pdf(hidden: bytes) -> bytes:
    """A PDF 1.5 whose object 4, ``hidden``, lives compressed in an object stream, indexed by
    a cross-reference stream (what Acrobat writes)."""
    body = b"4 0 " + hidden
    stream = zlib.compress(body)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>",
    ]
    out = bytearray(b"%PDF-1.5\n")
    offsets = {}
    for number, text in enumerate(objects, start=1):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + text + b"\nendobj\n"
    offsets[5] = len(out)
    out += b"5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\n" % len(
        stream
    )
    out += b"stream\n" + stream + b"\nendstream\nendobj\n"
    offsets[6] = len(out)
    rows = b"\x00" + bytes(4) + b"\xff\xff"
    for number in (1, 2, 3):
        rows += b"\x01" + offsets[number].to_bytes(4, "big") + bytes(2)
    rows += b"\x02" + (5).to_bytes(4, "big") + bytes(2)
    rows += b"\x01" + offsets[5].to_bytes(4, "big") + bytes(2)
    rows += b"\x01" + offsets[6].to_bytes(4, "big") + bytes(2)
    out += b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\n" % len(rows)
    out += b"stream\n" + rows + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[6]
    return bytes(out)


def test_a_script_compressed_in_an_object_stream_is_refused():
    assert check("a.pdf", object_stream_pdf(b"<< /Type /Annot >>")).kind == "pdf"
    hidden = object_stream_pdf(b"<< /S /JavaScript /JS (app.alert(1)) >>")
    assert refusal("a.pdf", hidden).code == "active_content"


def test_a_script_behind_sixty_thousand_objects_is_refused():
    crowd = b"[" + b"<< /A 1 >> " * 60_000 + b"]"
    buried = PDF + b"\n99 0 obj\n" + crowd + b"\nendobj\n100 0 obj\n<< /JS (x) >>\nendobj\n%%EOF\n"
    assert refusal("a.pdf", buried).code == "active_content"


def test_a_pdf_of_more_objects_than_can_be_checked_is_refused():
    def crowd(writer):
        writer._root_object[NameObject("/Crowd")] = ArrayObject(
            [DictionaryObject() for _ in range(250_000)]
        )

    assert refusal("a.pdf", pdf_with(crowd)).code == "too_large"


def test_an_encrypted_pdf_is_refused():
    encrypted = pdf_with(lambda w: w.encrypt(user_password="", owner_password="chu"))
    assert refusal("a.pdf", encrypted).code == "encrypted"


def test_a_pdf_carrying_an_attached_file_is_refused():
    attached = pdf_with(lambda w: w.add_attachment("run.exe", b"MZ\x90\x00"))
    assert refusal("a.pdf", attached).code == "active_content"


# Word and Excel files -------------------------------------------------------------------------


def word(change_rels=None, extra: dict | None = None) -> bytes:
    output = io.BytesIO()
    docx.Document().save(output)
    source = zipfile.ZipFile(io.BytesIO(output.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/_rels/document.xml.rels" and change_rels:
                data = change_rels(data.decode()).encode()
            target.writestr(info, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return result.getvalue()


def relationship(kind: str, target: str, external: bool = True) -> callable:
    mode = ' TargetMode="External"' if external else ""
    base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    row = f'<Relationship Id="rId99" Type="{base}{kind}" Target="{target}"{mode}/>'
    return lambda text: text.replace("</Relationships>", row + "</Relationships>")


def test_a_word_file_with_a_link_to_a_web_page_is_accepted():
    assert check("a.docx", word(relationship("hyperlink", "https://example.org/"))).kind == "docx"


@pytest.mark.parametrize(
    "change",
    [
        relationship("attachedTemplate", "http://example.invalid/macro.dotm"),
        relationship("image", "file:///etc/passwd"),
        relationship("oleObject", "http://example.invalid/x.bin"),
        relationship("aFChunk", "afchunk.htm", external=False),
    ],
    ids=["remote template", "linked file", "OLE object", "altChunk"],
)
def test_a_word_file_that_fetches_or_embeds_foreign_content_is_refused(change):
    extra = {"word/afchunk.htm": "<html><script>alert(1)</script></html>"}
    assert refusal("a.docx", word(change, extra)).code == "active_content"


def test_a_word_file_declaring_entities_is_refused():
    def declare(text: str) -> str:
        return text.replace("<Relationships", '<!DOCTYPE r [<!ENTITY e "x">]><Relationships', 1)

    error = refusal("a.docx", word(declare))
    assert "khai báo kiểu tài liệu" in error.messages[0]


# Names and serving ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "bien\x00ban.pdf",
        "x" * 300 + ".pdf",
        "anh\u202egpj.exe",
        "...",
        ".",
        "",
        "\u200b\u200b.pdf",
        "<script>alert(1)</script>.pdf",
    ],
)
def test_a_stored_name_is_plain_short_and_carries_the_true_extension(name):
    stored = safe_filename(name, ".pdf")
    assert stored.endswith(".pdf") and not stored.startswith(".")
    assert len(stored) <= 84
    assert not set(stored) & set("/\\\x00<>\u202e\u200b")


def test_a_refusal_shows_the_name_without_direction_tricks_or_its_whole_length():
    message = refusal("anh\u202egpj." + "x" * 300 + ".exe", b"MZ\x90\x00" * 20).messages[0]
    assert "\u202e" not in message
    assert len(message) < 200


@pytest.mark.parametrize(
    ("stored", "inline", "content_type", "disposition"),
    [
        ("trang.html", True, "application/octet-stream", "attachment"),
        ("anh.svg", True, "application/octet-stream", "attachment"),
        ("bien-ban.pdf", True, "application/pdf", "inline"),
        ("anh.jpg", True, "image/jpeg", "inline"),
        (
            "bang.xlsx",
            True,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "attachment",
        ),
        ("bien-ban.pdf", False, "application/pdf", "attachment"),
    ],
)
def test_stored_files_come_back_with_a_safe_type(
    tmp_path, stored, inline, content_type, disposition
):
    path = tmp_path / "f"
    path.write_bytes(b"<html><script>alert(1)</script></html>")
    response = serve_private(path, stored, inline=inline)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith(disposition)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    response.file_to_stream.close()


def test_a_pdf_of_streams_never_closed_is_read_in_one_pass():
    """100.000 'stream' keywords without 'endstream': a search from each would read the rest
    of the file each time (about 10^11 steps; this test would not end)."""
    unclosed = PDF[:-6] + b"stream\n" * 100_000 + b"\n%%EOF\n"
    assert refusal("a.pdf", unclosed).code in ("damaged", "active_content", "too_large")


def test_what_lies_in_streams_is_not_taken_for_names_or_markup():
    """A page that shows the text "<html><script> /JavaScript" is a page, not a script."""

    def shown(writer):
        stream = DecodedStreamObject()
        stream.set_data(b"BT /F1 12 Tf (<html><script> /JavaScript) Tj ET")
        writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)

    content = pdf_with(shown)
    assert b"<html><script> /JavaScript" in content
    assert check("a.pdf", content).kind == "pdf"

import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader


def test_the_command_lists_every_exporter(db):
    out = io.StringIO()
    call_command("render_report", "--list", stdout=out)
    names = [line.split()[0] for line in out.getvalue().splitlines()]
    assert names == [
        "review-pdf",
        "review-docx",
        "review-xlsx",
        "dashboard-xlsx",
        "village-profile-pdf",
    ]


def test_the_command_renders_a_report_to_a_file(known, tmp_path):
    target = tmp_path / "report.pdf"
    out = io.StringIO()
    call_command(
        "render_report",
        "review-pdf",
        "--plan",
        "133-KH/TU",
        "--year",
        "2025",
        "-o",
        str(target),
        stdout=out,
    )
    assert "Đã ghi" in out.getvalue()
    assert "Làng Kon Hia" in "".join(p.extract_text() for p in PdfReader(target).pages)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nothing", "--plan", "133-KH/TU", "--year", "2025", "-o", "x"], "Không có mẫu báo cáo"),
        (["review-pdf", "--plan", "999-KH/TU", "--year", "2025", "-o", "x"], "999-KH/TU"),
        (["review-pdf", "--plan", "133-KH/TU", "--year", "soon", "-o", "x"], "2025"),
        (
            ["review-pdf", "--plan", "133-KH/TU", "--year", "2025", "--scope", "x:1", "-o", "x"],
            "x:1",
        ),
        (
            [
                "review-pdf",
                "--plan",
                "133-KH/TU",
                "--year",
                "2025",
                "--scope",
                "commune:abc",
                "-o",
                "x",
            ],
            "Không có xã mã số abc",
        ),
        (["review-pdf", "--plan", "133-KH/TU", "--year", "2025"], "Cần có --output"),
        (["review-pdf", "--plan", "133-KH/TU", "--year", "2025", "-o", "/"], "Không ghi được"),
        (
            ["review-pdf", "--plan", "133-KH/TU", "--year", "2025", "-o", "/no/such/dir/r.pdf"],
            "Không ghi được",
        ),
        (
            ["review-pdf", "--plan", "133-KH/TU", "--year", "2025", "-o", "x", "--user", "ai"],
            "Không có tài khoản tên “ai”",
        ),
        (["village-profile-pdf", "--plan", "133-KH/TU", "--year", "2025", "-o", "x"], "village"),
    ],
)
def test_bad_input_exits_with_code_2_and_a_clear_message(known, args, message):
    with pytest.raises(CommandError) as error:
        call_command("render_report", *args)
    assert error.value.returncode == 2
    assert message in str(error.value)

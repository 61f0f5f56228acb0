"""Every file the app sends carries its name as RFC 6266 asks: ASCII in the header, and
``filename*=utf-8''…`` when the name has Vietnamese letters (else browsers save it as ``_``)."""

import re
from urllib.parse import unquote

import pytest
from django.urls import reverse

from dankhoeo import downloads
from tests.permission_matrix import build_world


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def saved_name(response) -> str:
    """The name a browser saves the download under, read the way RFC 6266 says."""
    header = response["Content-Disposition"]
    assert header.isascii(), header
    assert header.startswith("attachment;"), header
    if match := re.search(r"filename\*=utf-8''(\S+)", header):
        return unquote(match[1])
    match = re.search(r'filename="([^"]+)"', header)
    assert match, header
    return match[1]


def test_the_survey_workbook_of_several_villages_keeps_its_vietnamese_name(client, world):
    client.force_login(world.users["staff"])
    response = client.get(reverse("criteria:survey-workbook"), {"year": 2025})
    assert response.status_code == 200
    # "villages" in the context "file name" (criteria's catalogue), not the word of a heading
    assert saved_name(response) == "khao-sat-2025-cac-thon.xlsx"


def test_a_name_with_vietnamese_letters_is_sent_encoded():
    response = downloads.attachment(
        b"x", filename="Biên bản họp.xlsx", content_type="application/octet-stream"
    )
    assert (
        "filename*=utf-8''Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%8Dp.xlsx"
        in (response["Content-Disposition"])
    )
    assert saved_name(response) == "Biên bản họp.xlsx"


@pytest.mark.parametrize(
    ("persona", "url", "expected"),
    [
        ("liaison", lambda w: f"{reverse('criteria:survey-workbook')}?survey={w.survey.pk}",
         "khao-sat-2025-MX01.xlsx"),
        ("staff", lambda w: reverse("criteria:set-workbook", args=[w.criteria_set.pk]), None),
        ("staff", lambda w: reverse("villages:import-template"), "danh-sach-thon-lang.xlsx"),
        ("staff", lambda w: reverse("assignments:import-template", args=[w.plan.pk]),
         "phan-cong-133-khtu.xlsx"),
        ("staff", lambda w: reverse("assignments:roster-export", args=[w.plan.pk]),
         "to-ho-tro-133-khtu.xlsx"),
        ("staff", lambda w: reverse("reports:export", args=["dashboard-xlsx"])
         + f"?plan={w.plan.number}&year=2025&scope=village:{w.village.code}", None),
        ("liaison", lambda w: reverse("criteria:evidence", args=[w.evidence.pk]), "anh.png"),
    ],
    ids=["survey", "criteria-set", "villages-template", "assignments-template", "roster",
         "report", "evidence"],
)  # fmt: skip
def test_each_download_names_its_file_properly(client, world, persona, url, expected):
    client.force_login(world.users[persona])
    response = client.get(url(world))
    assert response.status_code == 200
    name = saved_name(response)
    assert re.fullmatch(r"[^/\\]+\.(xlsx|png|pdf|docx)", name), name
    if expected:
        assert name == expected

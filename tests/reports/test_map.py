"""The map of the villages (/reports/map/): the villages the user sees in the plan and scope,
each with its latest approved result; those without coordinates listed beside; the tiles from
MAP_TILE_URL, or a plain background that the page names."""

import json
import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.factories import assign, join, make_village

from .conftest import MET, NOT_MET, make_survey

PLAN = "133-KH/TU"
NUM_MAP_QUERIES = 10  # independent of the number of villages (see the test below)


def url(**query):
    return f"{reverse('reports:map')}?{urlencode({'plan': PLAN, 'year': 2025, **query})}"


def place(village, latitude, longitude):
    village.latitude, village.longitude = Decimal(latitude), Decimal(longitude)
    village.save(update_fields=["latitude", "longitude"])


@pytest.fixture
def placed(known):
    """Three of the four villages of the plan on the map; Thôn Xốp Dùi has no coordinates."""
    place(known.kon_hia, "14.86", "107.86")
    place(known.dak_don, "14.87", "107.87")
    place(known.tu_tho, "14.60", "108.28")
    place(known.outside, "14.85", "107.85")  # not in the plan
    return known


def points_of(response) -> dict[str, dict]:
    """The points the page hands to its script, by village code (read from the HTML)."""
    found = re.search(
        r'<script id="map-points" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return {point["code"]: point for point in json.loads(found.group(1))}


def test_anonymous_visitors_are_sent_to_log_in(client, known):
    response = client.get(url())
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_each_village_shows_its_latest_approved_result(client_for, viewer, placed):
    response = client_for(viewer).get(url())
    assert response.status_code == 200
    points = points_of(response)
    assert set(points) == {"KH01", "DD01", "TT01"}  # not the one outside the plan
    assert (points["KH01"]["kind"], points["KH01"]["symbol"]) == ("reaches", "✓")
    assert points["KH01"]["result"] == "Đạt chuẩn: đạt 3/3 tiêu chí (đã phê duyệt, năm 2025)"
    assert (points["DD01"]["kind"], points["DD01"]["symbol"]) == ("partial", "2")
    # Tu Thó's survey meets the standard but is only submitted: no approved result
    assert (points["TT01"]["kind"], points["TT01"]["symbol"]) == ("none", "–")
    assert points["KH01"]["url"] == reverse("villages:detail", args=[placed.kon_hia.pk])
    assert points["KH01"]["lat"] == 14.86
    page = response.content.decode()
    assert "Chú giải" in page and "hình tròn" in page and "hình thoi" in page
    assert "1 thôn chưa có tọa độ" in page and "Thôn Xốp Dùi" in page


def test_an_earlier_year_shows_the_result_approved_by_then(client_for, viewer, placed):
    points = points_of(client_for(viewer).get(url(year=2024)))
    assert (points["KH01"]["kind"], points["KH01"]["symbol"]) == ("partial", "2")
    assert "năm 2024" in points["KH01"]["result"]
    assert points["DD01"]["kind"] == "none"


def test_the_latest_result_is_kept_when_the_year_has_none(client_for, viewer, placed):
    make_survey(placed.dak_don, 2024, placed.criteria_set, [MET, MET, MET])
    points = points_of(client_for(viewer).get(url(year=2025)))
    assert points["DD01"]["symbol"] == "2"  # 2025's approved 2 of 3, not 2024's 3 of 3


def test_a_liaison_sees_only_the_villages_of_their_agency(client_for, liaison, placed):
    join(liaison, agency=placed.agency_a)
    client = client_for(liaison)
    response = client.get(url())
    assert set(points_of(response)) == {"KH01", "DD01"}
    page = response.content.decode()
    assert "Làng Tu Thó" not in page and "Thôn Xốp Dùi" not in page
    assert client.get(url(scope="village:TT01")).status_code == 404
    assert client.get(url(scope="village:NOPE")).status_code == 404  # missing looks hidden
    assert set(points_of(client.get(url(scope="village:KH01")))) == {"KH01"}


def test_the_scope_filter_narrows_the_map(client_for, staff, placed):
    client = client_for(staff)
    points = points_of(client.get(url(scope="agency:SNN")))
    assert set(points) == {"TT01"}
    assert "Thôn Xốp Dùi" in client.get(url(scope="agency:SNN")).content.decode()


def test_bad_parameters_are_a_400_page(client_for, staff, known):
    assert client_for(staff).get(url(year="abc")).status_code == 400
    assert client_for(staff).get(url(plan="NO-SUCH")).status_code == 400


def test_the_tiles_come_from_the_setting(client_for, viewer, placed, settings):
    settings.MAP_TILE_URL = "https://tiles.example.vn/{z}/{x}/{y}.png"
    page = client_for(viewer).get(url()).content.decode()
    assert 'data-tiles="https://tiles.example.vn/{z}/{x}/{y}.png"' in page
    assert 'id="map-notice" role="status" hidden' in page  # shown by the script on a failure


def test_without_a_tile_server_the_page_says_the_background_is_plain(
    client_for, viewer, placed, settings
):
    settings.MAP_TILE_URL = ""
    response = client_for(viewer).get(url())
    page = response.content.decode()
    assert 'data-tiles=""' in page
    assert "nền trơn" in page and "MAP_TILE_URL" in page
    assert len(points_of(response)) == 3  # the points are there all the same


def test_no_script_or_style_is_inline(client_for, viewer, placed):
    page = client_for(viewer).get(url()).content.decode()
    assert "style=" not in page
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert all('type="application/json"' in attributes for attributes in scripts)


def test_the_menu_links_the_map_for_every_role(client_for, viewer, liaison, commune_officer, staff):
    for user in (viewer, liaison, commune_officer, staff):
        page = client_for(user).get(reverse("home")).content.decode()
        assert f'href="{reverse("reports:map")}"' in page and "Bản đồ" in page


def test_the_query_count_does_not_grow_with_the_villages(
    client_for, staff, placed, django_assert_num_queries
):
    client = client_for(staff)
    client.get(url())  # warm the session and content types
    for round_ in range(2):
        with django_assert_num_queries(NUM_MAP_QUERIES):
            assert client.get(url()).status_code == 200
        for number in range(10):
            village = make_village(f"Thôn thêm {round_}-{number}", code=f"ADD{round_}{number}")
            if number % 2:
                place(village, "14.7", f"107.{number}")
            placed.plan.villages.add(village)
            assign(placed.agency_b, village, placed.plan)
            make_survey(village, 2024 + number % 2, placed.criteria_set, [MET, NOT_MET, MET])

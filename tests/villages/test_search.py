"""Vietnamese search and alphabetical order, on the database (SQLite and PostgreSQL alike)."""

import pytest

from tests import factories as f
from villages.models import Village


@pytest.fixture
def tricky(db):
    names = {
        "Đăk Xanh": "Đắk Xanh|Dak Xanh",
        "Đắk Book": "",
        "Dục Lang": "",
        "Thủy Lợi": "",
        "Thuỷ Tiên": "",
        "Kon Tu Dốp": "",
        "Ngọk Lây": "Ngọc Lây",
        "Pêng Siêl": "",
    }
    return {
        name: f.make_village(name, aliases=aliases, code=f"S{index:02d}")
        for index, (name, aliases) in enumerate(names.items())
    }


def names(queryset) -> list[str]:
    return list(queryset.values_list("name", flat=True))


@pytest.mark.parametrize("typed", ["dak xanh", "ĐẮK XANH", "Đăk Xanh", "Dak  Xanh", "đak xanh"])
def test_search_ignores_accents_case_spaces_and_d_with_stroke(tricky, typed):
    assert names(Village.objects.search(typed)) == ["Đăk Xanh"]


@pytest.mark.parametrize("typed", ["Đắk", "Đăk", "dak", "DAK"])
def test_every_spelling_of_dak_finds_the_same_villages(tricky, typed):
    assert set(names(Village.objects.search(typed))) == {"Đăk Xanh", "Đắk Book"}


def test_search_matches_other_spellings_and_codes(tricky):
    assert names(Village.objects.search("ngoc lay")) == ["Ngọk Lây"]
    assert names(Village.objects.search("s07")) == ["Pêng Siêl"]


def test_both_tone_placements_are_found(tricky):
    assert set(names(Village.objects.search("thuỷ"))) == {"Thủy Lợi", "Thuỷ Tiên"}
    assert set(names(Village.objects.search("thủy"))) == {"Thủy Lợi", "Thuỷ Tiên"}


def test_an_empty_search_keeps_everything(tricky):
    assert Village.objects.search("  ").count() == len(tricky)


def test_the_database_orders_villages_the_vietnamese_way(db):
    given = ["Ư Mo", "Ủa", "U Bo", "Ơ Ri", "Ô Kia", "O Lăng", "Đa Rơ", "Da Ra", "Âu", "Ăn", "An"]
    for name in given:
        f.make_village(name)
    expected = ["An", "Ăn", "Âu", "Da Ra", "Đa Rơ", "O Lăng", "Ô Kia", "Ơ Ri", "U Bo", "Ủa", "Ư Mo"]
    assert names(Village.objects.in_vietnamese_order()) == expected


def test_tones_order_second_and_numbers_by_value(db):
    for name in ["Thôn 10", "Thôn 2", "Má", "Mà", "Ma", "Mạ"]:
        f.make_village(name)
    assert names(Village.objects.in_vietnamese_order()) == [
        "Ma",
        "Mà",
        "Má",
        "Mạ",
        "Thôn 2",
        "Thôn 10",
    ]


def test_the_word_thon_or_lang_does_not_decide_the_order(db):
    for name in ["Thôn Kon Skôi", "Làng Đăk Răng", "Ba Tu"]:
        f.make_village(name)
    assert names(Village.objects.in_vietnamese_order()) == [
        "Ba Tu",
        "Làng Đăk Răng",
        "Thôn Kon Skôi",
    ]

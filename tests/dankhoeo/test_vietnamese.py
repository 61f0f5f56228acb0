import pytest

from dankhoeo import vietnamese


def test_the_alphabet_orders_letters_with_marks_after_their_base():
    names = ["Ư", "U", "Ơ", "Ô", "O", "Đa", "Da", "Ê", "E", "Â", "Ă", "A"]
    assert vietnamese.sorted_vietnamese(names) == [
        "A", "Ă", "Â", "Da", "Đa", "E", "Ê", "O", "Ô", "Ơ", "U", "Ư",
    ]  # fmt: skip


def test_tones_order_second_none_grave_hook_tilde_acute_dot():
    names = ["mạ", "má", "mã", "mả", "mà", "ma", "mb"]
    assert vietnamese.sorted_vietnamese(names) == ["ma", "mà", "mả", "mã", "má", "mạ", "mb"]


def test_a_syllables_tone_counts_wherever_it_is_written():
    assert vietnamese.sort_key("Thuỷ") == vietnamese.sort_key("Thủy")
    assert vietnamese.fold("hoà") == vietnamese.fold("hòa") == "hoa"


def test_numbers_sort_by_value():
    assert vietnamese.sorted_vietnamese(["Thôn 10", "Thôn 2", "Thôn 1"]) == [
        "Thôn 1",
        "Thôn 2",
        "Thôn 10",
    ]


def test_shorter_names_come_first():
    assert vietnamese.sorted_vietnamese(["Đăk Book", "Đắk", "Đăk"]) == ["Đăk", "Đắk", "Đăk Book"]


@pytest.mark.parametrize("typed", ["dak xanh", "ĐẮK XANH", "Đăk Xanh", "Dak  Xanh", "đak xanh"])
def test_folding_ignores_accents_case_spaces_and_d_with_stroke(typed):
    assert vietnamese.fold(typed) == "dak xanh"


def test_clean_stores_nfc():
    decomposed = "Đa\u0306k"  # ă written as a + combining breve
    assert vietnamese.clean(decomposed) == "Đăk"


def test_place_prefixes_do_not_count_in_order():
    assert vietnamese.place_sort_key("Xã Đăk Na") == vietnamese.sort_key("Đăk Na")
    assert vietnamese.bare_place_name("Thôn 5") == "Thôn 5"

"""The declared bounds, the input cleaner and the export sanitiser."""

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from dankhoeo import bounds, text


class TestRange:
    def test_it_accepts_its_ends_and_refuses_beyond(self):
        assert bounds.MONEY.check(1) == 1
        assert bounds.MONEY.check(10**13) == 10**13
        with pytest.raises(ValidationError):
            bounds.MONEY.check(10**13 + 1)
        with pytest.raises(ValidationError):
            bounds.MONEY.check(0)

    def test_the_money_maximum_adds_up_within_64_bits(self):
        assert 900_000 * bounds.MONEY.maximum < 2**63

    def test_indicator_numbers_fit_both_decimal_columns(self):
        assert bounds.INDICATOR_NUMBER.maximum < Decimal("9999999999.9999")  # DECIMAL(14,4)
        with pytest.raises(ValidationError):
            bounds.INDICATOR_NUMBER.check(Decimal("12345678901234"))

    def test_a_year_lies_in_the_period_give_or_take_the_grace(self):
        assert bounds.year_in_period(2025, 2022, 2025)
        assert not bounds.year_in_period(2026, 2022, 2025)
        assert bounds.year_in_period(2026, 2022, 2025, grace=1)
        assert not bounds.year_in_period(2027, 2022, 2025, grace=1)
        assert not bounds.year_in_period(0, 2022, 2025)

    @pytest.mark.parametrize("year", [2101, 1999, "2025", 2025.0, True, None])
    def test_a_survey_year_is_always_a_whole_year_the_app_keeps(self, year):
        assert not bounds.year_in_period(year, 1990, 2110, grace=1)

    def test_the_message_names_the_years_the_rule_allows(self):
        assert "2095" in bounds.period_message(2096, 2100, grace=1)
        assert "2101" not in bounds.period_message(2096, 2100, grace=1)

    def test_a_length_is_checked_with_a_clear_message(self):
        with pytest.raises(ValidationError, match="10"):
            bounds.check_length("x" * 11, 10)


class TestQueryInt:
    @pytest.mark.parametrize(
        "raw", ["²", "-1", "abc", "99999999999999999999", "1\x00", "\x01", "1" * 500, "--1"]
    )
    def test_anything_malformed_is_a_bad_request(self, raw):
        request = RequestFactory().get("/", {"year": raw})
        with pytest.raises(bounds.BadQuery):
            bounds.query_int(request.GET, "year", bounds.YEAR)

    def test_empty_or_absent_gives_the_default(self):
        assert bounds.query_int(RequestFactory().get("/?year=").GET, "year", bounds.YEAR, 7) == 7
        assert bounds.query_int(RequestFactory().get("/").GET, "year", bounds.YEAR) is None

    def test_a_good_number_is_read(self):
        query = RequestFactory().get("/?year=2024").GET
        assert bounds.query_int(query, "year", bounds.YEAR) == 2024


class TestCleanInput:
    def test_controls_go_and_line_breaks_become_spaces_on_one_line(self):
        assert text.clean_input("Bí\x0bthư\x01 chi\tbộ") == "Bí\nthư chi bộ".replace("\n", " ")

    def test_a_multi_line_text_keeps_newlines_and_tabs(self):
        assert text.clean_input("a\r\nb\x0bc\td\x85e\x9f", multiline=True) == "a\nb\nc\td\ne"

    def test_zero_width_characters_are_trimmed_at_the_edges_only(self):
        assert text.clean_input("\u200b\ufeff Làng A\u200dB \u200b") == "Làng A\u200dB"
        assert text.clean_input("\u200b") == ""

    def test_text_is_stored_composed(self):
        assert text.clean_input("Đa\u0300") == "Đà"


class TestForExport:
    def test_what_xml_cannot_carry_is_dropped(self):
        assert text.for_export("a\x00b\x01c\x0bd\x0ce\ud800f\uffff\tg\nh") == "abc\nd\nef\tg\nh"

    def test_other_values_pass_through(self):
        assert text.for_export(12) == 12
        assert text.for_export(None) is None

    def test_shorten_marks_the_cut(self):
        assert text.shorten("abcdef", 10) == "abcdef"
        cut = text.shorten("abcdef", 2)
        assert cut.startswith("ab") and "4" in cut


class NameForm(text.CleanTextMixin, forms.Form):
    name = forms.CharField(max_length=10)
    story = forms.CharField(widget=forms.Textarea, required=False)


class TestCleanTextMixin:
    def test_an_invisible_only_name_is_missing(self):
        form = NameForm({"name": "\u200b"})
        assert not form.is_valid()
        assert "name" in form.errors

    def test_text_fields_are_cleaned_before_the_checks(self):
        form = NameForm({"name": " Hà\x01 ", "story": "a\x0bb"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data == {"name": "Hà", "story": "a\nb"}

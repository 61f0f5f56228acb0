import pytest

from dankhoeo import money


@pytest.mark.parametrize(
    ("amount", "text"),
    [(0, "0 đ"), (950, "950 đ"), (1_250_000, "1.250.000 đ"), (1_234_567_890, "1.234.567.890 đ")],
)
def test_it_formats_amounts_for_tables(amount, text):
    assert money.format_dong(amount) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (1_200_000_000, "1,2 tỷ đồng"),
        (1_250_000_000, "1,25 tỷ đồng"),
        (1_255_000_000, "1,26 tỷ đồng"),
        (12_000_000_000, "12 tỷ đồng"),
        (1_234_000_000_000, "1.234 tỷ đồng"),
        (350_000_000, "350 triệu đồng"),
        (352_460_000, "352,5 triệu đồng"),
        (15_000, "15 nghìn đồng"),
        (500, "500 đồng"),
        (0, "0 đồng"),
    ],
)
def test_it_writes_amounts_in_words_for_summaries(amount, text):
    assert money.format_dong_summary(amount) == text


def test_nothing_is_written_for_a_missing_amount():
    assert money.format_dong(None) == ""
    assert money.format_dong_summary(None) == ""


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.250.000", 1_250_000),
        ("1250000", 1_250_000),
        ("1.250.000 đ", 1_250_000),
        ("1.250.000 đồng", 1_250_000),
        ("  2 000 000 VNĐ ", 2_000_000),
        ("15,0", 15),
        ("12", 12),
        (7, 7),
    ],
)
def test_it_reads_whole_amounts_typed_the_vietnamese_way(text, value):
    assert money.parse_whole_amount(text) == value


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("100 USD", "currency"),
        ("$100", "currency"),
        ("50 €", "currency"),
        ("2,5", "decimal"),
        ("2.5", "decimal"),
        ("-1.000", "negative"),
        (-3, "negative"),
        ("mười", "invalid"),
        ("1.25.000", "invalid"),
    ],
)
def test_it_refuses_what_is_not_a_whole_amount_in_dong(text, code):
    with pytest.raises(money.AmountError) as error:
        money.parse_whole_amount(text)
    assert error.value.code == code


def test_the_template_filters_only_call_the_money_module():
    from assignments.templatetags import dong

    assert dong.dong(1_250_000) == "1.250.000 đ"
    assert dong.dong_summary(350_000_000) == "350 triệu đồng"
    assert dong.whole(12345) == "12.345"

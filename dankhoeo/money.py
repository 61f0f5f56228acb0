"""Money the Vietnamese way: amounts in đồng, "." groups thousands, "," marks decimals.

- ``format_dong(1250000)`` → "1.250.000 đ" (tables);
- ``format_dong_summary(1_200_000_000)`` → "1,2 tỷ đồng", ``350_000_000`` → "350 triệu đồng"
  (summaries and reports);
- ``format_number(Decimal("1234.5000"))`` → "1.234,5" (survey values and thresholds, as
  entered);
- ``parse_whole_amount("1.250.000 đ")`` → 1250000; anything that is not a whole, non-negative
  number of đồng (or of work-days) raises ``AmountError`` with a ``code`` that the caller turns
  into a message in the user's language.

Amounts are whole numbers: the đồng has no subunit in use, and work-days are counted whole.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

THOUSANDS = "."
DECIMAL_MARK = ","
SCALES = [(10**9, "tỷ"), (10**6, "triệu"), (10**3, "nghìn")]
# The word only: the white space before it is stripped after (a pattern starting with \s*
# would try each space of a long run to its end, quadratic in the text's length).
_DONG_SUFFIX = re.compile(r"(đ|đồng|dong|vnđ|vnd|₫)\.?$", re.IGNORECASE)
_FOREIGN = re.compile(r"(\$|€|£|¥|usd|eur|gbp|jpy|cny|tệ|yen|đô)", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")


class AmountError(ValueError):
    """``code`` is one of: "empty", "currency", "decimal", "negative", "invalid"."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def group_thousands(number: int) -> str:
    """12345678 → "12.345.678"; -1500 → "-1.500"."""
    sign = "-" if number < 0 else ""
    return sign + f"{abs(int(number)):,}".replace(",", THOUSANDS)


def format_dong(amount: int | Decimal | None) -> str:
    """An amount in a table: "1.250.000 đ"; empty for None."""
    if amount is None:
        return ""
    return f"{group_thousands(int(amount))} đ"


def format_dong_summary(amount: int | Decimal | None) -> str:
    """An amount in running text: "1,2 tỷ đồng", "350 triệu đồng", "15 nghìn đồng".

    Billions keep two decimals and millions one, trailing zeros dropped, rounded half up;
    below a thousand the exact amount is written.
    """
    if amount is None:
        return ""
    value = Decimal(int(amount))
    sign = "-" if value < 0 else ""
    value = abs(value)
    for scale, word in SCALES:
        if value >= scale:
            places = 2 if scale == 10**9 else 1
            scaled = (value / scale).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
            return f"{sign}{_decimal_text(scaled)} {word} đồng"
    return f"{sign}{int(value)} đồng"


def format_number(value: int | Decimal | None) -> str:
    """A measured number (a survey value, a threshold) as it was entered: no trailing zeros,
    "." between thousands, "," before decimals: 75.0000 → "75", 12.5 → "12,5",
    1234.5 → "1.234,5"; empty for None."""
    if value is None:
        return ""
    value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return ("-" if value < 0 else "") + _decimal_text(abs(value))


def _decimal_text(value: Decimal) -> str:
    whole, _dot, fraction = f"{value:f}".partition(".")
    fraction = fraction.rstrip("0")
    text = group_thousands(int(whole))
    return f"{text}{DECIMAL_MARK}{fraction}" if fraction else text


def parse_whole_amount(text: str | int) -> int:
    """Read a whole, non-negative amount typed the Vietnamese way ("1.250.000", "1250000 đ").

    A "," decimal part of zeros is accepted ("15,0"), any other decimal part is refused, as
    are foreign currencies and negative numbers.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        if text < 0:
            raise AmountError("negative")
        return text
    value = str(text or "").strip().replace("\u00a0", " ")
    if not value:
        raise AmountError("empty")
    if _FOREIGN.search(value):
        raise AmountError("currency")
    suffix = _DONG_SUFFIX.search(value)
    if suffix:
        value = value[: suffix.start()].rstrip()
    value = value.replace(" ", "")
    if value.startswith("-"):
        raise AmountError("negative")
    whole, comma, fraction = value.partition(DECIMAL_MARK)
    if comma:
        if not fraction.isdigit():
            raise AmountError("invalid")
        if fraction.strip("0"):
            raise AmountError("decimal")
    if _GROUPED.match(whole):
        whole = whole.replace(THOUSANDS, "")
    if not whole.isdigit() or not whole.isascii():
        raise AmountError("decimal" if re.fullmatch(r"\d+\.\d{1,2}", whole) else "invalid")
    return int(whole)

"""One cell's value as Python: ``convert`` checks it against its column (kind, required,
length, minimum and maximum) and raises ValueError with a translated message."""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from dankhoeo import bounds, vietnamese
from dankhoeo.money import format_number
from dankhoeo.spreadsheets.spec import FALSE_WORDS, FORMULA_STARTS, TRUE_WORDS, Column
from dankhoeo.text import clean_input

_SHOWN = 40  # characters of a cell's value quoted in its error
_LONGEST_NUMBER = 400  # characters of a number typed as text


def _shown(raw: Any) -> str:
    """A cell's value as its error quotes it: printable and short (a file may hold 300.000
    cells of 32.767 characters, all in error)."""
    text = "".join(ch for ch in str(raw)[: _SHOWN + 1] if ch.isprintable())
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def _has_value(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def convert(column: Column, raw: Any) -> Any:
    """A cell's value as Python, or ValueError with a translated message."""
    if isinstance(raw, str) and raw.startswith("'") and raw[1:2] in FORMULA_STARTS:
        raw = raw[1:]  # escaped so by older exports
    if isinstance(raw, bool) and column.kind != "bool":
        raise ValueError(
            _("The cell holds the yes/no value %(value)s, not what this column needs.")
            % {"value": "TRUE" if raw else "FALSE"}
        )
    if not _has_value(raw):
        if column.required:
            raise ValueError(_("This cell is required."))
        return None
    converter = {
        "text": _to_text,
        "integer": _to_integer,
        "decimal": _to_decimal,
        "date": _to_date,
        "bool": _to_bool,
        "choice": _to_choice,
    }[column.kind]
    value = converter(column, raw)
    if column.minimum is not None and value < column.minimum:
        raise ValueError(
            _("The value must be at least %(minimum)s.")
            % {"minimum": format_number(column.minimum)}
        )
    if column.maximum is not None and value > column.maximum:
        raise ValueError(
            _("The value must be at most %(maximum)s.") % {"maximum": format_number(column.maximum)}
        )
    return value


def _to_text(column: Column, raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = vietnamese.clean(clean_input(str(raw)))
    if not text and column.required:
        raise ValueError(_("This cell is required."))
    if column.max_length and len(text) > column.max_length:
        raise ValueError(
            _("The text is longer than %(length)s characters.")
            % {"length": format_number(column.max_length)}
        )
    return text


_VI_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+(,\d+)?$")


def _parse_number(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int | float | Decimal):
        return Decimal(str(raw))
    text = unicodedata.normalize("NFC", str(raw)[: _LONGEST_NUMBER + 1]).strip().replace(" ", "")
    if len(text) > _LONGEST_NUMBER:
        raise ValueError  # no number is written so long; reading it would only cost time
    if _VI_NUMBER.match(text):
        text = text.replace(".", "").replace(",", ".")
    return Decimal(text)


def _to_decimal(column: Column, raw: Any) -> Decimal:
    try:
        value = _parse_number(raw)
    except (InvalidOperation, ValueError):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": _shown(raw)}) from None
    if not value.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": _shown(raw)})
    if value and value.adjusted() < -bounds.CELL_DECIMALS:
        raise ValueError(
            _(
                "“%(value)s” is smaller than any number the app keeps (it keeps %(places)s "
                "decimal places)."
            )
            % {"value": _shown(raw), "places": bounds.CELL_DECIMALS}
        )
    return value


def _to_integer(column: Column, raw: Any) -> int:
    try:
        value = _parse_number(raw)
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or value != value.to_integral_value():
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": _shown(raw)})
    if value > bounds.CELL_WHOLE.maximum:  # checked before int() builds it
        raise ValueError(
            _("The value must be at most %(maximum)s.")
            % {"maximum": format_number(column.maximum or bounds.CELL_WHOLE.maximum)}
        )
    if value < bounds.CELL_WHOLE.minimum:
        raise ValueError(
            _("The value must be at least %(minimum)s.")
            % {"minimum": format_number(column.minimum or bounds.CELL_WHOLE.minimum)}
        )
    return int(value)


def _to_date(column: Column, raw: Any) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = str(raw).strip()
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": _shown(raw)})


def _to_bool(column: Column, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    word = vietnamese.fold(str(raw))
    if word in TRUE_WORDS or word == vietnamese.fold(_("yes")):
        return True
    if word in FALSE_WORDS or word == vietnamese.fold(_("no")):
        return False
    raise ValueError(_("“%(value)s” is not yes or no.") % {"value": _shown(raw)})


def _to_choice(column: Column, raw: Any) -> Any:
    wanted = vietnamese.fold(str(raw))
    for value, label in column.choice_pairs:
        if wanted in (vietnamese.fold(label), vietnamese.fold(str(value))):
            return value
    raise ValueError(
        _("“%(value)s” is not one of the allowed values: %(choices)s.")
        % {"value": _shown(raw), "choices": ", ".join(column.labels())}
    )

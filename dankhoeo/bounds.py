"""The bounds of every value the app stores, declared once.

Model fields take their validators from here (so every ModelForm checks them), imports call
``Range.check`` on each value they read, query strings are read with ``query_int``, and the
database holds the same rules as check constraints named ``<app>_<model>_<rule>`` built with
``Range.condition`` and ``length_condition``. Nothing here imports an app.

The numbers, and why:

- ``YEAR`` 2000-2100: any year the app keeps (plans, criteria sets, surveys, statistics).
  A survey's year is judged by one rule, ``year_in_period``: a year of ``YEAR`` inside a
  period. The access policy applies it to the periods of the plans in progress that cover the
  village (exactly: no survey outside a plan); the survey service to its criteria set's period
  give or take ``PERIOD_GRACE_YEARS`` (a plan may run a year past the set it follows, and a
  set may be adopted a year late).
- ``INDICATOR_NUMBER`` 0-1.000.000.000: a survey value or a threshold is a count, a rate or
  an amount per person or household; it fits both DECIMAL(14,4) (thresholds) and
  DECIMAL(16,4) (values) with room to spare.
- ``PERCENT`` 0-100.
- ``MONEY`` 1-10.000.000.000.000 đồng (10 nghìn tỷ, more than the province's yearly budget)
  per resource record, also used for work-days: 900.000 records at the maximum still add up
  within a 64-bit integer, so no SUM can overflow.
- ``COUNT`` 0-1.000.000: people, households, attendance of one village or one session.
- ``CRITERION_NUMBER`` 1-999: criteria and custom numbers as written in the documents.
- ``LONG_TEXT`` 10.000 characters: every multi-line text (contents, answers, notes,
  narratives); about four printed pages, far less than what makes a report slow.
- ``LATITUDE`` 7,5-23,4 and ``LONGITUDE`` 102,1-117,9 decimal degrees (WGS 84): Vietnam's
  bounding box, the Hoàng Sa and Trường Sa archipelagos included (the mainland alone runs from
  8,4°N at Mũi Cà Mau to 23,4°N at Lũng Cú and from 102,1°E at A Pa Chải to 109,5°E). A box is
  a coarse check: it catches swapped axes, a missing sign or digit and a point in another
  country far away, not a point just across the border in Laos or Cambodia. A village has both
  coordinates or neither (``check_point``).
- Imports: ``IMPORT_SECONDS`` 45 for an import in the request (preview or save; below the
  request's own budget, ``settings.REQUEST_SECONDS``), ``IMPORT_JOB_SECONDS`` 600 for one made
  by the queue; a file of more than ``IMPORT_AT_ONCE_ROWS`` rows is saved by the queue. An
  import over its time (``time_budget``, checked by ``spend`` at every row) stops with
  ``OverBudget`` inside its transaction: nothing is saved, and the message says so.
"""

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import BadRequest, ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import formats
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext

from dankhoeo.errors import Refused


def _number(value: Any) -> str:
    return formats.number_format(value, force_grouping=True)


@dataclass(frozen=True)
class Range:
    """The closed interval a number must lie in."""

    minimum: int | Decimal
    maximum: int | Decimal

    def __contains__(self, value: Any) -> bool:
        try:
            return self.minimum <= value <= self.maximum
        except (TypeError, InvalidOperation):
            return False

    def message(self) -> str:
        return gettext("Enter a number between %(minimum)s and %(maximum)s.") % {
            "minimum": _number(self.minimum),
            "maximum": _number(self.maximum),
        }

    def check(self, value: Any) -> Any:
        """The value itself when it lies in the range (None passes); else ValidationError."""
        if value is not None and value not in self:
            raise ValidationError(self.message(), code="range")
        return value

    def validators(self) -> list:
        """For a model or form field."""
        return [InRange(self.minimum, self.maximum)]

    def condition(self, field: str, *, null: bool = False) -> Q:
        """The range as a check constraint's condition."""
        inside = Q(**{f"{field}__gte": self.minimum, f"{field}__lte": self.maximum})
        return inside | Q(**{f"{field}__isnull": True}) if null else inside


@deconstructible
class InRange:
    """A field validator for a ``Range``, with its message (the numbers written the user's
    way)."""

    def __init__(self, minimum, maximum):
        self.minimum, self.maximum = minimum, maximum

    def __call__(self, value) -> None:
        Range(self.minimum, self.maximum).check(value)

    def __eq__(self, other) -> bool:
        return isinstance(other, InRange) and (self.minimum, self.maximum) == (
            other.minimum,
            other.maximum,
        )


YEAR = Range(2000, 2100)
PERIOD_GRACE_YEARS = 1
INDICATOR_NUMBER = Range(Decimal(0), Decimal(10**9))
PERCENT = Range(Decimal(0), Decimal(100))
MONEY = Range(1, 10**13)
COUNT = Range(0, 10**6)
CRITERION_NUMBER = Range(1, 999)
LONG_TEXT = 10_000
# The largest upload of each kind: the service refuses a larger file, the form's help text
# names the same size (``megabytes``).
MB = 1024 * 1024
PHOTO_BYTES = 8 * MB
EVIDENCE_BYTES = 10 * MB
ATTACHMENT_BYTES = 15 * MB
COMMON_PLAN_BYTES = 15 * MB
SURVEY_TEXT = 500  # the text or choice a survey value holds (its column's length)


LATITUDE = Range(Decimal("7.5"), Decimal("23.4"))
LONGITUDE = Range(Decimal("102.1"), Decimal("117.9"))
AXES = {"latitude": LATITUDE, "longitude": LONGITUDE}


def year_in_period(year: Any, first: int, last: int, *, grace: int = 0) -> bool:
    """The rule of a survey's year: a year the app keeps (``YEAR``) within the period
    first-last, widened by ``grace`` years on each side. Anything not a whole number is not."""
    if isinstance(year, bool) or not isinstance(year, int):
        return False
    return year in YEAR and first - grace <= year <= last + grace


def period_message(first: int, last: int, *, grace: int = 0) -> str:
    return gettext("The year must lie between %(first)s and %(last)s.") % {
        "first": max(first - grace, YEAR.minimum),
        "last": min(last + grace, YEAR.maximum),
    }


def long_text_validators() -> list:
    return [MaxLengthValidator(LONG_TEXT)]


def long_text() -> dict:
    """The options of a multi-line TextField: ``models.TextField(_("note"), **long_text())``."""
    return {"max_length": LONG_TEXT, "validators": long_text_validators()}


def length_condition(field: str, length: int = LONG_TEXT) -> LessThanOrEqual:
    """A text's length as a check constraint's condition."""
    return LessThanOrEqual(Length(field), length)


def check_length(text: str | None, length: int) -> str | None:
    """The text when it has at most ``length`` characters; else ValidationError."""
    if text is not None and len(text) > length:
        raise ValidationError(
            gettext("Enter at most %(length)s characters (it has %(count)s).")
            % {"length": _number(length), "count": _number(len(text))},
            code="max_length",
        )
    return text


# Coordinates -------------------------------------------------------------------------------


def coordinate_message(axis: str) -> str:
    """Why a latitude or longitude is refused: the point lies outside Vietnam."""
    text = (
        gettext(
            "The point lies outside Vietnam: the latitude must be between %(minimum)s and "
            "%(maximum)s."
        )
        if axis == "latitude"
        else gettext(
            "The point lies outside Vietnam: the longitude must be between %(minimum)s and "
            "%(maximum)s."
        )
    )
    return text % {"minimum": _number(AXES[axis].minimum), "maximum": _number(AXES[axis].maximum)}


def check_coordinate(axis: str, value: Any) -> Any:
    """The latitude or longitude itself when it lies in Vietnam's box (None passes)."""
    if value is not None and value not in AXES[axis]:
        raise ValidationError(coordinate_message(axis), code="outside_vietnam")
    return value


@deconstructible
class InVietnam:
    """A latitude or longitude field validator (``axis``: "latitude" or "longitude")."""

    def __init__(self, axis: str):
        self.axis = axis

    def __call__(self, value) -> None:
        check_coordinate(self.axis, value)

    def __eq__(self, other) -> bool:
        return isinstance(other, InVietnam) and self.axis == other.axis


def coordinate_validators(axis: str) -> list:
    return [InVietnam(axis)]


def check_point(latitude: Any, longitude: Any) -> None:
    """A place's coordinates: both or neither, each inside Vietnam's box; else a
    ValidationError by field (``latitude``, ``longitude``)."""
    errors: dict[str, list] = {}
    for axis, value in (("latitude", latitude), ("longitude", longitude)):
        try:
            check_coordinate(axis, value)
        except ValidationError as error:
            errors[axis] = error.error_list
    if not errors and (latitude is None) != (longitude is None):
        missing = "latitude" if latitude is None else "longitude"
        errors[missing] = [
            ValidationError(
                gettext("Give both the latitude and the longitude, or neither."),
                code="half_point",
            )
        ]
    if errors:
        raise ValidationError(errors)


def point_condition(latitude: str = "latitude", longitude: str = "longitude") -> Q:
    """Both coordinates inside Vietnam's box, or neither, as a check constraint's condition."""
    # "IS NOT NULL" spelt out: a CHECK passes when its condition is unknown (NULL)
    both = Q(**{f"{latitude}__isnull": False, f"{longitude}__isnull": False})
    neither = Q(**{f"{latitude}__isnull": True, f"{longitude}__isnull": True})
    return neither | (both & LATITUDE.condition(latitude) & LONGITUDE.condition(longitude))


# Query strings -----------------------------------------------------------------------------


_WHOLE = re.compile(r"-?[0-9]{1,19}\Z")


class BadQuery(BadRequest):
    """A malformed query-string parameter: a 400 page that says which one and why."""


_CONTROL = re.compile("[\x00-\x1f\x7f]")


def check_query(params) -> None:
    """A query string holding a control character (NUL, U+0001, ...) is a 400: no view and no
    database ever sees one (PostgreSQL refuses a NUL in any text)."""
    for name, values in params.lists():
        if any(_CONTROL.search(text) for text in (name, *values)):
            raise BadQuery(gettext("The address holds a character that is not allowed."))


def whole_number(raw: Any, bounds: Range) -> int | None:
    """The ASCII whole number ``raw`` spells, if it lies within ``bounds``; else None."""
    if not isinstance(raw, str) or not _WHOLE.match(raw) or int(raw) not in bounds:
        return None
    return int(raw)


def query_int(params, name: str, bounds: Range, default: int | None = None) -> int | None:
    """The whole number in ``params[name]`` (``request.GET``), or ``default`` when it is absent
    or empty.

    Anything else that is not an ASCII whole number within ``bounds`` is a 400 (``BadQuery``):
    "²", "-1" where the bounds start at 0, "abc", 20 digits, a NUL.
    """
    raw = params.get(name, "")
    if raw == "":
        return default
    number = whole_number(raw, bounds)
    if number is None:
        raise BadQuery(
            gettext("“%(name)s” in the address must be a whole number from %(min)s to %(max)s.")
            % {"name": name, "min": _number(bounds.minimum), "max": _number(bounds.maximum)}
        )
    return number


ID = Range(1, 2**63 - 1)  # a primary key in a query string
# Any whole number a workbook cell may give, whatever its column: what a database integer
# holds ("1e999999999" would otherwise be built as a number of a billion digits).
CELL_WHOLE = Range(-(2**63), 2**63 - 1)
# The smallest number a workbook cell may give besides 0: 10 decimal places, more than any
# column keeps ("1e-99999" would otherwise be written out as 100.000 zeros).
CELL_DECIMALS = 10
PAGE = Range(1, 1_000_000)  # a page number of a list (x 200 items: far below any offset limit)


# The time of an import --------------------------------------------------------------------

IMPORT_SECONDS = 45
IMPORT_JOB_SECONDS = 600
IMPORT_AT_ONCE_ROWS = 2_000
PROGRESS_EVERY_SECONDS = 1.0


class OverBudget(Refused):
    """An import ran past its time; raised inside its transaction, so nothing is saved."""


@dataclass
class _Budget:
    seconds: float
    deadline: float
    progress: Callable[[int], None] | None
    reported: float = 0.0


_budget: ContextVar[_Budget | None] = ContextVar("import_budget", default=None)


@contextmanager
def time_budget(seconds: float, progress: Callable[[int], None] | None = None) -> Iterator[None]:
    """Bound the import run inside: ``spend`` raises ``OverBudget`` once ``seconds`` have
    passed; ``progress`` (if given) hears the percentage read, at most once a second."""
    token = _budget.set(_Budget(seconds, time.monotonic() + seconds, progress))
    try:
        yield
    finally:
        _budget.reset(token)


def spend(done: int = 0, total: int = 0) -> None:
    """One more row of an import (``done`` of ``total``, when known). Outside a
    ``time_budget`` (a test, a command run by the operator) nothing is bounded."""
    budget = _budget.get()
    if budget is None:
        return
    now = time.monotonic()
    if now > budget.deadline:
        raise OverBudget(
            gettext(
                "The import took longer than its %(seconds)s seconds and was stopped: nothing "
                "was saved. Split the file into smaller files and import them one by one."
            )
            % {"seconds": _number(int(budget.seconds))},
            code="time",
        )
    if budget.progress and total and now - budget.reported >= PROGRESS_EVERY_SECONDS:
        budget.reported = now
        budget.progress(min(99, 100 * done // total))


def megabytes(size: int) -> str:
    """An upload bound in whole megabytes, for a help text ("15")."""
    return str(size // MB)

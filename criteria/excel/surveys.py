"""The survey workbook, on the shared layer ``dankhoeo.spreadsheets``: one row per village and
indicator, pre-filled with the current values (and last year's beside them), its structure
locked and only the value and note cells open.

On upload every row is checked (types, ranges, unknown village or indicator, a survey that is
no longer a draft or changed since the download, a village outside the user's scope); when
there is no error, everything is saved in one transaction through the survey services.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl.utils import get_column_letter

from assignments.models import Plan
from criteria import queries, services
from criteria.models import (
    CriteriaSet,
    Indicator,
    Survey,
    SurveyValue,
)
from dankhoeo import access, bounds, importflow
from dankhoeo import spreadsheets as xl
from dankhoeo.errors import Refused
from dankhoeo.models import User
from villages.models import Village

SURVEY_SHEET = gettext_lazy("Survey")
ValueType = Indicator.ValueType


def survey_columns() -> list[xl.Column]:
    return [
        xl.Column("village_code", gettext_lazy("Village code"), required=True, width=14),
        xl.Column("village", gettext_lazy("Village"), width=22),
        xl.Column(
            "year",
            gettext_lazy("Year"),
            kind="integer",
            required=True,
            width=8,
            minimum=bounds.YEAR.minimum,
            maximum=bounds.YEAR.maximum,
        ),
        xl.Column("version", gettext_lazy("Survey version"), kind="integer", width=10),
        xl.Column("criterion", gettext_lazy("Criterion"), width=30),
        xl.Column("indicator_code", gettext_lazy("Indicator code"), required=True, width=10),
        xl.Column("indicator", gettext_lazy("Indicator"), width=45),
        xl.Column("kind", gettext_lazy("Kind of value"), width=14),
        xl.Column("unit", gettext_lazy("Unit"), width=12),
        xl.Column("last_year", gettext_lazy("Last year"), width=12),
        xl.Column(
            "number",
            gettext_lazy("Number"),
            kind="decimal",
            minimum=bounds.INDICATOR_NUMBER.minimum,
            maximum=bounds.INDICATOR_NUMBER.maximum,
        ),
        xl.Column("yes_no", gettext_lazy("Yes / no"), kind="bool"),
        xl.Column("text", gettext_lazy("Choice or text"), max_length=bounds.SURVEY_TEXT, width=20),
        xl.Column("assessed", gettext_lazy("Assessed as met"), kind="bool", width=14),
        xl.Column("note", gettext_lazy("Note"), max_length=1000, width=30),
    ]


EDITABLE = ("number", "yes_no", "text", "assessed", "note")
VALUE_COLUMN = {
    ValueType.NUMBER: "number",
    ValueType.PERCENT: "number",
    ValueType.BOOLEAN: "yes_no",
    ValueType.CHOICE: "text",
    ValueType.TEXT: "text",
}


def _letter(key: str) -> str:
    keys = [c.key for c in survey_columns()]
    return get_column_letter(keys.index(key) + 1)


def _instructions() -> list[str]:
    return [
        _("Fill in one value per row, in the column that matches the kind of value:"),
        _("• numbers and percentages in “Number” (1.234,5 or 1234.5);"),
        _("• yes / no in “Yes / no” (có / không);"),
        _("• a choice or a text in “Choice or text” (a choice must be written as listed);"),
        _("• “Assessed as met” only where the indicator has no threshold yet."),
        _("Do not change the other columns, the rows or the sheets. Only drafts can be changed."),
        xl.max_rows_note(xl.MAX_ROWS),
    ]


def survey_workbook(user: User, villages: list[Village], year: int) -> tuple[str, bytes]:
    """The pre-filled template for these villages and year (their sets, their values)."""
    sets = Plan.objects.criteria_sets_for(villages, year)
    surveys = {
        s.village_id: s
        for s in Survey.objects.filter(year=year, village__in=[v.pk for v in villages])
    }
    values = defaultdict(dict)
    for survey in surveys.values():
        for value in queries.survey_values(survey):
            values[survey.pk][value.indicator_id] = value
    indicators = _indicators_of({s.pk for s in sets.values() if s} | _set_ids(surveys))
    rows = []
    for village in villages:
        survey = surveys.get(village.pk)
        criteria_set_id = survey.criteria_set_id if survey else getattr(sets[village.pk], "pk", 0)
        for indicator in indicators.get(criteria_set_id, []):
            value = values[survey.pk].get(indicator.pk) if survey else None
            rows.append(_survey_row(village, year, survey, indicator, value))
    spec = xl.SheetSpec(
        title=SURVEY_SHEET,
        columns=survey_columns(),
        rows=rows,
        locked=True,
        editable_keys=EDITABLE,
        instructions=_instructions(),
    )
    name = villages[0].code if len(villages) == 1 else pgettext("file name", "villages")
    return f"khao-sat-{year}-{name}.xlsx", xl.build_workbook([spec])


def _set_ids(surveys) -> set[int]:
    return {s.criteria_set_id for s in surveys.values()}


def _indicators_of(set_ids) -> dict[int, list[Indicator]]:
    grouped = defaultdict(list)
    for indicator in (
        Indicator.objects.filter(criterion__criteria_set__in=set_ids)
        .select_related("criterion")
        .order_by("criterion__number", "code", "pk")
    ):
        grouped[indicator.criterion.criteria_set_id].append(indicator)
    return grouped


def _survey_row(village, year, survey, indicator, value) -> dict:
    row = {
        "village_code": village.code,
        "village": village.name,
        "year": year,
        "version": survey.version if survey else None,
        "criterion": str(indicator.criterion),
        "indicator_code": indicator.code,
        "indicator": indicator.name,
        "kind": str(indicator.get_value_type_display()),
        "unit": indicator.unit,
    }
    if value is not None:
        row[VALUE_COLUMN[indicator.value_type]] = value.typed_value
        row["assessed"] = value.assessed
        row["note"] = value.note
    return row


@dataclass
class SurveyUpdate:
    """What one uploaded workbook would do to one village-year."""

    village: Village
    year: int
    survey: Survey | None
    version: int | None
    criteria_set: CriteriaSet | None = None
    indicators: dict[str, Indicator] = field(default_factory=dict)
    current: dict[int, SurveyValue] = field(default_factory=dict)
    values: dict[int, services.ValueInput] = field(default_factory=dict)
    changed: int = 0

    @property
    def is_new(self) -> bool:
        return self.survey is None


@dataclass
class SurveyImport:
    updates: list[SurveyUpdate]
    errors: list[xl.CellError]


def read_survey_workbook(user: User, source) -> SurveyImport:
    """Check an uploaded survey workbook; raises ``xl.SpreadsheetError`` for a bad file."""
    workbook = xl.open_workbook(source)
    table = xl.read_table(workbook, sheet=SURVEY_SHEET, columns=survey_columns())
    errors = list(table.errors)
    sheet = str(SURVEY_SHEET)
    codes = {row.values.get("village_code") for row in table.rows} - {None}
    villages = {v.code: v for v in Village.objects.filter(code__in=codes)}
    editable = set(
        access.villages_editable_by(user).filter(code__in=codes).values_list("code", flat=True)
    )
    updates: dict[tuple[str, int], SurveyUpdate] = {}
    seen = set()
    for row in table.rows:
        bounds.spend()
        values = row.values
        code, year = values.get("village_code"), values.get("year")
        if code is None or year is None:
            continue  # already reported by read_table
        village = villages.get(code)
        if village is None:
            errors.append(xl.CellError(sheet, row.number, "A", _("Unknown village code.")))
            continue
        if code not in editable:
            errors.append(
                xl.CellError(sheet, row.number, "A", _("You may not enter data for this village."))
            )
            continue
        update = updates.get((code, year))
        if update is None:
            update = updates[(code, year)] = _start_update(village, year, values.get("version"))
            problem = _survey_problem(update)
            if problem:
                errors.append(xl.CellError(sheet, row.number, _letter("version"), problem))
        indicator = _indicator(update, values.get("indicator_code"))
        if indicator is None:
            errors.append(
                xl.CellError(
                    sheet,
                    row.number,
                    _letter("indicator_code"),
                    _("Unknown indicator for this village's criteria set."),
                )
            )
            continue
        if (code, year, indicator.pk) in seen:
            errors.append(
                xl.CellError(sheet, row.number, _letter("indicator_code"), _("Duplicate row."))
            )
            continue
        seen.add((code, year, indicator.pk))
        errors.extend(_read_value(sheet, row, update, indicator))
    return SurveyImport(list(updates.values()), errors)


def _start_update(village: Village, year: int, version) -> SurveyUpdate:
    survey = Survey.objects.filter(village=village, year=year).select_related("village").first()
    criteria_set = survey.criteria_set if survey else services.criteria_set_for(village, year)
    indicators = Indicator.objects.filter(criterion__criteria_set=criteria_set)
    return SurveyUpdate(
        village=village,
        year=year,
        survey=survey,
        version=version,
        criteria_set=criteria_set,
        indicators={i.code: i for i in indicators.select_related("criterion")},
        current={v.indicator_id: v for v in queries.survey_values(survey)} if survey else {},
    )


def _survey_problem(update: SurveyUpdate) -> str:
    if update.criteria_set is None:
        return _("No criteria set applies to this village for this year.")
    survey = update.survey
    if survey is None:
        try:
            services.check_survey_year(update.criteria_set, update.year)
        except Refused as error:
            return error.messages[0]
        return ""
    if survey.status != Survey.Status.DRAFT:
        return _("The survey is %(status)s: only a draft can be changed.") % {
            "status": survey.get_status_display().lower()
        }
    if update.version != survey.version:
        return _("The survey changed after this file was downloaded: download a new template.")
    return ""


def _indicator(update: SurveyUpdate, code) -> Indicator | None:
    return update.indicators.get(str(code)) if code is not None else None


def _read_value(sheet: str, row, update: SurveyUpdate, indicator: Indicator):
    values = row.values
    own = VALUE_COLUMN[indicator.value_type]
    errors = []
    for other in ("number", "yes_no", "text"):
        if other != own and values.get(other) is not None:
            errors.append(
                xl.CellError(
                    sheet,
                    row.number,
                    _letter(other),
                    _("This indicator takes its value in the column “%(column)s”.")
                    % {"column": _header(own)},
                )
            )
    value = values.get(own)
    try:
        value = services.check_value(indicator, value)
    except Refused as error:
        errors.append(xl.CellError(sheet, row.number, _letter(own), error.messages[0]))
    entered = services.ValueInput(
        value=value, assessed=values.get("assessed"), note=values.get("note") or ""
    )
    update.values[indicator.pk] = entered
    current = update.current.get(indicator.pk)
    if current is None or (current.typed_value, current.assessed, current.note) != (
        entered.value,
        entered.assessed,
        entered.note,
    ):
        update.changed += 1
    return errors


def _header(key: str) -> str:
    return next(str(c.header) for c in survey_columns() if c.key == key)


@transaction.atomic
def apply_survey_import(user: User, result: SurveyImport) -> int:
    """Save every survey of a checked workbook, all or nothing; return how many changed."""
    if result.errors:
        raise Refused(_("The file has errors: nothing was saved."))
    saved = 0
    for done, update in enumerate(result.updates):
        bounds.spend(done, len(result.updates))
        if not update.changed:
            continue
        survey = update.survey or services.survey_start(
            user=user, village=update.village, year=update.year
        )
        services.survey_save_values(
            user=user,
            survey=survey,
            version=survey.version if update.survey is None else update.version,
            values=update.values,
            reason=_("Imported from Excel on %(date)s")
            % {"date": timezone.localdate().strftime("%d/%m/%Y")},
        )
        saved += 1
    return saved


@importflow.flow_factory
def survey_import_flow(user: User) -> importflow.Flow:
    """The import of survey workbooks (whoever may import surveys: the view checks)."""
    return importflow.Flow(
        read=lambda source: read_survey_workbook(user, source),
        save=lambda result: apply_survey_import(user, result),
        target="surveys",
        message=lambda saved: importflow.counts(
            _("%(count)s surveys were saved."), {"count": saved}
        ),
        size=lambda result: len(result.updates),
        title=_("Import of surveys"),
        preview_template="criteria/_survey_import_preview.html",
    )

"""The criteria set workbook: the criteria and indicators of a set, one row per indicator; an
import replaces the criteria of a set that no survey uses, in one transaction."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from criteria import services
from criteria.models import (
    CriteriaSet,
    Criterion,
    Indicator,
    IndicatorThreshold,
    VillageGroup,
)
from dankhoeo import access, bounds, importflow
from dankhoeo import spreadsheets as xl
from dankhoeo.errors import Refused
from dankhoeo.models import User

SET_SHEET = gettext_lazy("Indicators")
ValueType = Indicator.ValueType


def set_columns() -> list[xl.Column]:
    return [
        xl.Column(
            "number",
            gettext_lazy("Criterion number"),
            kind="integer",
            required=True,
            minimum=bounds.CRITERION_NUMBER.minimum,
            maximum=bounds.CRITERION_NUMBER.maximum,
        ),
        xl.Column("group", gettext_lazy("Group"), max_length=200),
        xl.Column("criterion", gettext_lazy("Criterion"), required=True, max_length=300),
        xl.Column("code", gettext_lazy("Indicator code"), required=True, max_length=20),
        xl.Column("name", gettext_lazy("Indicator"), required=True, max_length=500, width=45),
        xl.Column("unit", gettext_lazy("Unit"), max_length=60),
        xl.Column(
            "value_type",
            gettext_lazy("Kind of value"),
            kind="choice",
            required=True,
            choices=ValueType.choices,
        ),
        xl.Column(
            "comparator",
            gettext_lazy("Comparator"),
            kind="choice",
            required=True,
            # "code: sign", because a label starting with "=" would be escaped as a formula
            choices=[(value, f"{value}: {label}") for value, label in Indicator.Comparator.choices],
        ),
        xl.Column(
            "threshold",
            gettext_lazy("Threshold"),
            kind="decimal",
            minimum=bounds.INDICATOR_NUMBER.minimum,
            maximum=bounds.INDICATOR_NUMBER.maximum,
        ),
        xl.Column(
            "threshold_disadvantaged",
            gettext_lazy("Threshold for extremely disadvantaged villages"),
            kind="decimal",
            minimum=bounds.INDICATOR_NUMBER.minimum,
            maximum=bounds.INDICATOR_NUMBER.maximum,
        ),
        xl.Column("choices", gettext_lazy("Choices"), max_length=500),
        xl.Column("accepted", gettext_lazy("Accepted choices"), max_length=500),
        xl.Column("verification", gettext_lazy("Means of verification"), max_length=500),
        xl.Column("evidence", gettext_lazy("Evidence required"), kind="bool"),
        xl.Column("placeholder", gettext_lazy("Placeholder"), kind="bool"),
        xl.Column("source", gettext_lazy("Source of the threshold"), max_length=300),
    ]


def set_workbook(criteria_set: CriteriaSet) -> tuple[str, bytes]:
    indicators = (
        Indicator.objects.filter(criterion__criteria_set=criteria_set)
        .select_related("criterion")
        .prefetch_related("group_thresholds")
        .order_by("criterion__number", "code")
    )
    rows = []
    for indicator in indicators:
        group = {t.village_group: t.threshold for t in indicator.group_thresholds.all()}
        rows.append(
            {
                "number": indicator.criterion.number,
                "group": indicator.criterion.group,
                "criterion": indicator.criterion.name,
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit,
                "value_type": indicator.value_type,
                "comparator": indicator.comparator,
                "threshold": indicator.threshold,
                "threshold_disadvantaged": group.get(VillageGroup.EXTREMELY_DISADVANTAGED),
                "choices": indicator.choices,
                "accepted": indicator.accepted_choices,
                "verification": indicator.means_of_verification,
                "evidence": indicator.evidence_required,
                "placeholder": indicator.is_placeholder,
                "source": indicator.source,
            }
        )
    spec = xl.SheetSpec(
        title=SET_SHEET,
        columns=set_columns(),
        rows=rows,
        blank_rows=20,
        instructions=[xl.max_rows_note(xl.MAX_ROWS)],
    )
    name = f"{criteria_set.code}-v{criteria_set.version}"
    return f"bo-tieu-chi-{name}.xlsx", xl.build_workbook([spec])


@dataclass
class SetImport:
    rows: list
    errors: list[xl.CellError]


def read_set_workbook(criteria_set: CriteriaSet, source) -> SetImport:
    workbook = xl.open_workbook(source)
    table = xl.read_table(workbook, sheet=SET_SHEET, columns=set_columns())
    errors = list(table.errors)
    sheet = str(SET_SHEET)
    if criteria_set.is_in_use():
        errors.append(
            xl.CellError(
                sheet,
                None,
                None,
                _("Surveys already use this criteria set: import into a new version."),
            )
        )
    names: dict[int, str] = {}
    codes = set()
    keys = [c.key for c in set_columns()]
    for row in table.rows:
        values = row.values
        number, code = values.get("number"), values.get("code")
        if number is not None and names.setdefault(number, values.get("criterion")) != values.get(
            "criterion"
        ):
            errors.append(
                xl.CellError(
                    sheet, row.number, "C", _("Another row gives this criterion another name.")
                )
            )
        if (number, code) in codes:
            errors.append(xl.CellError(sheet, row.number, "D", _("Duplicate indicator code.")))
        codes.add((number, code))
        numeric = values.get("value_type") in (ValueType.NUMBER, ValueType.PERCENT)
        if numeric and values.get("comparator") in ("one_of", "filled"):
            letter = get_column_letter(keys.index("comparator") + 1)
            errors.append(
                xl.CellError(sheet, row.number, letter, _("Compare a number with ≥, >, ≤, < or =."))
            )
    return SetImport(table.rows, errors)


@transaction.atomic
def apply_set_import(user: User, criteria_set: CriteriaSet, result: SetImport) -> None:
    """Replace the criteria and indicators of an unused set with the workbook's."""
    access.require_staff(user)
    if result.errors:
        raise Refused(_("The file has errors: nothing was saved."))
    services.criteria_set_require_unused(criteria_set)
    criteria_set.criteria.all().delete()
    criteria: dict[int, Criterion] = {}
    for done, row in enumerate(result.rows):
        bounds.spend(done, len(result.rows))
        v = row.values
        criterion = criteria.get(v["number"])
        if criterion is None:
            criterion = criteria[v["number"]] = Criterion.objects.create(
                criteria_set=criteria_set,
                number=v["number"],
                group=v.get("group") or "",
                name=v["criterion"],
            )
        indicator = Indicator.objects.create(
            criterion=criterion,
            code=v["code"],
            name=v["name"],
            unit=v.get("unit") or "",
            value_type=v["value_type"],
            comparator=v["comparator"],
            threshold=v.get("threshold"),
            choices=v.get("choices") or "",
            accepted_choices=v.get("accepted") or "",
            means_of_verification=v.get("verification") or "",
            evidence_required=bool(v.get("evidence")),
            is_placeholder=bool(v.get("placeholder")),
            source=v.get("source") or "",
        )
        if v.get("threshold_disadvantaged") is not None:
            IndicatorThreshold.objects.create(
                indicator=indicator,
                village_group=VillageGroup.EXTREMELY_DISADVANTAGED,
                threshold=v["threshold_disadvantaged"],
            )


@importflow.flow_factory
def set_import_flow(user: User, *, criteria_set: int) -> importflow.Flow:
    """The import of a criteria set's criteria and indicators (staff: the view checks)."""
    the_set = CriteriaSet.objects.get(pk=criteria_set)
    return importflow.Flow(
        read=lambda source: read_set_workbook(the_set, source),
        save=lambda result: apply_set_import(user, the_set, result),
        target=f"criteria set {the_set}",
        detail=lambda saved: "",
        message=lambda saved: _("The criteria and indicators were imported."),
        size=lambda result: len(result.rows),
        title=_("Import of the criteria of %(set)s") % {"set": the_set},
        preview_template="criteria/_set_import_preview.html",
    )

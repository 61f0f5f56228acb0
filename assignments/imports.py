"""Reading the agencies and assignments of a plan from Excel: what an import would do.

The workbook has a sheet "Assignments" (one row per village and agency; a row without an agency
adds the village to the plan only) and, optionally, a sheet "Agencies" (new agencies, or changes
to existing ones). ``preview`` reads it through ``dankhoeo.spreadsheets``, matches villages and
agencies on their codes first, then on their names without accents (``vietnamese.fold``), and
reports every row as new, changed or unchanged with every error by sheet, row and column. It
writes nothing; ``services.assignments_import`` saves a preview without errors, all at once.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl.utils import get_column_letter

from assignments.models import Agency, Assignment, Plan
from dankhoeo import importflow, vietnamese
from dankhoeo import spreadsheets as xl
from villages.models import AdminUnit, Village

AGENCIES_SHEET = pgettext_lazy("Excel sheet", "Agencies")
ASSIGNMENTS_SHEET = pgettext_lazy("Excel sheet", "Assignments")
AGENCY_COLUMNS = [
    xl.Column("code", gettext_lazy("Agency code"), required=True, max_length=40, width=16),
    xl.Column("name", gettext_lazy("Agency name"), required=True, max_length=300, width=40),
    xl.Column("short_name", gettext_lazy("Short name"), max_length=100, width=20),
    xl.Column("kind", gettext_lazy("Kind"), kind="choice", choices=Agency.Kind.choices, width=22),
]
ASSIGNMENT_COLUMNS = [
    xl.Column("village_code", gettext_lazy("Village code"), max_length=20, width=16),
    xl.Column("village", gettext_lazy("Village name"), max_length=200, width=24),
    xl.Column("commune", gettext_lazy("Commune"), max_length=200, width=22),
    xl.Column("agency_code", gettext_lazy("Agency code"), max_length=40, width=16),
    xl.Column("agency", gettext_lazy("Agency name"), max_length=300, width=36),
    xl.Column(
        "role", gettext_lazy("Role"), kind="choice", choices=Assignment.Role.choices, width=16
    ),
    xl.Column("start_date", gettext_lazy("From"), kind="date"),
    xl.Column("end_date", gettext_lazy("Until"), kind="date"),
]
INSTRUCTIONS = [
    gettext_lazy("Keep the first row of each sheet (the column headers) as it is."),
    gettext_lazy(
        "Agencies: one row per agency, unit, enterprise or mass organisation; the code is "
        "yours to choose and must not change afterwards. Leave the sheet empty if every "
        "agency is already in the app."
    ),
    gettext_lazy(
        "Assignments: one row per village and agency. Give the village code, or the village "
        "name and its commune; give the agency code, or its exact name."
    ),
    gettext_lazy(
        "Role: “In charge” (one per village) or “Supporting”. A row without an agency only "
        "adds the village to the plan."
    ),
    gettext_lazy("Dates dd/mm/yyyy, within the plan's period. Type values, not formulas."),
]

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
MAX_ROWS = xl.MAX_ROWS


@dataclass
class AgencyRow:
    number: int
    values: dict
    agency: Agency | None = None
    status: str = NEW


@dataclass
class AssignmentRow:
    number: int
    village: Village | None
    agency: Agency | None
    agency_code: str
    values: dict
    status: str = NEW

    @property
    def role_label(self) -> str:
        """The role as people read it ("In charge"); none for a row without an agency."""
        if not self.agency_code:
            return ""
        return str(Assignment.Role(self.values.get("role") or Assignment.Role.LEAD).label)


@dataclass
class Preview:
    plan: Plan
    agencies: list[AgencyRow] = field(default_factory=list)
    assignments: list[AssignmentRow] = field(default_factory=list)
    errors: list[xl.CellError] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return _counts([*self.agencies, *self.assignments])

    @property
    def agency_counts(self) -> dict[str, int]:
        return _counts(self.agencies)

    @property
    def assignment_counts(self) -> dict[str, int]:
        return _counts(self.assignments)


def _counts(rows) -> dict[str, int]:
    counts = dict.fromkeys((NEW, CHANGED, UNCHANGED), 0)
    for row in rows:
        counts[row.status] += 1
    return counts


def letter(columns: list[xl.Column], key: str) -> str:
    return get_column_letter([c.key for c in columns].index(key) + 1)


def template_workbook(plan: Plan) -> bytes:
    """An empty workbook with both sheets, their drop-downs and instructions."""
    return xl.build_workbook(
        [
            xl.SheetSpec(AGENCIES_SHEET, AGENCY_COLUMNS, blank_rows=60),
            xl.SheetSpec(
                ASSIGNMENTS_SHEET,
                ASSIGNMENT_COLUMNS,
                blank_rows=200,
                instructions=[*(str(line) for line in INSTRUCTIONS), xl.max_rows_note(MAX_ROWS)],
            ),
        ]
    )


def preview(source: Any, plan: Plan) -> Preview:
    """Read a workbook and say what importing it into ``plan`` would do. Raises
    ``xl.SpreadsheetError`` when the file as a whole cannot be used."""
    workbook = xl.open_workbook(source)
    result = Preview(plan=plan)
    allowed = (AGENCIES_SHEET, ASSIGNMENTS_SHEET, xl.INSTRUCTIONS_TITLE)
    agencies = AgencyMatcher(Agency.objects.all())
    read = {"other_sheets_allowed": allowed, "max_rows": MAX_ROWS, "allow_empty": True}
    if str(AGENCIES_SHEET) in workbook.sheetnames:
        table = xl.read_table(workbook, sheet=AGENCIES_SHEET, columns=AGENCY_COLUMNS, **read)
        result.errors.extend(table.errors)
        _read_agencies(table, agencies, result)
    table = xl.read_table(workbook, sheet=ASSIGNMENTS_SHEET, columns=ASSIGNMENT_COLUMNS, **read)
    result.errors.extend(table.errors)
    _read_assignments(table, agencies, result)
    if not (result.errors or result.agencies or result.assignments):
        raise xl.SpreadsheetError(_("The file has no rows of agencies or assignments."))
    return result


class AgencyMatcher:
    """Agencies of the app and of the file, found by code, then by name without accents."""

    def __init__(self, agencies):
        self.by_code: dict[str, Agency | None] = {}
        self.by_name: dict[str, set[str]] = defaultdict(set)
        for agency in agencies:
            self.add(agency.code, agency.name, agency.short_name, agency)

    def add(self, code: str, name: str, short_name: str, agency: Agency | None) -> None:
        key = vietnamese.fold(code)
        self.by_code[key] = agency
        for text in (name, short_name):
            if text:
                self.by_name[vietnamese.fold(text)].add(key)

    def find(self, code: str, name: str) -> tuple[str | None, str | None]:
        """(agency code key, error message)."""
        if code:
            key = vietnamese.fold(code)
            if key in self.by_code:
                return key, None
            return None, _("No agency has the code “%(code)s”.") % {"code": code}
        keys = self.by_name.get(vietnamese.fold(name), set())
        if len(keys) == 1:
            return next(iter(keys)), None
        if len(keys) > 1:
            return None, _("Several agencies are named “%(name)s”: give the code.") % {"name": name}
        return None, _("No agency is named “%(name)s”.") % {"name": name}


def _read_agencies(table: xl.Table, agencies: AgencyMatcher, result: Preview) -> None:
    seen: set[str] = set()
    for row in table.rows:
        values = row.values
        if not values.get("code") or not values.get("name"):
            continue
        key = vietnamese.fold(values["code"])
        if key in seen:
            result.errors.append(
                xl.CellError(
                    str(AGENCIES_SHEET),
                    row.number,
                    letter(AGENCY_COLUMNS, "code"),
                    _("The code “%(code)s” appears twice in the file.") % {"code": values["code"]},
                )
            )
            continue
        seen.add(key)
        existing = agencies.by_code.get(key)
        item = AgencyRow(row.number, values, existing)
        if existing is not None:
            wanted = {
                "name": values["name"],
                "short_name": values.get("short_name") or "",
                "kind": values.get("kind") or existing.kind,
            }
            same = all(getattr(existing, name) == value for name, value in wanted.items())
            item.status = UNCHANGED if same else CHANGED
        result.agencies.append(item)
        agencies.add(values["code"], values["name"], values.get("short_name") or "", existing)


class VillageMatcher:
    """Villages by code, then by name or other spelling without accents (within the commune
    when the commune is given)."""

    def __init__(self):
        self.villages = list(Village.objects.select_related("commune", "commune__successor"))
        self.by_code = {vietnamese.fold(v.code): v for v in self.villages}
        self.by_name: dict[str, list[Village]] = defaultdict(list)
        for village in self.villages:
            for name in {vietnamese.fold(n) for n in [village.name, *village.alias_list]}:
                self.by_name[name].append(village)

    @staticmethod
    def _commune_matches(village: Village, commune: str) -> bool:
        wanted = _strip_prefix(vietnamese.fold(commune))
        units: list[AdminUnit] = [village.commune]
        if village.commune.successor_id:
            units.append(village.commune.successor)
        return any(
            wanted in {_strip_prefix(vietnamese.fold(n)) for n in [u.name, *u.alias_list, u.code]}
            for u in units
        )

    def find(self, code: str, name: str, commune: str) -> tuple[Village | None, str | None]:
        if code:
            village = self.by_code.get(vietnamese.fold(code))
            if village is None:
                return None, _("No village has the code “%(code)s”.") % {"code": code}
            return village, None
        if not name:
            return None, _("Give the village code or its name.")
        candidates = self.by_name.get(_strip_prefix(vietnamese.fold(name)), []) or (
            self.by_name.get(vietnamese.fold(name), [])
        )
        if commune:
            candidates = [v for v in candidates if self._commune_matches(v, commune)]
        if len(candidates) == 1:
            return candidates[0], None
        if not candidates:
            return None, _("No village is named “%(name)s”%(where)s.") % {
                "name": name,
                "where": _(" in %(commune)s") % {"commune": commune} if commune else "",
            }
        return None, _("Several villages are named “%(name)s”: give the code or the commune.") % {
            "name": name
        }


def _strip_prefix(key: str) -> str:
    for prefix in ("xa ", "thi tran ", "thon ", "lang "):
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :]
    return key


def _read_assignments(table: xl.Table, agencies: AgencyMatcher, result: Preview) -> None:
    plan = result.plan
    villages = VillageMatcher()
    sheet = str(ASSIGNMENTS_SHEET)
    existing = {
        (a.village_id, vietnamese.fold(a.agency.code)): a
        for a in Assignment.objects.filter(plan=plan).select_related("agency")
    }
    existing_leads = {
        village: code for (village, code), a in existing.items() if a.role == Assignment.Role.LEAD
    }
    in_plan = set(plan.villages.values_list("pk", flat=True))
    leads_in_file: dict[int, int] = {}
    pairs: set[tuple[int, str]] = set()

    def error(row, key, message):
        result.errors.append(
            xl.CellError(sheet, row.number, letter(ASSIGNMENT_COLUMNS, key), message)
        )

    for row in table.rows:
        values = row.values
        village, problem = villages.find(
            values.get("village_code") or "", values.get("village") or "", values.get("commune")
        )
        if problem:
            error(row, "village_code" if values.get("village_code") else "village", problem)
        agency_key = None
        if values.get("agency_code") or values.get("agency"):
            agency_key, problem = agencies.find(
                values.get("agency_code") or "", values.get("agency") or ""
            )
            if problem:
                error(row, "agency_code" if values.get("agency_code") else "agency", problem)
        role = values.get("role") or Assignment.Role.LEAD
        for key in ("start_date", "end_date"):
            day = values.get(key)
            if day and not plan.period_start <= day.year <= plan.period_end:
                error(
                    row,
                    key,
                    _("%(date)s is outside the period of plan %(plan)s (%(start)s-%(end)s).")
                    % {
                        "date": day.strftime("%d/%m/%Y"),
                        "plan": plan.number,
                        "start": plan.period_start,
                        "end": plan.period_end,
                    },
                )
        start, end = values.get("start_date"), values.get("end_date")
        if start and end and end < start:
            error(
                row,
                "end_date",
                _("The end (%(end)s) is before the start (%(start)s).")
                % {"end": end.strftime("%d/%m/%Y"), "start": start.strftime("%d/%m/%Y")},
            )
        if village is None:
            continue
        agency = agencies.by_code.get(agency_key) if agency_key else None
        item = AssignmentRow(row.number, village, agency, agency_key or "", values)
        if agency_key is None:
            item.status = UNCHANGED if village.pk in in_plan else NEW
            result.assignments.append(item)
            continue
        if (village.pk, agency_key) in pairs:
            error(row, "agency_code", _("This village and agency appear twice in the file."))
            continue
        pairs.add((village.pk, agency_key))
        if role == Assignment.Role.LEAD:
            if village.pk in leads_in_file:
                error(
                    row,
                    "role",
                    _("%(village)s has another lead agency in row %(row)s.")
                    % {"village": village, "row": leads_in_file[village.pk]},
                )
            leads_in_file[village.pk] = row.number
            current = existing_leads.get(village.pk)
            if current is not None and current != agency_key:
                error(
                    row,
                    "role",
                    _("%(village)s already has a lead agency (%(code)s) in this plan.")
                    % {"village": village, "code": current.upper()},
                )
        before = existing.get((village.pk, agency_key))
        if before is not None:
            same = (before.role, before.start_date, before.end_date) == (
                role,
                values.get("start_date"),
                values.get("end_date"),
            )
            item.status = UNCHANGED if same else CHANGED
        result.assignments.append(item)


@importflow.flow_factory
def import_flow(user, *, plan: int) -> importflow.Flow:
    """The import of a plan's agencies and assignments (staff: the view checks)."""
    from assignments import services  # the services do not read workbooks

    the_plan = Plan.objects.get(pk=plan)
    return importflow.Flow(
        read=lambda source: preview(source, the_plan),
        save=lambda result: services.assignments_import(preview=result, user=user),
        target=f"assignments {the_plan.number}",
        detail=lambda saved: ", ".join(f"{key} {value}" for key, value in saved.items()),
        message=lambda saved: importflow.counts(
            _(
                "Imported: %(agencies)s agencies, %(assignments)s assignments, "
                "%(villages)s villages."
            ),
            saved,
        ),
        size=lambda result: len(result.agencies) + len(result.assignments),
        title=_("Import of the assignments of %(plan)s") % {"plan": the_plan.number},
        preview_template="assignments/_import_preview.html",
    )

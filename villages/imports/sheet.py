"""The sheet of the village import: its columns, the instructions printed above it, and the
template (the stored villages as rows, to correct and upload again)."""

from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from dankhoeo import spreadsheets as xl

SHEET = gettext_lazy("Villages")
COLUMNS = [
    xl.Column("code", gettext_lazy("Village code"), max_length=20, width=16),
    xl.Column("name", gettext_lazy("Village name"), required=True, max_length=200, width=28),
    xl.Column("aliases", gettext_lazy("Other spellings"), max_length=500, width=28),
    xl.Column("commune", gettext_lazy("Commune"), required=True, max_length=200, width=28),
    xl.Column("commune_code", gettext_lazy("Commune code"), max_length=10, width=14),
    xl.Column("district", gettext_lazy("District (before 1/7/2025)"), max_length=200, width=24),
    xl.Column("ethnic_groups", gettext_lazy("Ethnic groups"), max_length=200, width=20),
    xl.Column("extremely_disadvantaged", gettext_lazy("Extremely disadvantaged"), kind="bool"),
    xl.Column(
        "latitude", gettext_lazy("Latitude"), kind="decimal"
    ),  # checked by bounds.check_point
    xl.Column("longitude", gettext_lazy("Longitude"), kind="decimal"),
]
LETTER = {column.key: get_column_letter(index) for index, column in enumerate(COLUMNS, start=1)}
INSTRUCTIONS = [
    gettext_lazy("One row per village. Keep the first row (the column headers) as it is."),
    gettext_lazy(
        "Village code: leave it empty for a village that is not yet in the app; the app then "
        "matches the village by its name within its commune, or gives it a new code."
    ),
    gettext_lazy(
        "Commune: its name as in the official list (“Xã Đăk Na” or “Đăk Na”); the commune "
        "code (statistics office) is optional but settles any doubt."
    ),
    gettext_lazy(
        "District: fill it in for a commune as it was before 1 July 2025; leave it empty for a "
        "commune that exists today."
    ),
    gettext_lazy("Other spellings: separated by “|”, for example Đắk Xanh|Dak Xanh."),
    gettext_lazy("Extremely disadvantaged: yes or no."),
    gettext_lazy(
        "Latitude and longitude: in decimal degrees (14,6543 and 107,8912), inside Vietnam; "
        "fill in both or neither. Empty cells keep the coordinates already stored."
    ),
    gettext_lazy("Type values, not formulas; do not merge cells; do not add other sheets."),
]

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
MAX_ROWS = xl.MAX_ROWS  # a province has a few thousand villages; the country about 100.000


def template_rows(villages) -> list[dict]:
    """The villages as rows of the import sheet, so that a downloaded list can be corrected and
    uploaded again (it matches on the codes)."""
    rows = []
    for village in villages:
        commune = village.commune
        district = commune.parent if commune.parent and commune.parent.level == "district" else None
        rows.append(
            {
                "code": village.code,
                "name": village.name,
                "aliases": village.aliases,
                "commune": commune.name,
                "commune_code": commune.code,
                "district": district.name if district else "",
                "ethnic_groups": village.ethnic_groups,
                "extremely_disadvantaged": village.extremely_disadvantaged,
                "latitude": village.latitude,
                "longitude": village.longitude,
            }
        )
    return rows


def template_workbook(villages) -> bytes:
    return xl.build_workbook(
        [
            xl.SheetSpec(
                title=SHEET,
                columns=COLUMNS,
                rows=template_rows(villages),
                blank_rows=200,
                instructions=[*(str(line) for line in INSTRUCTIONS), xl.max_rows_note(MAX_ROWS)],
            )
        ]
    )

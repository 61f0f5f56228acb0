"""Reading the official village lists from Excel: what an import would do, before it does it.

``preview`` reads a workbook (through ``dankhoeo.spreadsheets``), finds each row's commune and
village, and says for every row whether it is new, changed or unchanged, with every error by
sheet, row and column. It writes nothing; ``villages.services.village_import`` saves a preview
that has no errors, in one transaction.

Matching, as the people who keep these lists write them:
- the commune: among the communes of the district when the District column is filled (the
  list is from before 1 July 2025), otherwise among the communes that exist today; by its
  statistics code first, then by its name or another spelling, ignoring accents, case and the
  words "Xã", "Thị trấn"...;
- the village: by its code first, then by its name or another spelling among the villages of
  the same commune (counting the communes merged into it). A new village without a code gets
  one made from its commune's code ("23416-03").
"""

from dankhoeo import spreadsheets as xl
from villages.imports import sheet
from villages.imports.matching import Matcher
from villages.imports.rows import (
    CHANGED,
    NEW,
    UNCHANGED,
    Change,
    PlannedRow,
    Preview,
    keys_of,
    name_key,
)
from villages.imports.sheet import (
    COLUMNS,
    INSTRUCTIONS,
    LETTER,
    MAX_ROWS,
    SHEET,
    template_rows,
    template_workbook,
)

__all__ = [
    "CHANGED",
    "COLUMNS",
    "INSTRUCTIONS",
    "LETTER",
    "MAX_ROWS",
    "NEW",
    "SHEET",
    "UNCHANGED",
    "Change",
    "Matcher",
    "PlannedRow",
    "Preview",
    "keys_of",
    "name_key",
    "preview",
    "template_rows",
    "template_workbook",
]


def preview(source) -> Preview:
    """What importing this workbook would do. Raises ``xl.SpreadsheetError`` for a file that
    cannot be used at all; every other problem is a ``CellError`` in the result."""
    workbook = xl.open_workbook(source)
    table = xl.read_table(workbook, sheet=SHEET, columns=COLUMNS, max_rows=sheet.MAX_ROWS)
    result = Preview(sheet=str(SHEET), errors=list(table.errors))
    if any(error.row == 1 for error in table.errors):
        return result  # the header is wrong: the rows cannot be trusted
    Matcher(result).run(table.rows)
    result.errors.sort(key=lambda error: (error.row or 0, error.column or ""))
    return result

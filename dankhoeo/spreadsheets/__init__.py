"""Excel in and out, shared by every import and export of the app.

Reading: ``open_workbook`` refuses what is not a readable .xlsx (checked by content, size and
encryption); ``read_table`` turns one sheet into typed rows and a list of errors, each with its
sheet, row and column, so that a person can fix the file and try again. Nothing here saves
anything: importers check their own rules, show a preview, and save in one transaction.

Writing: ``build_workbook`` makes a formatted workbook (bold frozen header, drop-down lists,
optional locked structure; for reports, title rows, a total row and print setup) in which
every text is stored as text: a value that starts like a formula is never one, and keeps its
characters (no apostrophe is added).

Staging: between the preview and the confirmation an upload is kept under MEDIA_ROOT, per user,
behind an opaque token.

Pages show a list of CellError with ``{% include "_spreadsheet_errors.html" with errors=... %}``.
"""

# The package's modules, by concern: spec (shapes and limits), cells (one value), reading,
# writing, staging. Callers use the names below.
from dankhoeo.spreadsheets.cells import convert
from dankhoeo.spreadsheets.reading import (
    MAX_ROWS,
    Workbook,
    max_rows_note,
    open_workbook,
    read_file_bounded,
    read_table,
)
from dankhoeo.spreadsheets.spec import (
    FALSE_WORDS,
    FORMULA_STARTS,
    INSTRUCTIONS_TITLE,
    KINDS,
    LISTS_SHEET,
    MAX_BYTES,
    MAX_UNPACKED_BYTES,
    OLE_MAGIC,
    STAGING_QUOTA_BYTES,
    STAGING_SECONDS,
    TRUE_WORDS,
    XLSX_CONTENT_TYPE,
    ZIP_MAGIC,
    CellError,
    Column,
    Row,
    SheetSpec,
    SpreadsheetError,
    Table,
)
from dankhoeo.spreadsheets.staging import (
    discard_staged,
    stage_upload,
    staged_path,
    staging_cleanup,
)
from dankhoeo.spreadsheets.writing import (
    NUMBER_FORMATS,
    build_workbook,
    read_back_sheet_names,
)

__all__ = [
    "FALSE_WORDS",
    "FORMULA_STARTS",
    "INSTRUCTIONS_TITLE",
    "KINDS",
    "LISTS_SHEET",
    "MAX_BYTES",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "NUMBER_FORMATS",
    "OLE_MAGIC",
    "STAGING_QUOTA_BYTES",
    "STAGING_SECONDS",
    "TRUE_WORDS",
    "XLSX_CONTENT_TYPE",
    "ZIP_MAGIC",
    "CellError",
    "Column",
    "Row",
    "SheetSpec",
    "SpreadsheetError",
    "Table",
    "Workbook",
    "build_workbook",
    "convert",
    "discard_staged",
    "max_rows_note",
    "open_workbook",
    "read_back_sheet_names",
    "read_file_bounded",
    "read_table",
    "stage_upload",
    "staged_path",
    "staging_cleanup",
]

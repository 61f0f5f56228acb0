"""Writing: ``build_workbook`` makes a formatted workbook in which every text is stored as
text and goes through the export sanitiser."""

import io
from collections.abc import Sequence
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dankhoeo.spreadsheets.spec import INSTRUCTIONS_TITLE, LISTS_SHEET, Column, SheetSpec
from dankhoeo.text import for_export


def _as_text(cells) -> None:
    """Store as text the strings openpyxl took for formulas (the app writes none): the cell
    shows "=1+1" and never computes it."""
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"


HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True)
TOTAL_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="8B1A1A")
NUMBER_FORMATS = {"integer": "#,##0", "decimal": "#,##0.##", "date": "dd/mm/yyyy"}


def build_workbook(sheets: Sequence[SheetSpec]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    lists = None
    for spec in sheets:
        worksheet = workbook.create_sheet(str(spec.title))
        for row, line in enumerate(spec.title_rows, start=1):
            _write_row(worksheet, row, [for_export(str(line))])[0].font = TITLE_FONT
        header = len(spec.title_rows) + 1
        headings = [for_export(str(column.header)) for column in spec.columns]
        for cell in _write_row(worksheet, header, headings):
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        worksheet.freeze_panes = f"{get_column_letter(spec.frozen_columns + 1)}{header + 1}"
        rows = list(spec.rows)
        for count, row in enumerate([*rows, *([spec.total] if spec.total else [])]):
            values = [_cell_value(column, row.get(column.key)) for column in spec.columns]
            cells = _write_row(worksheet, header + 1 + count, values)
            if count in spec.bold_rows or count == len(rows):  # a subtotal, or the total
                for cell in cells:
                    cell.font = TOTAL_FONT
        count = len(rows) + (1 if spec.total else 0)
        if spec.for_print:
            _print_setup(worksheet, header)
        last_row = header + count + spec.blank_rows
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            worksheet.column_dimensions[letter].width = column.width or max(
                12, min(45, len(str(column.header)) + 4)
            )
            for row_number in range(header + 1, last_row + 1):
                cell = worksheet.cell(row=row_number, column=index)
                if column.number_format or column.kind in NUMBER_FORMATS:
                    cell.number_format = column.number_format or NUMBER_FORMATS[column.kind]
                if spec.locked and column.key in spec.editable_keys:
                    cell.protection = Protection(locked=False)
            if column.kind in ("choice", "bool") and last_row > header:
                lists = lists or workbook.create_sheet(LISTS_SHEET)
                cells = f"{letter}{header + 1}:{letter}{last_row}"
                _add_list_validation(worksheet, lists, column, cells)
        if spec.locked:
            worksheet.protection.sheet = True
            worksheet.protection.formatRows = False
            worksheet.protection.formatColumns = False
        if spec.instructions:
            notes = workbook.create_sheet(str(INSTRUCTIONS_TITLE))
            notes.column_dimensions["A"].width = 100
            for row, line in enumerate(spec.instructions, start=1):
                _write_row(notes, row, [str(line)])
    if lists is not None:
        lists.sheet_state = "veryHidden"
        workbook.move_sheet(lists, offset=len(workbook.sheetnames))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _write_row(worksheet, row: int, values: list) -> list:
    """The cells of ``values`` written in ``row``, their strings stored as text. The rows are
    numbered here: asking the sheet for its last one (``max_row``) reads every cell written so
    far, which made a workbook of thousands of rows take quadratic time (193 s for the review
    of 6,000 villages)."""
    cells = [
        worksheet.cell(row=row, column=index, value=value)
        for index, value in enumerate(values, start=1)
    ]
    _as_text(cells)
    return cells


def _print_setup(worksheet, header: int) -> None:
    """Landscape A4, fitted to the page's width, the header rows repeated on every page."""
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.paperSize = worksheet.PAPERSIZE_A4
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.print_title_rows = f"1:{header}"


def _cell_value(column: Column, value: Any) -> Any:
    """What a cell holds, through the export sanitiser (``dankhoeo.text.for_export``): no
    stored text can make openpyxl refuse the workbook."""
    if value is None:
        return None
    if column.kind == "bool":
        return _("yes") if value else _("no")
    if column.kind == "choice":
        labels = dict(column.choice_pairs)
        return for_export(labels.get(value, str(value)))
    return for_export(value)


def _add_list_validation(worksheet, lists, column: Column, cells: str) -> None:
    """A drop-down list kept on a hidden sheet (a list typed into the rule is capped at 255
    characters and breaks on commas)."""
    index = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value else 1
    letter = get_column_letter(index)
    for row, label in enumerate(column.labels(), start=1):
        _as_text([lists.cell(row=row, column=index, value=label)])
    rule = DataValidation(
        type="list",
        formula1=f"'{LISTS_SHEET}'!${letter}$1:${letter}${max(1, len(column.labels()))}",
        allow_blank=not column.required,
        showErrorMessage=True,
        errorTitle=_("Value not allowed"),
        error=_("Choose a value from the list."),
    )
    worksheet.add_data_validation(rule)
    rule.add(cells)


def read_back_sheet_names(content: bytes) -> list[str]:
    """The visible sheet names of a workbook we built (for tests and previews)."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]

"""Helpers for the villages tests: Excel files written the way people write them."""

import io

import openpyxl
import pytest

from villages import imports


def headers() -> list[str]:
    return [str(column.header) for column in imports.COLUMNS]


def xlsx(rows: list[dict], *, header: list[str] | None = None, change=None) -> bytes:
    """A workbook with the import sheet; ``rows`` map column keys to cell values; ``change``
    may alter the workbook before it is saved (merge cells, add a sheet...)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = str(imports.SHEET)
    keys = [column.key for column in imports.COLUMNS]
    sheet.append(header or headers())
    for row in rows:
        sheet.append([row.get(key) for key in keys])
    if change:
        change(workbook)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.fixture
def make_xlsx():
    return xlsx

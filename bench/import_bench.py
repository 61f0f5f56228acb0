"""Memory and time of the largest Excel imports, refused and accepted.

    make bench                      # SQLite in memory
    DATABASE_URL=postgres://... .venv/bin/python bench/import_bench.py
    BENCH_IMPORT_ROWS=5000 .venv/bin/python bench/import_bench.py   # a smaller accepted file

Refused: one cell at J600000 (a 2 KB file), a small file that unpacks to about 110 MB of cells,
and a file one row over the import's limit. Accepted: the village list at the limit of rows
(new villages without codes in one commune, so that codes are assigned), previewed and saved.
For each: the seconds, the peak of Python's allocations (tracemalloc) and the growth of the
process's peak resident size. A refusal must cost little of both (tests pin the memory bound:
tests/dankhoeo/test_spreadsheet_limits.py).
"""

import io
import logging
import os
import resource
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dankhoeo.settings")

import django

django.setup()

import openpyxl  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import translation  # noqa: E402

from dankhoeo import spreadsheets as xl  # noqa: E402
from villages import imports, services  # noqa: E402

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", xl.MAX_ROWS))
imports.MAX_ROWS = ROWS  # a smaller run keeps the limit at its own size
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def village_file(rows: list[dict], change=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = str(imports.SHEET)
    sheet.append([str(column.header) for column in imports.COLUMNS])
    keys = [column.key for column in imports.COLUMNS]
    for row in rows:
        sheet.append([row.get(key) for key in keys])
    if change:
        change(sheet)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def with_big_sheet(content: bytes) -> bytes:
    """The workbook with its sheet replaced by ~110 MB of unaddressed cells, written in chunks."""
    output = io.BytesIO()
    row = b"<row>" + b'<c t="n"><v>1</v></c>' * 10 + b"</row>"
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, source.read(info))
                continue
            with target.open(info.filename, "w") as sheet:
                sheet.write(f'<worksheet xmlns="{NS}"><sheetData>'.encode())
                for _ in range(500):
                    sheet.write(row * 1000)
                sheet.write(b"</sheetData></worksheet>")
    return output.getvalue()


def measure(action) -> tuple[str, float, int, int]:
    """(outcome, seconds, peak Python bytes, peak resident growth in bytes)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    start = time.perf_counter()
    try:
        outcome = str(action())[:70]
    except (xl.SpreadsheetError, services.ImportRefused) as error:
        outcome = f"refused: {str(error)[:70]}"
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return outcome, seconds, peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss


def cases() -> list[tuple[str, int, object]]:
    def far_cell(sheet):
        sheet["J600000"] = "x"

    one_row = [{"name": "Thôn A", "commune": "Đăk Sao"}]
    far = village_file(one_row, far_cell)
    big = with_big_sheet(village_file([]))
    over = village_file([{"name": f"Thôn {n}", "commune": "Đăk Sao"} for n in range(ROWS + 1)])
    largest = village_file([{"name": f"Thôn {n}", "commune": "Đăk Sao"} for n in range(ROWS)])
    return [
        ("refused: one cell at J600000", len(far), lambda: imports.preview(far)),
        ("refused: ~110 MB of cells", len(big), lambda: imports.preview(big)),
        (f"refused: {ROWS + 1} rows", len(over), lambda: _preview(over)),
        (f"accepted: preview of {ROWS} rows", len(largest), lambda: _preview(largest)),
        (f"accepted: import of {ROWS} rows", len(largest), lambda: _save(largest)),
    ]


def _preview(content: bytes) -> str:
    preview = imports.preview(content)
    return f"{preview.new} new, {len(preview.errors)} errors"


def _save(content: bytes) -> str:
    result = services.village_import(source=content)
    return f"saved {result.new} new"


def main() -> int:
    logging.disable(logging.INFO)
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with translation.override("en"):
            results = [(label, size, *measure(action)) for label, size, action in cases()]
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
    print(f"Excel imports ({connection.vendor}); limit {xl.MAX_ROWS} rows, {xl.MAX_BYTES} bytes")
    print(f"{'case':36} {'file':>9} {'seconds':>8} {'Python peak':>12} {'RSS growth':>11}  outcome")
    for label, size, outcome, seconds, peak, rss in results:
        print(
            f"{label:36} {size / 1024:7.0f}KB {seconds:8.2f} {peak / 2**20:10.1f}MB "
            f"{rss / 2**20:9.1f}MB  {outcome}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

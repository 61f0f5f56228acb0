"""Seconds to preview, render and save the largest file of each Excel import (villages, a
plan's assignments, surveys, a criteria set), on the database of DATABASE_URL:

    DATABASE_URL=postgres://... .venv/bin/python bench/import_preview_bench.py
    BENCH_IMPORT_ROWS=5000 ... bench/import_preview_bench.py     # smaller files
    BENCH_SAVE=1 ... bench/import_preview_bench.py             # save every import too

Each file has ROWS rows below its header (the limit of an import, 20.000): new villages in one
commune; one assignment per village of those villages, to 100 agencies; the survey workbook of
a year as the app writes it, filled in, for as many villages as make ROWS rows of indicators; a
criteria set's workbook with ROWS indicators. "preview" is the import's ``read`` (what the
queue's worker runs before the page shows the preview), "render" the preview's template as the
job's page shows it (and its size), "save" the import's ``save`` in its transaction: always
for the villages (the other files name them), for the others with BENCH_SAVE=1 (the saves of
assignments and surveys go row by row through the services' rules and take far longer than
their previews). Runs in a test database created and dropped here.
"""

import io
import logging
import math
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dankhoeo.settings")

import django

django.setup()

import openpyxl  # noqa: E402
from django.db import connection  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import translation  # noqa: E402

from assignments.models import Agency, Assignment  # noqa: E402
from criteria import excel, services  # noqa: E402
from criteria.models import CriteriaSet  # noqa: E402
from dankhoeo import spreadsheets as xl  # noqa: E402
from dankhoeo.models import User  # noqa: E402
from tests import factories as f  # noqa: E402
from tests.assignments.test_import import workbook as assignments_workbook  # noqa: E402
from tests.villages.conftest import xlsx as villages_workbook  # noqa: E402
from villages import services as village_services  # noqa: E402
from villages.models import Village  # noqa: E402

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", xl.MAX_ROWS))
SAVE = os.environ.get("BENCH_SAVE") == "1"
AGENCIES = 100
YEAR = 2025


def say(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def timed(action):
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def measure(name: str, flow, content: bytes, save: bool = SAVE) -> tuple:
    say(f"{name}: preview")
    preview, read = timed(lambda: flow.read(io.BytesIO(content)))
    assert not preview.errors, (name, preview.errors[:3])
    html, render = timed(lambda: render_to_string(flow.preview_template, {"preview": preview}))
    saved = timed(lambda: flow.save(preview))[1] if save else None
    return name, flow.size(preview), len(content), read, render, len(html), saved


def villages(staff) -> tuple:
    content = villages_workbook(
        [{"name": f"Thôn Đo {n}", "commune": "Xã Đăk Sao"} for n in range(ROWS)]
    )
    return measure("villages", village_services.import_flow(staff), content, save=True)


def assignments(staff, plan) -> tuple:
    from assignments import imports

    for n in range(AGENCIES):
        f.make_agency(f"Cơ quan Đo {n}", code=f"CQD{n:03d}")
    codes = Village.objects.filter(name__startswith="Thôn Đo").values_list("code", flat=True)
    rows = [
        [code, "", "", f"CQD{n % AGENCIES:03d}", "", "", "", ""]
        for n, code in enumerate(sorted(codes))
    ]
    return measure(
        "assignments", imports.import_flow(staff, plan=plan.pk), assignments_workbook(rows)
    )


def surveys(staff, plan) -> tuple:
    from criteria.excel.surveys import VALUE_COLUMN
    from criteria.models import Indicator

    indicators = list(
        Indicator.objects.filter(criterion__criteria_set=plan.criteria_set)
        .exclude(value_type=Indicator.ValueType.CHOICE)
        .order_by("criterion__number", "code")
    )
    wanted = math.ceil(ROWS / len(indicators))
    villages = list(Village.objects.filter(name__startswith="Thôn Đo").order_by("pk")[:wanted])
    if not Assignment.objects.exists():  # the assignments' import was not saved
        agency = Agency.objects.get(code="CQD000")
        Assignment.objects.bulk_create(
            Assignment(plan=plan, village=village, agency=agency) for village in villages
        )
    # The rows the survey template has, values filled in (written directly: the template of
    # thousands of villages takes long to write, and that is not what is measured here)
    columns = [c.key for c in excel.survey_columns()]
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(str(excel.SURVEY_SHEET))
    sheet.append([str(c.header) for c in excel.survey_columns()])
    values = {"number": 80, "yes_no": "có", "text": "Đạt"}
    for village in villages:
        for indicator in indicators:
            row = dict.fromkeys(columns)
            row.update(village_code=village.code, village=village.name, year=YEAR)
            row.update(indicator_code=indicator.code, indicator=indicator.name)
            own = VALUE_COLUMN[indicator.value_type]
            row[own] = values[own]
            sheet.append([row[key] for key in columns])
    output = io.BytesIO()
    book.save(output)
    return measure("surveys", excel.survey_import_flow(staff), output.getvalue())


def criteria_set(staff, kt147) -> tuple:
    _, content = excel.set_workbook(kt147)
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book[str(excel.SET_SHEET)]
    header = [cell.value for cell in sheet[1]]
    code = header.index(next(str(c.header) for c in excel.set_columns() if c.key == "code"))
    model = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2) if row[0].value]
    sheet.delete_rows(2, sheet.max_row)
    for n in range(ROWS):
        values = list(model[n % len(model)])
        values[code] = f"{values[code]}.{n}"
        sheet.append(values)
    output = io.BytesIO()
    book.save(output)
    copy = services.criteria_set_new_version(user=staff, criteria_set=kt147)
    copy.criteria.all().delete()
    return measure(
        "criteria set", excel.set_import_flow(staff, criteria_set=copy.pk), output.getvalue()
    )


def main() -> int:
    logging.disable(logging.INFO)
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with translation.override("vi"):
            staff = User.objects.create(username="bench-staff", role=User.Role.STAFF)
            kt147 = CriteriaSet.objects.get(code="KT-147-2022", version=1)
            plan = f.make_plan(criteria_set=kt147)
            results = [villages(staff), assignments(staff, plan)]
            results += [surveys(staff, plan), criteria_set(staff, kt147)]
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
    print(f"Excel imports of {ROWS} rows ({connection.vendor})")
    columns = ("size", 7), ("file", 8), ("preview", 8), ("render", 7), ("HTML", 8), ("save", 7)
    print(f"{'import':14} " + " ".join(f"{name:>{width}}" for name, width in columns))
    for label, size, file, read, render, html, save in results:
        saved = "-" if save is None else f"{save:.1f}s"
        print(
            f"{label:14} {size:7} {file / 1024:6.0f}KB {read:7.1f}s {render:6.1f}s "
            f"{html / 2**20:6.1f}MB {saved:>7}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

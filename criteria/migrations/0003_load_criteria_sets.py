"""Reference data: the criteria sets of fixtures/criteria_sets.csv with their criteria.

- KT-147-2022 (Decision 147/QĐ-UBND, Kon Tum): only "10 criteria, scored N/10, recognised by
  the district" is verified; its criteria and indicators come from the placeholder file
  criteria_kt147_provisional.csv, the set stays provisional until staff confirm it, and
  thresholds that were not found stay empty.
- VN-318-2022, VN-51-2025, BK-902-2021: the real criteria names; their indicators were not
  collected, so each criterion gets one placeholder yes/no indicator for staff to replace.
- KT-386-2019: the set only, its criteria were not collected.
"""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

from django.db import migrations

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

NAMES = {
    "KT-147-2022": "Bộ tiêu chí thôn, làng nông thôn mới vùng đồng bào dân tộc thiểu số "
    "tỉnh Kon Tum giai đoạn 2022-2025",
    "VN-318-2022": "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021-2025",
    "VN-51-2025": "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2026-2030",
    "BK-902-2021": "Bộ tiêu chí thôn nông thôn mới tỉnh Bắc Kạn giai đoạn 2021-2025",
    "KT-386-2019": "Bộ tiêu chí thôn nông thôn mới tại các xã đặc biệt khó khăn "
    "tỉnh Kon Tum giai đoạn 2019-2020",
}
RECOGNISED_BY = {"KT-147-2022": "UBND cấp huyện"}
CRITERIA_FILES = {
    "VN-318-2022": "criteria_vn318.csv",
    "VN-51-2025": "criteria_vn51_2025.csv",
    "BK-902-2021": "criteria_bk902.csv",
}
PLACEHOLDER_NAME = "Đạt tiêu chí (chỉ tiêu chính thức chưa nhập)"
PLACEHOLDER_SOURCE = "Chỉ tiêu và ngưỡng chưa thu thập: cán bộ tỉnh nhập theo văn bản gốc"
COMPARATORS = {">=": "gte", ">": "gt", "<=": "lte", "<": "lt", "=": "eq"}


def rows(name):
    with (FIXTURES / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load(apps, schema_editor):
    CriteriaSet = apps.get_model("criteria", "CriteriaSet")
    Criterion = apps.get_model("criteria", "Criterion")
    Indicator = apps.get_model("criteria", "Indicator")
    for row in rows("criteria_sets.csv"):
        start, end = (int(y) for y in row["period"].split("-"))
        criteria_set = CriteriaSet.objects.create(
            code=row["set_code"],
            version=1,
            name=NAMES.get(row["set_code"], row["legal_basis"]),
            legal_basis=row["legal_basis"],
            issued_on=datetime.date.fromisoformat(row["issued"]),
            issuer=row["issuer"],
            scope="commune" if row["scope"].startswith("commune") else "village",
            period_start=start,
            period_end=end,
            recognising_body=RECOGNISED_BY.get(row["set_code"], ""),
            status="verified" if row["status"] == "names-verified" else "provisional",
            note=f"{row['number_of_criteria']} tiêu chí. {row['note']}",
        )
        if row["set_code"] == "KT-147-2022":
            for item in rows("criteria_kt147_provisional.csv"):
                criterion = Criterion.objects.create(
                    criteria_set=criteria_set, number=int(item["number"]), name=item["name"]
                )
                unit = item["unit"]
                value_type = {"%": "percent", "yes/no": "boolean"}.get(unit, "number")
                Indicator.objects.create(
                    criterion=criterion,
                    code=f"{criterion.number}.1",
                    name=item["provisional_indicator"],
                    unit="" if value_type == "boolean" else unit,
                    value_type=value_type,
                    comparator=COMPARATORS[item["comparator"]],
                    threshold=Decimal(item["threshold"])
                    if value_type != "boolean" and item["threshold"]
                    else None,
                    is_placeholder=True,
                    source=item["threshold_source"],
                )
        elif row["set_code"] in CRITERIA_FILES:
            for item in rows(CRITERIA_FILES[row["set_code"]]):
                group = item.get("group_name", "")
                if item.get("group_number"):
                    group = f"{item['group_number']}. {group}"
                criterion = Criterion.objects.create(
                    criteria_set=criteria_set,
                    group=group,
                    number=int(item["number"]),
                    name=item["name"],
                )
                Indicator.objects.create(
                    criterion=criterion,
                    code=f"{criterion.number}.1",
                    name=PLACEHOLDER_NAME,
                    value_type="boolean",
                    comparator="eq",
                    is_placeholder=True,
                    source=PLACEHOLDER_SOURCE,
                )


def unload(apps, schema_editor):
    CriteriaSet = apps.get_model("criteria", "CriteriaSet")
    codes = [row["set_code"] for row in rows("criteria_sets.csv")]
    CriteriaSet.objects.filter(code__in=codes, version=1, surveys__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("criteria", "0002_indicators_and_surveys")]

    operations = [migrations.RunPython(load, unload)]

"""Reference data: the 14 outdated customs Kon Tum campaigns against under Directive 13-CT/TU
(fixtures/customs_qd385.csv) and the categories of mobilised resources
(fixtures/resource_sources.csv)."""

import csv
from pathlib import Path

from django.db import migrations

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
KINDS = {"hủ tục": "harmful", "phong tục không còn phù hợp": "unsuitable"}


def load(apps, schema_editor):
    OutdatedCustom = apps.get_model("assignments", "OutdatedCustom")
    ResourceSource = apps.get_model("assignments", "ResourceSource")
    with (FIXTURES / "customs_qd385.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            OutdatedCustom.objects.update_or_create(
                number=int(row["number"]),
                defaults={"name": row["name"], "kind": KINDS[row["kind"]]},
            )
    with (FIXTURES / "resource_sources.csv").open(encoding="utf-8") as file:
        for position, row in enumerate(csv.DictReader(file), start=1):
            ResourceSource.objects.update_or_create(
                key=row["key"], defaults={"name": row["name_vi"], "position": position}
            )


def unload(apps, schema_editor):
    apps.get_model("assignments", "OutdatedCustom").objects.all().delete()
    apps.get_model("assignments", "ResourceSource").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("assignments", "0002_teams_and_work")]

    operations = [migrations.RunPython(load, unload)]

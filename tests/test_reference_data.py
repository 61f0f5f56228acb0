"""Reference data is frozen in the data migrations; fixtures/*.csv is its readable form. A fresh
database (the test database, built by the migrations) equals the fixtures: editing a CSV
without a migration that makes the same change fails here."""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from assignments.models import OutdatedCustom, ResourceSource
from criteria.models import CriteriaSet, Indicator
from dankhoeo import vietnamese
from villages.models import AdminUnit

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CRITERIA_FILES = {
    "VN-318-2022": "criteria_vn318.csv",
    "VN-51-2025": "criteria_vn51_2025.csv",
    "BK-902-2021": "criteria_bk902.csv",
    "KT-147-2022": "criteria_kt147_provisional.csv",
}


def rows(name: str) -> list[dict]:
    with (FIXTURES / name).open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def day(text: str):
    return datetime.date.fromisoformat(text) if text else None


def test_the_administrative_units_are_those_of_the_fixture():
    expected = {
        (
            row["level"],
            row["code"],
            row["name"],
            row["parent_code"],
            day(row["valid_from"]),
            day(row["valid_to"]),
            row["successor_code"],
            row["aliases"],
            row["note"],
            " | ".join(
                vietnamese.fold(text)
                for text in [row["name"], *filter(None, row["aliases"].split("|")), row["code"]]
            ),
            vietnamese.place_sort_key(row["name"]),
        )
        for row in rows("admin_units.csv")
    }
    stored = {
        (
            unit.level,
            unit.code,
            unit.name,
            unit.parent.code if unit.parent else "",
            unit.valid_from,
            unit.valid_to,
            unit.successor.code if unit.successor else "",
            unit.aliases,
            unit.note,
            unit.search_text,
            unit.sort_key,
        )
        for unit in AdminUnit.objects.select_related("parent", "successor")
    }
    assert stored == expected


def test_the_criteria_sets_and_their_criteria_are_those_of_the_fixtures():
    expected_sets = {
        (
            row["set_code"],
            row["legal_basis"],
            day(row["issued"]),
            row["issuer"],
            *(int(year) for year in row["period"].split("-")),
        )
        for row in rows("criteria_sets.csv")
    }
    sets = CriteriaSet.objects.filter(version=1)
    stored_sets = {
        (s.code, s.legal_basis, s.issued_on, s.issuer, s.period_start, s.period_end) for s in sets
    }
    assert stored_sets == expected_sets
    for code, name in CRITERIA_FILES.items():
        expected = [(int(row["number"]), row["name"]) for row in rows(name)]
        criteria = sets.get(code=code).criteria.order_by("number")
        assert list(criteria.values_list("number", "name")) == expected, name


def test_the_provisional_indicators_of_kt_147_are_those_of_the_fixture():
    expected = [
        (
            f"{row['number']}.1",
            row["provisional_indicator"],
            Decimal(row["threshold"]) if row["threshold"] and row["unit"] != "yes/no" else None,
        )
        for row in rows("criteria_kt147_provisional.csv")
    ]
    indicators = Indicator.objects.filter(
        criterion__criteria_set__code="KT-147-2022", criterion__criteria_set__version=1
    ).order_by("criterion__number")
    assert list(indicators.values_list("code", "name", "threshold")) == expected


def test_the_customs_and_resource_sources_are_those_of_the_fixtures():
    kinds = {"hủ tục": "harmful", "phong tục không còn phù hợp": "unsuitable"}
    customs = [(int(r["number"]), r["name"], kinds[r["kind"]]) for r in rows("customs_qd385.csv")]
    stored = OutdatedCustom.objects.order_by("number").values_list("number", "name", "kind")
    assert list(stored) == customs
    sources = [(r["key"], r["name_vi"]) for r in rows("resource_sources.csv")]
    assert list(ResourceSource.objects.order_by("position").values_list("key", "name")) == sources

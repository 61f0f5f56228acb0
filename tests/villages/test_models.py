"""Model rules: the reference units, validity dates, lineage and reuse of codes."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from tests import factories as f
from villages.models import AdminUnit

REFORM = datetime.date(2025, 7, 1)


def test_the_reference_units_are_loaded_with_their_lineage(db):
    communes = AdminUnit.objects.communes()
    assert communes.filter(valid_to=datetime.date(2025, 6, 30)).count() == 32
    assert communes.filter(valid_from=REFORM).count() == 13
    assert AdminUnit.objects.districts().count() == 3
    # every old commune is now one of the 13 new communes
    new = set(communes.filter(valid_from=REFORM).values_list("pk", flat=True))
    for old in communes.closed():
        assert old.current().pk in new


def test_a_merged_commune_reads_as_it_was_and_as_it_is_now(db):
    dak_na = f.commune("23407")
    assert dak_na.current() == f.commune("23416", after_reform=True)
    assert dak_na.name_with_successor() == "Xã Đăk Na (nay là xã Đăk Sao)"


def test_a_commune_that_kept_its_name_reads_once(db):
    assert f.commune("23368").name_with_successor() == "Xã Đăk Long"
    assert f.commune("23368", after_reform=True).name_with_successor() == "Xã Đăk Long"


def test_validity_dates_say_which_unit_held_a_code_on_a_day(db):
    before = datetime.date(2024, 5, 1)
    holders = AdminUnit.objects.communes().filter(code="23416")
    assert [u.valid_from for u in holders.valid_on(before)] == [None]
    assert [u.valid_from for u in holders.valid_on(REFORM)] == [REFORM]
    old = holders.get(valid_from__isnull=True)
    assert old.is_valid_on(before) and not old.is_valid_on(REFORM)
    assert not old.is_current


def test_a_code_is_reused_by_a_new_unit_but_never_twice_from_the_same_day(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        AdminUnit.objects.create(level="commune", code="23416", name="Xã Khác", valid_from=REFORM)
    with pytest.raises(IntegrityError), transaction.atomic():
        AdminUnit.objects.create(level="commune", code="23416", name="Xã Khác")


def test_the_database_refuses_an_end_before_the_start_and_a_successor_without_an_end(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        AdminUnit.objects.create(
            level="commune",
            code="99001",
            name="Xã Thử",
            valid_from=datetime.date(2026, 1, 1),
            valid_to=datetime.date(2025, 1, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AdminUnit.objects.create(
            level="commune", code="99002", name="Xã Thử", successor=f.commune("23368")
        )


def test_a_village_keeps_its_commune_and_knows_the_commune_of_today(db):
    village = f.make_village("Làng Kon Tu Dốp", commune_unit=f.commune("23407"))
    assert village.commune.name == "Xã Đăk Na"
    assert village.commune_now.name == "Xã Đăk Sao"
    assert village.commune_now.valid_from == REFORM

"""Services: the rules that refuse a change, and the state left unchanged when they do."""

import datetime
import unicodedata
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from dankhoeo.errors import Refused
from tests import factories as f
from villages import services
from villages.models import AdminUnit, Village, VillageYear

REFORM = datetime.date(2025, 7, 1)


@pytest.fixture
def province(db):
    return AdminUnit.objects.get(level="province", code="51")


def new_commune(province, **extra):
    fields = {"level": "commune", "code": "99100", "name": "Xã Thử Nghiệm", "parent": province}
    fields.update(extra)
    return services.adminunit_create(**fields)


# Units ----------------------------------------------------------------------------------------


def test_a_new_unit_gets_its_search_and_sort_keys(province):
    unit = new_commune(province, aliases="Xa Thu Nghiem")
    assert AdminUnit.objects.search("thu nghiem").get() == unit
    assert unit.sort_key


def test_a_code_cannot_be_held_by_two_units_at_once(province):
    with pytest.raises(Refused, match="23416"):
        new_commune(province, code="23416", valid_from=datetime.date(2026, 1, 1))


def test_a_code_may_come_back_once_the_other_unit_has_ended(province):
    unit = new_commune(province, code="23407", valid_from=REFORM)  # Xã Đăk Na ended 30/6/2025
    assert AdminUnit.objects.filter(level="commune", code="23407").count() == 2
    assert unit.valid_from == REFORM


def test_a_commune_cannot_belong_to_a_commune(province):
    with pytest.raises(Refused):
        new_commune(province, parent=f.commune("23368", after_reform=True))


def test_a_merged_unit_is_history_except_its_spellings_and_note(db):
    dak_na = f.commune("23407")
    with pytest.raises(Refused) as refused:
        services.adminunit_update(unit=dak_na, name="Xã Đắk Na mới")
    assert "Xã Đăk Sao" in refused.value.message  # the reason names its successor
    dak_na.refresh_from_db()
    assert dak_na.name == "Xã Đăk Na"
    services.adminunit_update(unit=dak_na, aliases="Đắk Na|Dak Na", note="ghi chú")
    dak_na.refresh_from_db()
    assert dak_na.alias_list == ["Đắk Na", "Dak Na"]
    assert AdminUnit.objects.search("dak na").filter(pk=dak_na.pk).exists()


def test_a_current_unit_can_be_renamed(db):
    unit = f.commune("23368", after_reform=True)
    services.adminunit_update(unit=unit, name="Xã Đắk Long")
    unit.refresh_from_db()
    assert unit.name == "Xã Đắk Long"


def test_a_unit_with_current_villages_closes_only_into_a_successor(province):
    unit = new_commune(province, valid_from=REFORM)
    village = f.make_village("Thôn Một", commune_unit=unit)
    with pytest.raises(Refused, match="1"):
        services.adminunit_close(unit=unit, valid_to=datetime.date(2026, 6, 30))
    unit.refresh_from_db()
    assert unit.valid_to is None
    successor = f.commune("23368", after_reform=True)
    services.adminunit_close(unit=unit, valid_to=datetime.date(2026, 6, 30), successor=successor)
    village.refresh_from_db()
    assert village.commune == unit  # the village keeps the commune it had
    assert village.commune_now == successor


def test_a_unit_without_villages_may_be_abolished(province):
    unit = new_commune(province)
    services.adminunit_close(unit=unit, valid_to=datetime.date(2026, 6, 30))
    unit.refresh_from_db()
    assert unit.valid_to == datetime.date(2026, 6, 30)


def test_a_unit_with_current_units_under_it_cannot_close(province):
    with pytest.raises(Refused, match="Xã Đăk Sao"):
        services.adminunit_close(unit=province, valid_to=datetime.date(2026, 12, 31))


def test_a_closed_unit_cannot_close_again(db):
    with pytest.raises(Refused):
        services.adminunit_close(unit=f.commune("23407"), valid_to=datetime.date(2026, 1, 1))


def test_the_successor_must_exist_the_day_after(province):
    unit = new_commune(province)
    with pytest.raises(Refused):
        services.adminunit_close(
            unit=unit,
            valid_to=datetime.date(2024, 1, 1),
            successor=f.commune("23416", after_reform=True),
        )
    with pytest.raises(Refused):
        services.adminunit_close(
            unit=unit, valid_to=datetime.date(2026, 1, 1), successor=f.commune("23407")
        )


def test_a_unit_cannot_merge_into_another_level_or_itself(province):
    unit = new_commune(province)
    with pytest.raises(Refused):
        services.adminunit_close(unit=unit, valid_to=datetime.date(2026, 1, 1), successor=province)
    with pytest.raises(Refused):
        services.adminunit_close(unit=unit, valid_to=datetime.date(2026, 1, 1), successor=unit)


# Villages -------------------------------------------------------------------------------------


def test_a_village_is_stored_in_nfc_and_found_without_accents(db):
    decomposed = unicodedata.normalize("NFD", "Làng  Kon Tu Dốp")
    village = services.village_create(code="K1", name=decomposed, commune=f.commune("23407"))
    village.refresh_from_db()
    assert village.name == "Làng Kon Tu Dốp"
    assert unicodedata.is_normalized("NFC", village.name)
    assert Village.objects.search("kon tu dop").get() == village


def test_a_village_code_is_unique(db):
    services.village_create(code="K1", name="Thôn Một", commune=f.commune("23407"))
    with pytest.raises(Refused, match="K1"):
        services.village_create(code="K1", name="Thôn Hai", commune=f.commune("23407"))
    assert Village.objects.count() == 1


def test_a_village_belongs_to_a_commune_not_a_district(db):
    district = AdminUnit.objects.districts().first()
    with pytest.raises(Refused):
        services.village_create(code="K1", name="Thôn Một", commune=district)


def test_renaming_a_village_refreshes_its_search_keys(db):
    village = f.make_village("Thôn Cũ")
    services.village_update(village=village, name="Thôn Đắk Mới", aliases="Dak Moi")
    assert Village.objects.search("dak moi").get() == village
    assert not Village.objects.search("cu").exists()


# Yearly statistics ----------------------------------------------------------------------------


@pytest.fixture
def scope(db, liaison):
    """A liaison whose agency helps one village of a plan in progress."""
    plan, agency = f.make_plan(), f.make_agency()
    mine, other = f.make_village("Thôn Của Tôi"), f.make_village("Thôn Khác")
    f.assign(agency, mine, plan)
    f.join(liaison, agency=agency)
    return mine, other


FIGURES = {"households": 120, "population": 530, "poor_households": 40, "near_poor_households": 10}


def test_staff_save_and_then_replace_a_years_statistics(scope, staff):
    village, _ = scope
    services.villageyear_save(user=staff, village=village, year=2024, **FIGURES)
    services.villageyear_save(
        user=staff, village=village, year=2024, **{**FIGURES, "poor_households": 30}
    )
    saved = VillageYear.objects.get(village=village, year=2024)
    assert saved.poor_households == 30
    assert saved.poverty_rate == 25


def test_a_liaison_saves_statistics_of_its_own_villages_only(scope, liaison):
    mine, other = scope
    services.villageyear_save(
        user=liaison, village=mine, year=2024, ethnic_minority_share=Decimal("98.5")
    )
    with pytest.raises(PermissionDenied):
        services.villageyear_save(user=liaison, village=other, year=2024, **FIGURES)
    assert not VillageYear.objects.filter(village=other).exists()


def test_viewers_and_commune_officers_do_not_write_statistics(scope, viewer, commune_officer):
    village, _ = scope
    for user in (viewer, commune_officer):
        with pytest.raises(PermissionDenied):
            services.villageyear_save(user=user, village=village, year=2024, **FIGURES)


@pytest.mark.parametrize(
    "bad",
    [
        {"year": 1990},
        {"poor_households": 100, "near_poor_households": 30},
        {"population": 50},
        {"ethnic_minority_share": Decimal("120")},
    ],
)
def test_statistics_that_cannot_be_true_are_refused(scope, staff, bad):
    village, _ = scope
    values = {"year": 2024, **FIGURES, **bad}
    with pytest.raises(Refused):
        services.villageyear_save(user=staff, village=village, **values)
    assert not VillageYear.objects.exists()

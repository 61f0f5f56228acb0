"""The access policy, persona by persona."""

import pytest

from dankhoeo import access
from tests import factories as f


@pytest.fixture
def world(db, liaison, commune_officer):
    """Two villages of two old communes that merged into one new commune, and a third
    village elsewhere. The liaison's agency is assigned to the first village only."""
    dak_na, dak_sao = f.commune("23407"), f.commune("23416")
    new_dak_sao = f.commune("23416", after_reform=True)
    elsewhere = f.commune("23341")
    plan = f.make_plan()
    agency = f.make_agency()
    v1 = f.make_village("Làng Đăk Na", commune_unit=dak_na)
    v2 = f.make_village("Làng Kạch Lớn", commune_unit=dak_sao)
    v3 = f.make_village("Làng Đăk Xanh", commune_unit=elsewhere)
    f.assign(agency, v1, plan)
    f.join(liaison, agency=agency)
    return {"plan": plan, "v1": v1, "v2": v2, "v3": v3, "new_dak_sao": new_dak_sao, "old": dak_na}


def pks(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_staff_and_viewers_see_everything(world, staff, viewer):
    every = {world["v1"].pk, world["v2"].pk, world["v3"].pk}
    assert pks(access.villages_visible_to(staff)) == every
    assert pks(access.villages_visible_to(viewer)) == every


def test_only_staff_change_everything(world, staff, viewer, commune_officer):
    assert pks(access.villages_editable_by(staff)) == pks(access.villages_visible_to(staff))
    assert not access.villages_editable_by(viewer).exists()
    assert not access.villages_editable_by(commune_officer).exists()


def test_a_liaison_sees_and_changes_only_its_agencys_villages(world, liaison):
    assert pks(access.villages_visible_to(liaison)) == {world["v1"].pk}
    assert pks(access.villages_editable_by(liaison)) == {world["v1"].pk}


def test_a_liaison_keeps_reading_but_stops_writing_when_the_plan_ends(world, liaison):
    world["plan"].is_active = False
    world["plan"].save()
    assert pks(access.villages_visible_to(liaison)) == {world["v1"].pk}
    assert not access.villages_editable_by(liaison).exists()


def test_an_officer_of_a_new_commune_sees_the_villages_of_the_merged_communes(
    world, commune_officer
):
    f.join(commune_officer, commune_unit=world["new_dak_sao"])
    assert pks(access.villages_visible_to(commune_officer)) == {world["v1"].pk, world["v2"].pk}


def test_an_officer_of_an_old_commune_sees_only_its_villages(world, commune_officer):
    f.join(commune_officer, commune_unit=world["old"])
    assert pks(access.villages_visible_to(commune_officer)) == {world["v1"].pk}


def test_a_user_without_membership_sees_nothing(world, db):
    from tests.conftest import make_user

    stranger = make_user("stranger", "liaison")
    assert not access.villages_visible_to(stranger).exists()


def test_an_inactive_user_sees_nothing(world, staff):
    staff.is_active = False
    assert not access.villages_visible_to(staff).exists()


def test_a_village_outside_the_scope_is_a_404(world, liaison):
    from django.http import Http404

    assert access.get_visible_village(liaison, pk=world["v1"].pk) == world["v1"]
    with pytest.raises(Http404):
        access.get_visible_village(liaison, pk=world["v3"].pk)


def test_villages_editable_among_answers_as_the_policy_does(
    world, staff, viewer, commune_officer, liaison, django_assert_max_num_queries
):
    """The villages among some that a user may change are those of ``villages_editable_by``;
    for staff (every village) and read-only roles (none) no query is needed, and
    ``can_edit_village`` asks nothing of staff either."""
    ids = [world["v1"].pk, world["v2"].pk, world["v3"].pk]
    for user in (staff, viewer, commune_officer, liaison):
        assert access.villages_editable_among(user, ids) == pks(
            access.villages_editable_by(user)
        ) & set(ids), user.username
    for user, expected in ((staff, set(ids)), (viewer, set()), (commune_officer, set())):
        with django_assert_max_num_queries(0):
            assert access.villages_editable_among(user, ids) == expected
    with django_assert_max_num_queries(0):
        assert access.can_edit_village(staff, world["v3"])
    assert access.can_edit_village(liaison, world["v1"])
    assert not access.can_edit_village(liaison, world["v2"])

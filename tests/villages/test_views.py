"""Pages, persona by persona: anonymous, outsider (404), read-only role (403), happy path, bad
input; and the list's query count, which must not grow with the number of villages."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from dankhoeo.models import AuditEvent
from tests import factories as f
from tests.villages.conftest import xlsx
from villages import imports, panels
from villages.models import AdminUnit, Village, VillageYear

LIST = reverse("villages:list")


@pytest.fixture
def world(db, liaison):
    """Đăk Xanh (a demo village of Thị trấn Đăk Glei, now Xã Đăk Pék), helped by the
    liaison's agency; Làng Kon Tu Dốp of Xã Đăk Na (now Xã Đăk Sao), nobody's."""
    plan, agency = f.make_plan(), f.make_agency()
    xanh = f.make_village(
        "Đăk Xanh", code="V-XANH", commune_unit=f.commune("23341"), is_demo=True,
        extremely_disadvantaged=True,
    )  # fmt: skip
    dop = f.make_village("Làng Kon Tu Dốp", code="V-DOP", commune_unit=f.commune("23407"))
    f.assign(agency, xanh, plan)
    f.join(liaison, agency=agency)
    return {"xanh": xanh, "dop": dop, "plan": plan}


def detail(village) -> str:
    return reverse("villages:detail", args=[village.pk])


def listed(response) -> list[str]:
    return [village.name for village in response.context["page"].object_list]


# The list -------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for url in [LIST, detail(world["xanh"]), reverse("villages:import")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_staff_see_every_village_in_vietnamese_order(client_for, world, staff):
    response = client_for(staff).get(LIST)
    assert response.status_code == 200
    assert listed(response) == ["Đăk Xanh", "Làng Kon Tu Dốp"]  # đ before k; "Làng" aside


def test_a_liaison_sees_only_its_agencys_villages(client_for, world, liaison):
    assert listed(client_for(liaison).get(LIST)) == ["Đăk Xanh"]


@pytest.mark.parametrize("typed", ["dak xanh", "Đắk", "Đăk", "DAK XANH", "v-xanh"])
def test_searching_without_accents_finds_the_village(client_for, world, staff, typed):
    assert listed(client_for(staff).get(LIST, {"q": typed})) == ["Đăk Xanh"]


def test_the_filters_by_district_old_commune_and_new_commune(client_for, world, staff):
    client = client_for(staff)
    district = AdminUnit.objects.districts().get(code="617")
    new_dak_sao = f.commune("23416", after_reform=True)
    assert listed(client.get(LIST, {"district": district.pk})) == ["Làng Kon Tu Dốp"]
    assert listed(client.get(LIST, {"old_commune": f.commune("23341").pk})) == ["Đăk Xanh"]
    assert listed(client.get(LIST, {"new_commune": new_dak_sao.pk})) == ["Làng Kon Tu Dốp"]
    assert listed(client.get(LIST, {"new_commune": f.commune("23407").pk})) == [
        "Đăk Xanh",
        "Làng Kon Tu Dốp",
    ]  # not a commune of today: the filter is ignored


def test_the_flag_filters(client_for, world, staff):
    client = client_for(staff)
    assert listed(client.get(LIST, {"disadvantaged": "on"})) == ["Đăk Xanh"]
    assert listed(client.get(LIST, {"demo": "only"})) == ["Đăk Xanh"]
    assert listed(client.get(LIST, {"demo": "hide"})) == ["Làng Kon Tu Dốp"]


def test_demo_villages_are_shown_as_demo_and_communes_as_they_were_and_are(
    client_for, world, staff
):
    page = client_for(staff).get(LIST).content.decode()
    assert page.count('class="badge demo-badge"') == 1
    assert ">Dữ liệu minh họa</span>" in page
    assert "Xã Đăk Na (nay là xã Đăk Sao)" in page
    assert "Thị trấn Đăk Glei (nay là xã Đăk Pék)" in page


def test_the_list_is_paginated(client_for, world, staff):
    for number in range(30):
        f.make_village(f"Thôn {number + 1}")
    client = client_for(staff)
    first = client.get(LIST)
    assert len(listed(first)) == 25
    second = client.get(LIST, {"page": 2})
    assert len(listed(second)) == 7
    assert listed(second)[-1] == "Thôn 30"


def test_the_lists_query_count_does_not_grow_with_villages(
    client_for, world, liaison, django_assert_num_queries
):
    client = client_for(liaison)
    plan, agency = world["plan"], liaison.memberships.get().agency

    def add_villages(count):
        for number in range(count):
            village = f.make_village(f"Thôn {number}", commune_unit=f.commune("23407"))
            f.assign(agency, village, plan)

    params = {"q": "thon", "new_commune": f.commune("23416", after_reform=True).pk}
    add_villages(1)
    client.get(LIST, params)  # warm up the session
    # session, user, provinces and units for the filters, count, page (the session was renewed
    # by the first request: no write)
    with django_assert_num_queries(6):
        assert len(listed(client.get(LIST, params))) == 1
    add_villages(40)
    with django_assert_num_queries(6):
        assert len(listed(client.get(LIST, params))) == 25


def test_with_many_units_the_filters_ask_for_a_province_first(
    client_for, staff, world, monkeypatch
):
    """A country-wide list: the district and commune lists only hold the province chosen
    (with the units of the provinces merged into it: Kon Tum into Quảng Ngãi)."""
    other = AdminUnit.objects.create(level="province", code="P99", name="Tỉnh Thử Nghiệm")
    far = AdminUnit.objects.create(level="commune", code="C99", name="Xã Xa Xôi", parent=other)
    for n in range(20):
        AdminUnit.objects.create(level="commune", code=f"C{n}", name=f"Xã Khác {n}", parent=other)
    f.make_village("Thôn Xa", code="V-FAR", commune_unit=far)
    units = AdminUnit.objects.exclude(level="province")
    assert units.in_province(other).count() < 60 < units.count()
    assert units.in_province(AdminUnit.objects.get(level="province", code="51")).count() < 60
    monkeypatch.setattr("villages.forms.VillageFilterForm.UNIT_CHOICES", 60)
    client = client_for(staff)

    response = client.get(LIST)
    form = response.context["form"]
    assert form.choose_province_first and form.fields["new_commune"].choices == [("", "Tất cả")]
    assert "Chọn tỉnh" in response.content.decode()
    assert len(listed(response)) == 3

    quang_ngai = AdminUnit.objects.get(level="province", code="51")
    response = client.get(LIST, {"province": quang_ngai.pk})
    assert sorted(listed(response)) == ["Làng Kon Tu Dốp", "Đăk Xanh"]
    commune_names = [label for _pk, label in response.context["form"].fields["old_commune"].choices]
    assert "Xã Đăk Na" in commune_names and "Xã Xa Xôi" not in commune_names

    response = client.get(LIST, {"province": other.pk})
    assert listed(response) == ["Thôn Xa"]
    communes = response.context["form"].fields["new_commune"].choices
    assert (far.pk, "Xã Xa Xôi") in communes and len(communes) == 22


# The village page -------------------------------------------------------------------------------


def test_the_village_page_shows_its_commune_as_it_was_and_as_it_is(client_for, world, viewer):
    response = client_for(viewer).get(detail(world["dop"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Xã Đăk Na (nay là xã Đăk Sao)" in page
    assert "Tỉnh Quảng Ngãi" in page


def test_the_village_page_renders_the_panels_of_other_apps(client_for, world, staff, monkeypatch):
    asked = []

    def panel_context(user, village, *, can_edit):
        asked.append((user, village, can_edit))
        return {"village": village}

    monkeypatch.setattr(
        panels, "VILLAGE_PANELS", [panels.Panel("villages/_demo_badge.html", panel_context)]
    )
    response = client_for(staff).get(detail(world["dop"]))
    assert response.context["panels"] == [render_to_string("villages/_demo_badge.html")]
    assert response.content.decode().count('class="badge demo-badge"') == 1
    assert asked == [(staff, world["dop"], True)]


def test_the_apps_register_their_panels_and_links_in_order():
    assert [panel.template for panel in panels.VILLAGE_PANELS] == [
        "criteria/_village_panel.html",
        "assignments/_village_panels.html",
    ]
    assert panels.VILLAGE_LINKS == ["reports/_village_links.html"]


def test_a_liaison_gets_404_outside_its_villages(client_for, world, liaison):
    assert client_for(liaison).get(detail(world["dop"])).status_code == 404


def test_an_officer_of_the_new_commune_sees_the_village_of_the_old_one(
    client_for, world, commune_officer
):
    f.join(commune_officer, commune_unit=f.commune("23416", after_reform=True))
    client = client_for(commune_officer)
    assert client.get(detail(world["dop"])).status_code == 200
    assert client.get(detail(world["xanh"])).status_code == 404


def test_a_liaison_enters_statistics_of_its_village(client_for, world, liaison):
    client = client_for(liaison)
    assert client.get(detail(world["xanh"])).context["can_edit"]
    response = client.post(
        reverse("villages:year-save", args=[world["xanh"].pk]),
        {"year": 2024, "households": 120, "population": 530, "poor_households": 40},
    )
    assert response.status_code == 302
    assert VillageYear.objects.get(village=world["xanh"], year=2024).poor_households == 40
    page = client.get(detail(world["xanh"])).content.decode()
    assert "2024" in page and "33,33" in page  # poverty rate, Vietnamese decimal comma


def test_impossible_statistics_are_refused_with_the_reason(client_for, world, staff):
    response = client_for(staff).post(
        reverse("villages:year-save", args=[world["dop"].pk]),
        {"year": 2024, "households": 10, "poor_households": 40},
    )
    assert response.status_code == 400
    assert "40" in response.content.decode()
    assert not VillageYear.objects.exists()


def test_read_only_roles_may_not_write_statistics(client_for, world, viewer):
    client = client_for(viewer)
    assert not client.get(detail(world["dop"])).context["can_edit"]
    response = client.post(
        reverse("villages:year-save", args=[world["dop"].pk]), {"year": 2024, "households": 1}
    )
    assert response.status_code == 403
    assert not VillageYear.objects.exists()


def test_a_liaison_cannot_write_statistics_outside_its_villages(client_for, world, liaison):
    response = client_for(liaison).post(
        reverse("villages:year-save", args=[world["dop"].pk]), {"year": 2024}
    )
    assert response.status_code == 404


def test_staff_add_and_edit_a_village(client_for, world, staff):
    client = client_for(staff)
    response = client.post(
        reverse("villages:create"),
        {"code": "N1", "name": "Thôn  Mới", "commune": f.commune("23416", after_reform=True).pk},
    )
    village = Village.objects.get(code="N1")
    assert response.url == detail(village)
    assert village.name == "Thôn Mới"
    response = client.post(
        reverse("villages:edit", args=[village.pk]),
        {"code": "V-XANH", "name": "Thôn Mới", "commune": village.commune_id},
    )
    assert response.status_code == 200
    assert "V-XANH" in response.content.decode()  # the code is taken: the reason is shown


def test_viewers_may_not_add_or_edit_villages(client_for, world, viewer):
    client = client_for(viewer)
    assert client.get(reverse("villages:create")).status_code == 403
    assert client.post(reverse("villages:edit", args=[world["dop"].pk]), {}).status_code == 403


# The commune page -------------------------------------------------------------------------------


def test_an_old_commune_reads_as_it_was_and_as_it_is(client_for, world, viewer):
    response = client_for(viewer).get(reverse("villages:commune", args=[f.commune("23407").pk]))
    page = response.content.decode()
    assert "Xã Đăk Na (nay là xã Đăk Sao)" in page
    assert "Làng Kon Tu Dốp" in page


def test_a_new_commune_lists_the_communes_merged_into_it_and_their_villages(
    client_for, world, viewer
):
    new = f.commune("23416", after_reform=True)
    response = client_for(viewer).get(reverse("villages:commune", args=[new.pk]))
    assert [u.name for u in response.context["predecessors"]] == ["Xã Đăk Na", "Xã Đăk Sao"]
    assert [v.name for v in response.context["villages"]] == ["Làng Kon Tu Dốp"]


def test_the_commune_page_lists_only_villages_in_scope(client_for, world, liaison):
    response = client_for(liaison).get(reverse("villages:commune", args=[f.commune("23407").pk]))
    assert list(response.context["villages"]) == []


# Administrative units ----------------------------------------------------------------------------


def test_only_staff_manage_units(client_for, world, viewer, liaison):
    unit = f.commune("23407")
    for user in (viewer, liaison):
        client = client_for(user)
        assert client.get(reverse("villages:unit-list")).status_code == 403
        assert client.post(reverse("villages:unit-create"), {}).status_code == 403
        assert client.post(reverse("villages:unit-close", args=[unit.pk]), {}).status_code == 403


def test_staff_find_and_add_a_unit(client_for, world, staff):
    client = client_for(staff)
    response = client.get(reverse("villages:unit-list"), {"q": "dak na", "level": "commune"})
    assert [u.name for u in response.context["units"]] == ["Xã Đăk Na"]
    province = AdminUnit.objects.get(level="province", code="51")
    response = client.post(
        reverse("villages:unit-create"),
        {"level": "commune", "code": "99300", "name": "Xã Thử", "parent": province.pk},
    )
    assert response.status_code == 302
    assert AdminUnit.objects.filter(code="99300", name="Xã Thử").exists()


def test_a_merged_unit_offers_only_its_spellings_and_note(client_for, world, staff):
    unit = f.commune("23407")
    client = client_for(staff)
    form = client.get(reverse("villages:unit-edit", args=[unit.pk])).context["form"]
    assert list(form.fields) == ["aliases", "note"]
    client.post(reverse("villages:unit-edit", args=[unit.pk]), {"aliases": "Dak Na", "note": ""})
    unit.refresh_from_db()
    assert unit.aliases == "Dak Na"


def test_closing_a_unit_with_villages_without_a_successor_is_refused(client_for, world, staff):
    province = AdminUnit.objects.get(level="province", code="51")
    unit = AdminUnit.objects.create(
        level="commune", code="99400", name="Xã Thử", parent=province, sort_key="x"
    )
    f.make_village("Thôn Một", commune_unit=unit)
    response = client_for(staff).post(
        reverse("villages:unit-close", args=[unit.pk]), {"valid_to": "2026-06-30"}, follow=True
    )
    assert "Xã Thử" in str(next(iter(response.context["messages"])))
    unit.refresh_from_db()
    assert unit.valid_to is None


# The import pages ---------------------------------------------------------------------------------


def upload(content: bytes, name: str = "thon.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


ROWS = [{"name": "Thôn Mới", "commune": "Xã Đăk Sao"}, {"code": "V-DOP", "name": "Làng Kon Tu Dốp",
        "commune": "Đăk Na", "district": "Tu Mơ Rông", "ethnic_groups": "Xơ Đăng"}]  # fmt: skip


def test_read_only_roles_may_not_import(client_for, world, viewer):
    client = client_for(viewer)
    assert client.get(reverse("villages:import")).status_code == 403
    assert client.get(reverse("villages:import-template")).status_code == 403
    assert client.post(reverse("villages:import"), {"file": upload(xlsx(ROWS))}).status_code == 403
    assert client.post(reverse("villages:import-confirm"), {"token": "x"}).status_code == 403
    assert Village.objects.count() == 2


def test_staff_preview_then_confirm_an_import(client_for, world, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(staff)
    response = client.post(reverse("villages:import"), {"file": upload(xlsx(ROWS))})
    assert response.status_code == 200
    preview = response.context["preview"]
    assert [(row.status, row.name) for row in preview.rows] == [
        ("new", "Thôn Mới"),
        ("changed", "Làng Kon Tu Dốp"),
    ]
    assert Village.objects.count() == 2
    response = client.post(reverse("villages:import-confirm"), {"token": response.context["token"]})
    assert response.url == LIST
    assert Village.objects.count() == 3
    assert Village.objects.get(code="V-DOP").ethnic_groups == "Xơ Đăng"
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.IMPORT)
    assert (event.actor, event.target) == (staff, "villages")
    assert event.detail == "new 1, changed 1, unchanged 0"


def test_a_file_with_errors_shows_each_cell_and_offers_no_confirmation(client_for, world, staff):
    rows = [{"name": "Thôn Mới", "commune": "Xã Không Có"}]
    response = client_for(staff).post(reverse("villages:import"), {"file": upload(xlsx(rows))})
    page = response.content.decode()
    assert "token" not in response.context
    assert "Xã Không Có" in page
    assert "<td>2</td><td>D</td>" in page


def test_a_file_that_is_not_excel_is_refused_with_a_reason(client_for, world, staff):
    response = client_for(staff).post(reverse("villages:import"), {"file": upload(b"a,b\n1,2\n")})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert Village.objects.count() == 2


def test_a_confirmation_without_a_staged_file_is_refused(client_for, world, staff):
    response = client_for(staff).post(
        reverse("villages:import-confirm"), {"token": "a" * 32}, follow=True
    )
    assert list(response.context["messages"])
    assert Village.objects.count() == 2


def test_the_template_downloads_with_the_official_villages(client_for, world, staff):
    response = client_for(staff).get(reverse("villages:import-template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))[str(imports.SHEET)]
    assert [c.value for c in sheet[1]] == [str(c.header) for c in imports.COLUMNS]
    codes = [row[0].value for row in sheet.iter_rows(min_row=2) if row[0].value]
    assert codes == ["V-DOP"]  # demo villages are left out


def test_the_village_page_links_to_its_one_page_profile_pdf(client, staff):
    village = f.make_village("Làng Đăk Xanh")
    client.force_login(staff)
    page = client.get(reverse("villages:detail", args=[village.pk])).content.decode()
    link = f"{reverse('reports:export', args=['village-profile-pdf'])}?scope=village:{village.code}"
    assert link in page


def test_the_statistics_of_a_year_are_entered_on_their_own_page(client_for, world, liaison):
    """The village page links to the form; ``?year=`` fills it with that year's figures; a
    refused entry shows the form again with its error and keeps what was typed."""
    client = client_for(liaison)
    village = world["xanh"]
    form_url = reverse("villages:year-save", args=[village.pk])
    assert form_url in client.get(detail(village)).content.decode()
    client.post(form_url, {"year": 2024, "households": 120, "population": 530})
    detail_page = client.get(detail(village)).content.decode()
    assert f"{form_url}?year=2024" in detail_page  # the row's Edit link
    filled = client.get(f"{form_url}?year=2024")
    assert filled.status_code == 200
    assert filled.context["form"]["households"].value() == 120
    refused = client.post(form_url, {"year": 2024, "households": 10, "poor_households": 40})
    assert refused.status_code == 400
    assert 'value="40"' in refused.content.decode()
    assert VillageYear.objects.get(village=village, year=2024).households == 120
    assert client.get(f"{form_url}?year=abc").status_code == 400


def test_the_statistics_page_is_refused_to_readers_and_strangers(
    client_for, world, viewer, liaison
):
    assert (
        client_for(viewer).get(reverse("villages:year-save", args=[world["dop"].pk])).status_code
        == 403
    )
    assert (
        client_for(liaison).get(reverse("villages:year-save", args=[world["dop"].pk])).status_code
        == 404
    )

"""A village's coordinates: inside Vietnam's box (dankhoeo/bounds.py), both or neither, on
every path that writes them (form, service, import, database) and as the API describes them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from dankhoeo import bounds
from dankhoeo.errors import Refused
from tests import factories as f
from tests.villages.conftest import xlsx
from villages import imports, services
from villages.models import Village

KON_TUM = (Decimal("14.6543"), Decimal("107.8912"))


class TestTheBox:
    def test_the_ends_of_the_country_lie_inside(self):
        for latitude, longitude in [
            ("23.3636", "105.3160"),  # Lũng Cú
            ("8.5600", "104.7200"),  # Mũi Cà Mau
            ("22.4100", "102.1440"),  # A Pa Chải
            ("8.6400", "111.9200"),  # Trường Sa
            ("16.5300", "111.6100"),  # Hoàng Sa
        ]:
            bounds.check_point(Decimal(latitude), Decimal(longitude))

    @pytest.mark.parametrize(
        ("latitude", "longitude", "field"),
        [
            ("107.8912", "14.6543", "latitude"),  # swapped
            ("-14.6543", "107.8912", "latitude"),  # sign lost
            ("14.6543", "10.78912", "longitude"),  # a digit lost
            ("48.8566", "2.3522", "latitude"),  # Paris
        ],
    )
    def test_a_point_outside_is_refused_on_its_field(self, latitude, longitude, field):
        with pytest.raises(ValidationError) as refused:
            bounds.check_point(Decimal(latitude), Decimal(longitude))
        assert field in refused.value.error_dict
        assert "Việt Nam" in " ".join(refused.value.messages)

    def test_half_a_point_is_refused_and_none_is_fine(self):
        bounds.check_point(None, None)
        with pytest.raises(ValidationError) as refused:
            bounds.check_point(KON_TUM[0], None)
        assert list(refused.value.error_dict) == ["longitude"]


def test_the_service_refuses_a_point_outside_and_writes_nothing(db):
    commune = f.commune("23407")
    with pytest.raises(Refused) as refused:
        services.village_create(
            code="K1", name="Thôn Một", commune=commune, latitude=Decimal("48.85"), longitude=0
        )
    assert set(refused.value.error_dict) == {"latitude", "longitude"}
    village = services.village_create(
        code="K1", name="Thôn Một", commune=commune, latitude=KON_TUM[0], longitude=KON_TUM[1]
    )
    with pytest.raises(Refused):
        services.village_update(village=village, longitude=None)
    village.refresh_from_db()
    assert (village.latitude, village.longitude) == (Decimal("14.654300"), Decimal("107.891200"))


def test_the_database_holds_the_same_box(db):
    village = f.make_village("Thôn Một", code="K1", commune_unit=f.commune("23407"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Village.objects.filter(pk=village.pk).update(latitude=1, longitude=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Village.objects.filter(pk=village.pk).update(latitude=KON_TUM[0])


def test_the_form_shows_the_reason_on_the_field(client_for, staff):
    commune = f.commune("23416", after_reform=True)
    client = client_for(staff)
    response = client.post(
        reverse("villages:create"),
        {"code": "N1", "name": "Thôn Mới", "commune": commune.pk, "latitude": "107,89"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "ngoài lãnh thổ Việt Nam" in form.errors["latitude"][0]
    assert not Village.objects.filter(code="N1").exists()
    response = client.post(
        reverse("villages:create"),
        {"code": "N1", "name": "Thôn Mới", "commune": commune.pk, "latitude": "14,65"},
    )
    assert "Ghi cả vĩ độ và kinh độ" in response.context["form"].errors["longitude"][0]
    response = client.post(
        reverse("villages:create"),
        {
            "code": "N1",
            "name": "Thôn Mới",
            "commune": commune.pk,
            "latitude": "14,6543",
            "longitude": "107,8912",
        },
    )
    assert response.status_code == 302
    assert Village.objects.get(code="N1").longitude == Decimal("107.891200")


def test_the_import_reports_a_point_outside_on_its_cell(db):
    preview = imports.preview(
        xlsx(
            [
                {"name": "Thôn A", "commune": "Đăk Sao", "latitude": "107,89", "longitude": "14,6"},
                {"name": "Thôn B", "commune": "Đăk Sao", "latitude": "14,65"},
                {"name": "Thôn C", "commune": "Đăk Sao", "latitude": "x", "longitude": "107,9"},
                {"name": "Thôn D", "commune": "Đăk Sao", "latitude": "14,6", "longitude": "107,9"},
            ]
        )
    )
    found = {(error.row, error.column): error.message for error in preview.errors}
    letters = imports.LETTER
    assert set(found) == {
        (2, letters["latitude"]),
        (2, letters["longitude"]),
        (3, letters["longitude"]),
        (4, letters["latitude"]),  # not a number: said once, no "give both" besides
    }
    assert "ngoài lãnh thổ Việt Nam" in found[(2, letters["latitude"])]
    assert [row.name for row in preview.rows] == ["Thôn D"]


def test_the_api_describes_the_box(db):
    from dankhoeo.api import api

    schema = api.get_openapi_schema()["components"]["schemas"]["VillageOut"]["properties"]
    latitude = schema["latitude"]["anyOf"][0]
    assert (latitude["minimum"], latitude["maximum"]) == (7.5, 23.4)
    longitude = schema["longitude"]["anyOf"][0]
    assert (longitude["minimum"], longitude["maximum"]) == (102.1, 117.9)

"""API endpoints of the villages app: administrative units and villages (read only).

Units are reference data that every account reads; villages are those the token's user sees
on the village list (``access.villages_visible_to``), others are 404.
"""

import datetime
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from dankhoeo import access, bounds
from dankhoeo.api import Pagination
from villages.models import AdminUnit, Village

router = Router(tags=["villages"])

# Coordinates are JSON numbers (decimal degrees, WGS 84), and the OpenAPI document gives their
# bounds: Vietnam's box (dankhoeo/bounds.py), which the database also holds to.
Latitude = Annotated[
    float, Field(ge=float(bounds.LATITUDE.minimum), le=float(bounds.LATITUDE.maximum))
]
Longitude = Annotated[
    float, Field(ge=float(bounds.LONGITUDE.minimum), le=float(bounds.LONGITUDE.maximum))
]


class UnitRef(Schema):
    id: int
    code: str
    name: str


class AdminUnitOut(Schema):
    id: int
    level: str
    code: str
    name: str
    aliases: list[str]
    parent_id: int | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    successor_id: int | None
    note: str

    @staticmethod
    def resolve_aliases(unit: AdminUnit) -> list[str]:
        return unit.alias_list


class VillageOut(Schema):
    id: int
    code: str
    name: str
    aliases: list[str]
    commune: UnitRef
    commune_now: UnitRef
    district: UnitRef | None
    ethnic_groups: str
    extremely_disadvantaged: bool
    latitude: Latitude | None
    longitude: Longitude | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    is_demo: bool

    @staticmethod
    def resolve_aliases(village: Village) -> list[str]:
        return village.alias_list

    @staticmethod
    def resolve_district(village: Village) -> AdminUnit | None:
        return village.commune.parent


@router.get("/units", response=list[AdminUnitOut], summary="Administrative units")
@paginate(Pagination)
def unit_list(
    request,
    level: AdminUnit.Level | None = None,
    q: str = "",
    parent: int | None = None,
    valid_on: datetime.date | None = None,
):
    """Provinces, districts and communes with their validity and the unit they merged into."""
    units = AdminUnit.objects.search(q).in_vietnamese_order()
    if level:
        units = units.filter(level=level)
    if parent is not None:
        units = units.filter(parent_id=parent)
    if valid_on is not None:
        units = units.valid_on(valid_on)
    return units


@router.get("/units/{int:pk}", response=AdminUnitOut, summary="One administrative unit")
def unit_detail(request, pk: int):
    return get_object_or_404(AdminUnit, pk=pk)


@router.get("/villages", response=list[VillageOut], summary="Villages the user may see")
@paginate(Pagination)
def village_list(
    request,
    q: str = "",
    commune: int | None = None,
    extremely_disadvantaged: bool | None = None,
    has_coordinates: bool | None = None,
):
    """Villages with the commune they had when entered and the commune of today; a commune
    filter counts the communes merged into it."""
    villages = access.villages_visible_to(request.user).search(q)
    if commune is not None:
        villages = villages.in_commune(get_object_or_404(AdminUnit, pk=commune))
    villages = villages.flagged(extremely_disadvantaged=extremely_disadvantaged)
    if has_coordinates is not None:
        villages = villages.filter(latitude__isnull=not has_coordinates)
    return villages.with_places().in_vietnamese_order()


@router.get("/villages/{int:pk}", response=VillageOut, summary="One village")
def village_detail(request, pk: int):
    return access.village_for(request.user, pk)

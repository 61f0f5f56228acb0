"""Demo villages: 57 villages in 8 real communes (as they were before 1 July 2025) of Đăk Glei,
Kon Plông and Tu Mơ Rông, the shape of Plan 133-KH/TU.

The official list of the plan's villages is not public, so it must be imported by its users.
Here six villages are real (reported by Kon Tum TV) and sit
in their real communes; the others are named "Thôn minh họa NN" so that nobody takes them for
official. Every demo village is flagged ``is_demo`` (also the six real ones, whose records here
are illustrative) and its statistics say they are illustrative.

Their coordinates are illustrative too, so that the map has something to show: each commune's
villages are spread within about 3,5 km of a point placed near the middle of the commune (as it
was before 1 July 2025), read off a general map to within a few kilometres. Only the town of
Đăk Glei's point is its published position; the others are estimates. No village is claimed to
stand where the demo puts it, the real six included; an official list imported later replaces
them.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from assignments.models import Membership
from dankhoeo.models import User
from villages import services
from villages.models import AdminUnit, Village, VillageYear

# (old commune code, the real village reported in it, if any). Six communes of Đăk Glei with
# their real villages, one of Kon Plông and one of Tu Mơ Rông.
COMMUNES = [
    ("23341", "Đăk Xanh"),  # Thị trấn Đăk Glei
    ("23374", "Đăk Tum"),  # Xã Đăk Môn
    ("23368", "Dục Lang"),  # Xã Đăk Long
    ("23356", "Đăk Mi"),  # Xã Đăk Choong
    ("23344", "Đăk Book"),  # Xã Đăk Plô
    ("23353", "Pêng Siêl"),  # Xã Đăk Pék
    ("23452", None),  # Xã Đăk Nên (Kon Plông)
    ("23407", None),  # Xã Đăk Na (Tu Mơ Rông)
]
# (latitude, longitude) of a point near the middle of each commune: estimates for the demo.
CENTRES = {
    "23341": (15.020, 107.749),  # Thị trấn Đăk Glei (its published position)
    "23374": (14.935, 107.690),  # Xã Đăk Môn, south of the district
    "23368": (15.000, 107.645),  # Xã Đăk Long, west of the town, towards Laos
    "23356": (15.040, 107.820),  # Xã Đăk Choong, east of the town
    "23344": (15.215, 107.700),  # Xã Đăk Plô, the north of the district
    "23353": (15.100, 107.740),  # Xã Đăk Pék, north of the town
    "23452": (14.780, 108.320),  # Xã Đăk Nên, the north-east of Kon Plông
    "23407": (14.860, 107.860),  # Xã Đăk Na, the south-west of Tu Mơ Rông
}
SPREAD_KM = 3.5  # villages lie within this distance of their commune's point
KM_PER_DEGREE = 111.32
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
VILLAGE_COUNT = 57
ILLUSTRATIVE = "Thôn minh họa {:02d}"
DEMO_NOTE = "Số liệu minh họa, không phải số liệu chính thức."
DEMO_YEARS = (2023, 2024)
# The commune officer of the demo works for the new commune that Xã Đăk Na merged into, so
# that the demo shows villages reached through the lineage.
DEMO_OFFICER = "xa.demo"
DEMO_OFFICER_COMMUNE = "23416"


@dataclass(frozen=True)
class SeedResult:
    created: int
    kept: int


def _old_commune(code: str) -> AdminUnit:
    return AdminUnit.objects.communes().get(code=code, valid_from__isnull=True)


def _plan() -> list[tuple[str, str, str]]:
    """(code, name, commune code) of the 57 demo villages, spread over the 8 communes."""
    per_commune = [VILLAGE_COUNT // len(COMMUNES)] * len(COMMUNES)
    for index in range(VILLAGE_COUNT % len(COMMUNES)):
        per_commune[index] += 1
    villages, number = [], 0
    for (commune_code, real_name), count in zip(COMMUNES, per_commune, strict=True):
        for position in range(count):
            if position == 0 and real_name:
                name = real_name
            else:
                number += 1
                name = ILLUSTRATIVE.format(number)
            villages.append((f"DEMO-{len(villages) + 1:02d}", name, commune_code))
    return villages


def demo_point(commune_code: str, position: int, count: int) -> tuple[Decimal, Decimal]:
    """Where the demo puts the ``position``-th of ``count`` villages of a commune: on a
    sunflower spiral around the commune's point, evenly spread within ``SPREAD_KM``."""
    latitude, longitude = CENTRES[commune_code]
    radius = SPREAD_KM / KM_PER_DEGREE * math.sqrt((position + 0.5) / count)
    angle = position * GOLDEN_ANGLE
    north = radius * math.sin(angle)
    east = radius * math.cos(angle) / math.cos(math.radians(latitude))
    return (
        Decimal(f"{latitude + north:.6f}"),
        Decimal(f"{longitude + east:.6f}"),
    )


def _points(plan: list[tuple[str, str, str]]) -> dict[str, tuple[Decimal, Decimal]]:
    """{village code: (latitude, longitude)} of the demo villages."""
    counts: dict[str, int] = {}
    for _code, _name, commune_code in plan:
        counts[commune_code] = counts.get(commune_code, 0) + 1
    points, seen = {}, dict.fromkeys(counts, 0)
    for code, _name, commune_code in plan:
        points[code] = demo_point(commune_code, seen[commune_code], counts[commune_code])
        seen[commune_code] += 1
    return points


@transaction.atomic
def seed() -> SeedResult:
    """Create the demo villages that are missing; leave existing ones as they are."""
    communes = {code: _old_commune(code) for code, _real in COMMUNES}
    created = 0
    plan = _plan()
    existing = set(
        Village.objects.filter(code__in=[code for code, _n, _c in plan]).values_list(
            "code", flat=True
        )
    )
    points = _points(plan)
    for village in Village.objects.filter(
        code__in=existing, is_demo=True, latitude__isnull=True, longitude__isnull=True
    ):  # demo villages seeded before they had coordinates
        latitude, longitude = points[village.code]
        services.village_update(village=village, latitude=latitude, longitude=longitude)
    for index, (code, name, commune_code) in enumerate(plan):
        if code in existing:
            continue
        illustrative = name.startswith("Thôn minh họa")
        village = services.village_create(
            code=code,
            name=name,
            commune=communes[commune_code],
            ethnic_groups="Xơ Đăng" if illustrative else "",
            extremely_disadvantaged=illustrative and index % 3 == 0,
            latitude=points[code][0],
            longitude=points[code][1],
            is_demo=True,
        )
        created += 1
        if index % 2 == 0:
            for year in DEMO_YEARS:
                households = 60 + (index * 7) % 90
                poor = households * (40 - (year - 2023) * 6 - index % 10) // 100
                VillageYear.objects.create(
                    village=village,
                    year=year,
                    households=households,
                    population=households * 4 + index % 5,
                    poor_households=poor,
                    near_poor_households=households // 10,
                    ethnic_minority_share=95 + index % 5,
                    note=DEMO_NOTE,
                )
    _seed_officer()
    return SeedResult(created=created, kept=len(plan) - created)


def _seed_officer() -> None:
    """Give the demo commune officer a commune, unless it already has one."""
    officer = User.objects.filter(username=DEMO_OFFICER).first()
    if officer is None or Membership.objects.filter(user=officer, commune__isnull=False).exists():
        return
    commune = AdminUnit.objects.communes().get(code=DEMO_OFFICER_COMMUNE, valid_to__isnull=True)
    Membership.objects.create(user=officer, commune=commune)

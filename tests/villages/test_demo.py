"""The demo villages: the plan's shape, marked as demo, real villages in their real communes."""

import csv
import math
from pathlib import Path

from assignments.models import Membership
from dankhoeo.demo import villages as demo
from dankhoeo.demo.accounts import seed_accounts
from villages.models import Village, VillageYear

KNOWN = Path("/work/shared/data/known_villages.csv")
# The six real villages of known_villages.csv, with the code of their commune.
REAL = {
    "Đăk Xanh": "23341",
    "Đăk Tum": "23374",
    "Dục Lang": "23368",
    "Đăk Mi": "23356",
    "Đăk Book": "23344",
    "Pêng Siêl": "23353",
}


def test_57_demo_villages_in_8_communes_of_the_3_districts(db):
    result = demo.seed()
    villages = Village.objects.with_places()
    assert result.created == villages.count() == 57
    assert all(village.is_demo for village in villages)
    assert len({village.commune_id for village in villages}) == 8
    districts = {village.commune.parent.name for village in villages}
    assert districts == {"Huyện Đăk Glei", "Huyện Kon Plông", "Huyện Tu Mơ Rông"}
    assert VillageYear.objects.filter(village__is_demo=True).exists()


def test_the_real_villages_sit_in_their_real_communes_and_the_others_say_they_are_made_up(db):
    demo.seed()
    if KNOWN.exists():  # the reference file, when it is at hand
        rows = list(csv.DictReader(KNOWN.open(encoding="utf-8")))
        assert {row["village"]: row["commune_code"] for row in rows} == REAL
    for name, commune_code in REAL.items():
        village = Village.objects.get(name=name)
        assert village.commune.code == commune_code
        assert village.commune.valid_to is not None  # the commune as it was
    others = Village.objects.exclude(name__in=REAL)
    assert others.count() == 51
    assert all(village.name.startswith("Thôn minh họa ") for village in others)


def test_seeding_twice_changes_nothing(db):
    demo.seed()
    before = list(Village.objects.order_by("pk").values())
    years = VillageYear.objects.count()
    assert demo.seed().created == 0
    assert list(Village.objects.order_by("pk").values()) == before
    assert VillageYear.objects.count() == years


def test_the_demo_commune_officer_gets_a_commune_once(db):
    seed_accounts()
    demo.seed()
    demo.seed()
    membership = Membership.objects.get(user__username="xa.demo")
    assert membership.commune.name == "Xã Đăk Sao"
    assert membership.commune.valid_to is None
    # through the lineage it reaches the demo villages of Xã Đăk Na
    assert Village.objects.in_commune(membership.commune).count() == 7


def test_every_demo_village_has_a_point_in_kon_tum_near_its_commune(db):
    demo.seed()
    villages = list(Village.objects.select_related("commune"))
    points = {(v.latitude, v.longitude) for v in villages}
    assert len(points) == 57  # none on top of another
    for village in villages:
        # Kon Tum province as it was: 13°55'-15°27'N, 107°20'-108°32'E
        assert 13.9 <= village.latitude <= 15.45 and 107.3 <= village.longitude <= 108.55
        centre = demo.CENTRES[village.commune.code]
        km = 111.32 * math.hypot(
            float(village.latitude) - centre[0],
            (float(village.longitude) - centre[1]) * math.cos(math.radians(centre[0])),
        )
        assert km <= demo.SPREAD_KM + 0.01, village.name


def test_seeding_again_gives_older_demo_villages_their_points(db):
    demo.seed()
    Village.objects.update(latitude=None, longitude=None)
    demo.seed()
    assert not Village.objects.filter(latitude__isnull=True).exists()

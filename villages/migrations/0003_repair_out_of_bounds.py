"""Repair the rows that the bounds of 0004 refuse (numbers as in dankhoeo/bounds.py then):
other spellings longer than their 500 characters (SQLite kept them) are cut, statistics of a
year out of 2000-2100 are dropped, and a count above a million is emptied."""

from django.db import migrations
from django.db.models import Q
from django.db.models.functions import Length, Substr

YEARS = (2000, 2100)
COUNT = 10**6
ALIASES = 500


def repair(apps, schema_editor):
    for name in ("Village", "AdminUnit"):
        model = apps.get_model("villages", name)
        model.objects.annotate(_length=Length("aliases")).filter(_length__gt=ALIASES).update(
            aliases=Substr("aliases", 1, ALIASES)
        )
    VillageYear = apps.get_model("villages", "VillageYear")
    VillageYear.objects.filter(Q(year__lt=YEARS[0]) | Q(year__gt=YEARS[1])).delete()
    for field in ("households", "population", "poor_households", "near_poor_households"):
        VillageYear.objects.filter(**{f"{field}__gt": COUNT}).update(**{field: None})


class Migration(migrations.Migration):
    dependencies = [("villages", "0002_load_admin_units")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]

"""Coordinates inside Vietnam's box, both or neither (dankhoeo/bounds.py). A village whose
stored point breaks that (a half point, or one outside the box, which no map could place in
the province) loses its coordinates first, to be entered again."""

from decimal import Decimal

from django.db import migrations, models

import dankhoeo.bounds

LATITUDE = (Decimal("7.5"), Decimal("23.4"))
LONGITUDE = (Decimal("102.1"), Decimal("117.9"))


def repair(apps, schema_editor):
    Village = apps.get_model("villages", "Village")
    inside = models.Q(
        latitude__gte=LATITUDE[0],
        latitude__lte=LATITUDE[1],
        longitude__gte=LONGITUDE[0],
        longitude__lte=LONGITUDE[1],
    )
    Village.objects.exclude(latitude__isnull=True, longitude__isnull=True).exclude(inside).update(
        latitude=None, longitude=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("villages", "0004_bounds"),
    ]

    operations = [
        migrations.RunPython(repair, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="village",
            name="latitude",
            field=models.DecimalField(
                blank=True,
                decimal_places=6,
                max_digits=9,
                null=True,
                validators=[dankhoeo.bounds.InVietnam("latitude")],
                verbose_name="latitude",
            ),
        ),
        migrations.AlterField(
            model_name="village",
            name="longitude",
            field=models.DecimalField(
                blank=True,
                decimal_places=6,
                max_digits=9,
                null=True,
                validators=[dankhoeo.bounds.InVietnam("longitude")],
                verbose_name="longitude",
            ),
        ),
        migrations.AddConstraint(
            model_name="village",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("latitude__isnull", True), ("longitude__isnull", True)),
                    models.Q(
                        ("latitude__isnull", False),
                        ("longitude__isnull", False),
                        ("latitude__gte", Decimal("7.5")),
                        ("latitude__lte", Decimal("23.4")),
                        ("longitude__gte", Decimal("102.1")),
                        ("longitude__lte", Decimal("117.9")),
                    ),
                    _connector="OR",
                ),
                name="villages_village_point_in_vietnam",
            ),
        ),
    ]

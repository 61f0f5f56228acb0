"""Repair the rows that the bounds of 0009 refuse (numbers as in dankhoeo/bounds.py then):
plan years are clamped to 2000-2100, counts to a million, an amount above 10^13 đồng to that
maximum (its description says what it was), and over-long texts are cut with a marker."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Length, Substr

YEARS = (2000, 2100)
COUNT = 10**6
MONEY = 10**13
LONG_TEXT = 10_000
CUT = " […]"
DVK_TEXTS = (
    *("situation", "goals", "content", "area", "forces", "resources", "timeline"),
    *("outputs", "sustainability", "evaluation"),
)


def cut_long_texts(model, *fields):
    for field in fields:
        model.objects.annotate(_length=Length(field)).filter(_length__gt=LONG_TEXT).update(
            **{field: Concat(Substr(field, 1, LONG_TEXT - len(CUT)), Value(CUT))}
        )


def clamp_counts(model, *fields):
    for field in fields:
        model.objects.filter(**{f"{field}__gt": COUNT}).update(**{field: COUNT})


def repair(apps, schema_editor):
    Plan = apps.get_model("assignments", "Plan")
    for plan in Plan.objects.all():
        start = min(max(plan.period_start, YEARS[0]), YEARS[1])
        end = min(max(plan.period_end, start), YEARS[1])
        if (start, end) != (plan.period_start, plan.period_end):
            plan.period_start, plan.period_end = start, end
            plan.save(update_fields=["period_start", "period_end"])
    cut_long_texts(Plan, "related_documents")
    cut_long_texts(apps.get_model("assignments", "SupportTeam"), "note")
    Dissemination = apps.get_model("assignments", "Dissemination")
    clamp_counts(Dissemination, "attendance")
    cut_long_texts(Dissemination, "note")
    Activity = apps.get_model("assignments", "Activity")
    clamp_counts(Activity, "people_reached", "households_reached")
    cut_long_texts(Activity, "description")
    Resource = apps.get_model("assignments", "Resource")
    for resource in Resource.objects.filter(amount__gt=MONEY):
        resource.description = f"[{resource.amount} > {MONEY}] {resource.description}"
        resource.amount = MONEY
        resource.save(update_fields=["amount", "description"])
    clamp_counts(Resource, "households_benefiting")
    cut_long_texts(Resource, "description")
    cut_long_texts(apps.get_model("assignments", "Proposal"), "content", "answer")
    cut_long_texts(apps.get_model("assignments", "DvkModel"), *DVK_TEXTS)


class Migration(migrations.Migration):
    dependencies = [("assignments", "0007_plan_document_facts")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]

"""Repair the rows that the bounds of 0008 refuse, so that an existing database migrates.

The numbers are those of dankhoeo/bounds.py when the constraints were added (written here, so
that a later change of a bound does not change what this migration did). A survey value or
threshold out of range cannot be trusted: it is emptied (the survey shows it as not answered
and can be saved again), in the history too; a year out of range is clamped (sets) or its row
dropped (a deadline, a survey never recognised); an over-long text is cut with a marker.
"""

from django.db import migrations
from django.db.models import Q, Value
from django.db.models.functions import Concat, Length, Substr

YEARS = (2000, 2100)
NUMBERS = (0, 10**9)
CRITERION_NUMBERS = (1, 999)
LONG_TEXT = 10_000
CUT = " […]"


def outside(field, bounds):
    return Q(**{f"{field}__lt": bounds[0]}) | Q(**{f"{field}__gt": bounds[1]})


def cut_long_texts(model, *fields):
    for field in fields:
        model.objects.annotate(_length=Length(field)).filter(_length__gt=LONG_TEXT).update(
            **{field: Concat(Substr(field, 1, LONG_TEXT - len(CUT)), Value(CUT))}
        )


def repair(apps, schema_editor):
    SurveyValue = apps.get_model("criteria", "SurveyValue")
    for model in (SurveyValue, apps.get_model("criteria", "HistoricalSurveyValue")):
        model.objects.filter(outside("value_number", NUMBERS)).update(
            value_number=None, verdict="unknown"
        )
    apps.get_model("criteria", "Indicator").objects.filter(outside("threshold", NUMBERS)).update(
        threshold=None
    )
    apps.get_model("criteria", "IndicatorThreshold").objects.filter(
        outside("threshold", NUMBERS)
    ).delete()
    Criterion = apps.get_model("criteria", "Criterion")
    for criterion in Criterion.objects.filter(outside("number", CRITERION_NUMBERS)):
        taken = set(
            Criterion.objects.filter(criteria_set=criterion.criteria_set_id).values_list(
                "number", flat=True
            )
        )
        criterion.number = min(set(range(1, 1000)) - taken)
        criterion.save(update_fields=["number"])
    CriteriaSet = apps.get_model("criteria", "CriteriaSet")
    for criteria_set in CriteriaSet.objects.filter(
        outside("period_start", YEARS) | outside("period_end", YEARS)
    ):
        start = min(max(criteria_set.period_start, YEARS[0]), YEARS[1])
        criteria_set.period_start = start
        criteria_set.period_end = min(max(criteria_set.period_end, start), YEARS[1])
        criteria_set.save(update_fields=["period_start", "period_end"])
    apps.get_model("criteria", "SurveyDeadline").objects.filter(outside("year", YEARS)).delete()
    apps.get_model("criteria", "Survey").objects.filter(
        outside("year", YEARS), recognitions__isnull=True
    ).delete()
    cut_long_texts(CriteriaSet, "note")
    cut_long_texts(apps.get_model("criteria", "Survey"), "note")
    cut_long_texts(apps.get_model("criteria", "SurveyTransition"), "reason")


class Migration(migrations.Migration):
    dependencies = [("criteria", "0006_survey_criterion_verdicts")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]

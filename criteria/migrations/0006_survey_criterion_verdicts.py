"""Each survey keeps the verdict of every criterion beside its totals, so that reports read one
row per village instead of every value. The existing surveys are filled in from their values."""

from collections import defaultdict

from django.db import migrations, models

from criteria.verdicts import criterion_verdict

BATCH = 1000


def fill_in(apps, schema_editor):
    Survey = apps.get_model("criteria", "Survey")
    Criterion = apps.get_model("criteria", "Criterion")
    SurveyValue = apps.get_model("criteria", "SurveyValue")
    criteria_of = defaultdict(list)
    for pk, set_id in Criterion.objects.values_list("pk", "criteria_set_id"):
        criteria_of[set_id].append(pk)
    surveys = Survey.objects.order_by("pk").only("pk", "criteria_set_id")
    for start in range(0, surveys.count(), BATCH):
        batch = list(surveys[start : start + BATCH])
        found = defaultdict(lambda: defaultdict(list))
        for survey_id, criterion_id, verdict in SurveyValue.objects.filter(
            survey__in=[s.pk for s in batch]
        ).values_list("survey_id", "indicator__criterion_id", "verdict"):
            found[survey_id][criterion_id].append(verdict)
        for survey in batch:
            by_criterion = found[survey.pk]
            survey.criterion_verdicts = {
                str(c): criterion_verdict(by_criterion.get(c, []))
                for c in criteria_of[survey.criteria_set_id]
            }
        Survey.objects.bulk_update(batch, ["criterion_verdicts"])


class Migration(migrations.Migration):
    dependencies = [
        ("criteria", "0005_survey_year_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="survey",
            name="criterion_verdicts",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="Criterion id → verdict, kept with the totals whenever the values change.",
                verbose_name="verdict of each criterion",
            ),
        ),
        migrations.RunPython(fill_in, migrations.RunPython.noop),
    ]

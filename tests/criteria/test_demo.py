from io import StringIO

from django.core.management import call_command

from criteria.models import Survey
from dankhoeo.demo import criteria as demo


def test_without_demo_villages_it_does_nothing(db):
    assert demo.seed() == demo.SeedResult(0, 0)
    assert not Survey.objects.exists()


class TestAfterSeedDemo:
    """Each test starts where one run of seed_demo on a fresh database left it (``demo_data``,
    run once for the class)."""

    def test_the_demo_surveys_match_the_reported_scores_and_seeding_twice_changes_nothing(
        self, demo_data, db
    ):
        surveys = Survey.objects.filter(is_demo=True)
        assert surveys.exists()
        assert not Survey.objects.filter(is_demo=False).exists()
        xanh = surveys.get(village__name="Đăk Xanh", year=2023)
        assert (xanh.criteria_met, xanh.criteria_count) == (9, 10)
        assert surveys.get(village__name="Dục Lang", year=2023).criteria_met == 7
        statuses_2025 = set(surveys.filter(year=2025).values_list("status", flat=True))
        assert statuses_2025 == {"draft", "submitted", "confirmed", "approved"}
        old = surveys.filter(year__lt=2025)
        assert old.filter(status="approved").count() > old.count() * 0.8
        before = list(Survey.objects.order_by("pk").values())
        out = StringIO()
        call_command("seed_demo", stdout=out)
        assert list(Survey.objects.order_by("pk").values()) == before
        assert "Demo surveys (marked as demo data): 0 created" in out.getvalue()

    def test_the_demo_trend_climbs_a_few_villages_reaching_the_standard_before_2025(
        self, demo_data, db
    ):
        approved = Survey.objects.filter(is_demo=True, status="approved", reaches_standard=True)
        reaching = [approved.filter(year=year).count() for year in demo.YEARS]
        assert reaching[0] == 0 < reaching[1] < reaching[2] < reaching[3], reaching
        villages = Survey.objects.filter(is_demo=True, year=2024).count()
        assert reaching[2] < villages / 3  # a few, not most

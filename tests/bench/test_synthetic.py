"""The synthetic country of dankhoeo/demo/synthetic.py and the pages' query counts at two of its
sizes: the numbers that the national-scale benchmark relies on."""

from urllib.parse import urlencode

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments.models import Plan
from criteria.models import Survey, SurveyValue
from dankhoeo.demo import synthetic
from reports import exporters
from tests.factories import make_village
from villages.models import AdminUnit, Village

pytestmark = pytest.mark.django_db

TINY = synthetic.SCALES["tiny"]
LARGER = synthetic.Shape(provinces=2, communes=10, villages=40, agencies_per_province=6)


def test_the_generator_writes_the_shape_asked_for_all_marked_synthetic():
    result = synthetic.generate(TINY)
    assert result.villages == Village.objects.count() == TINY.villages
    assert not Village.objects.filter(is_demo=False).exists()
    units = AdminUnit.objects.filter(note=synthetic.SYNTHETIC_NOTE)
    assert units.filter(level="province").count() == TINY.provinces
    assert units.filter(level="commune").count() == TINY.communes
    assert Plan.objects.filter(is_demo=True).count() == TINY.provinces
    assert not Survey.objects.filter(is_demo=False).exists()
    # five years per village, the last one with every state and some not started
    assert set(Survey.objects.values_list("year", flat=True)) == set(TINY.years)
    assert Survey.objects.filter(status="approved").count() > Survey.objects.count() * 0.7
    indicators = SurveyValue.objects.values("indicator").distinct().count()
    assert SurveyValue.objects.count() == Survey.objects.count() * indicators == result.values


def test_the_verdicts_agree_with_the_survey_totals():
    synthetic.generate(TINY)
    for survey in Survey.objects.all()[:20]:
        met_indicators = survey.values.filter(verdict="met").values("indicator__criterion")
        assert met_indicators.distinct().count() == survey.criteria_met


def test_it_refuses_a_database_with_real_villages_unless_told():
    make_village("Thôn thật")
    with pytest.raises(CommandError, match="neither demo nor synthetic"):
        call_command("generate_country", "--scale", "tiny")
    assert not synthetic.synthetic_villages().exists()
    call_command("generate_country", "--scale", "tiny", "--yes")
    assert synthetic.synthetic_villages().count() == TINY.villages


def test_it_does_not_write_a_second_country_over_the_first():
    synthetic.generate(TINY)
    with pytest.raises(synthetic.SyntheticDataError):
        synthetic.generate(LARGER)
    assert Village.objects.count() == TINY.villages


def pages() -> dict[str, str]:
    plan = Plan.objects.get(number="SYN01-KH/TU")
    village = (
        plan.villages.filter(surveys__year=2025, surveys__status="approved")
        .order_by("code")
        .first()
    )
    survey = Survey.objects.get(village=village, year=2025)
    return {
        "village list": reverse("villages:list"),
        "survey list": reverse("criteria:surveys") + "?year=2025",
        "dashboard": reverse("reports:dashboard")
        + "?"
        + urlencode({"plan": plan.number, "year": 2025}),
        "village page": reverse("villages:detail", args=[village.pk]),
        "survey page": reverse("criteria:survey", args=[survey.pk]),
    }


def query_counts(client, shape) -> dict[str, int]:
    """The queries of each page over a country of this shape, which is then rolled back."""
    counts = {}
    with transaction.atomic():
        synthetic.generate(shape)
        for name, url in pages().items():
            client.get(url)  # warm the session and content types
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, name
            counts[name] = len(queries)
        transaction.set_rollback(True)
    return counts


def test_the_pages_make_as_many_queries_for_a_larger_country(client_for, staff):
    client = client_for(staff)
    small = query_counts(client, TINY)
    assert not Village.objects.exists()
    larger = query_counts(client, LARGER)
    assert larger == small


def test_the_summary_counted_by_the_database_agrees_with_the_village_rows():
    """The dashboard's numbers (summarise: SQL aggregates) and the report's rows (one per
    village) are two readings of the same surveys: every total and group must agree."""
    synthetic.generate(LARGER)
    plan = Plan.objects.get(number="SYN01-KH/TU")
    for approved_only in (True, False):
        params = exporters.resolve(plan=plan.number, year=2025, scope="", user=None)
        report = exporters.gather_for(params, approved_only=approved_only)
        rows = report.rows
        assert report.totals.villages == len(rows) == plan.villages.count()
        this = [r.this_year for r in rows if r.this_year]
        approved = [facts for facts in this if facts.approved]
        assert report.totals.surveyed == len(this)
        assert report.totals.approved == len(approved) > 0
        assert report.totals.pending == len(this) - len(approved)
        assert report.totals.reaching == sum(f.reaches_standard for f in approved)
        assert report.totals.submitted == sum(f.status != "draft" for f in this)
        last = [r.last_year for r in rows if r.last_year and r.last_year.approved]
        assert report.totals.reaching_last_year == sum(f.reaches_standard for f in last)
        for groups, label_of in (
            (report.by_commune, lambda r: r.commune_now.name),
            (report.by_agency, lambda r: r.lead_agency),
        ):
            recount = {}
            for row in rows:
                count = recount.setdefault(label_of(row), [0, 0, 0, 0])
                count[0] += 1
                if row.this_year and row.this_year.approved:
                    count[1] += 1
                    count[2] += row.this_year.reaches_standard
                    count[3] += row.this_year.met
            assert len(groups) > 1
            assert {g.label: [g.villages, g.approved, g.reaching, g.met_sum] for g in groups} == (
                recount
            )

"""How long the whole-plan yearly review takes as PDF, against WeasyPrint's own time for the
same finished HTML (the floor), at 57 villages and at 10× that.

    make bench                      # SQLite in memory
    DATABASE_URL=postgres://... make bench

Data is generated here with bulk inserts into a throwaway test database. The report prints,
for each size, the median of a few runs: the full render (gather + template + PDF), the floor
(HTML → PDF only), the time of gathering and templating alone and its share of the floor (the
overhead; target: under 50 %; measured apart because on a busy machine total − floor is mostly
noise), and the number of queries (which must not grow with the villages; a test pins it:
tests/reports/test_gathering.py).
"""

import datetime
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dankhoeo.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import translation  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "57,570").split(",")]
RUNS = 3


def build(size: int, tag: str):
    """A plan with `size` villages, each with two approved surveys, resources, a team of five,
    proposals, and a model for every third village."""
    from assignments.models import (
        Agency,
        Assignment,
        DvkModel,
        Plan,
        Proposal,
        Resource,
        ResourceSource,
        SupportTeam,
        TeamMember,
    )
    from criteria.models import CriteriaSet, Criterion, Indicator, Survey, SurveyValue
    from dankhoeo import vietnamese
    from villages.models import AdminUnit, Village

    criteria_set = CriteriaSet.objects.create(
        code=f"BENCH{tag}",
        name="Bench",
        legal_basis="Bench",
        scope="village",
        period_start=2022,
        period_end=2025,
    )
    criteria = Criterion.objects.bulk_create(
        Criterion(criteria_set=criteria_set, number=n, name=f"Tiêu chí {n}") for n in range(1, 11)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(criterion=c, code=f"{c.number}.{k}", name="Chỉ tiêu", value_type="boolean")
        for c in criteria
        for k in (1, 2)
    )
    plan = Plan.objects.create(
        number=f"{tag}-KH/TU",
        title="Bench",
        issuer="Tỉnh ủy Kon Tum",
        period_start=2021,
        period_end=2025,
        criteria_set=criteria_set,
    )
    communes = list(AdminUnit.objects.communes().filter(valid_from__isnull=True))
    agencies = Agency.objects.bulk_create(
        Agency(code=f"{tag}A{n}", name=f"Cơ quan {n}") for n in range(max(size // 3, 1))
    )
    villages = []
    for n in range(size):
        village = Village(code=f"{tag}V{n}", name=f"Thôn {n}", commune=communes[n % len(communes)])
        village.search_text = vietnamese.fold(village.name)
        village.sort_key = vietnamese.place_sort_key(village.name)
        villages.append(village)
    villages = Village.objects.bulk_create(villages)
    plan.villages.add(*villages)
    Assignment.objects.bulk_create(
        Assignment(plan=plan, agency=agencies[n % len(agencies)], village=v, role="lead")
        for n, v in enumerate(villages)
    )
    surveys = Survey.objects.bulk_create(
        Survey(
            village=v,
            year=year,
            criteria_set=criteria_set,
            status="approved",
            criteria_met=7 + (n + year) % 4,
            criteria_count=10,
            reaches_standard=(n + year) % 4 == 3,
            criterion_verdicts={
                str(c.pk): "met" if k < 7 + (n + year) % 4 else "not_met"
                for k, c in enumerate(criteria)
            },
        )
        for n, v in enumerate(villages)
        for year in (2024, 2025)
    )
    SurveyValue.objects.bulk_create(
        SurveyValue(survey=s, indicator=i, value_bool=True, verdict="met" if k % 5 else "not_met")
        for s in surveys
        for k, i in enumerate(indicators)
    )
    source = ResourceSource.objects.order_by("position").first()
    day = datetime.date(2025, 6, 1)
    Resource.objects.bulk_create(
        Resource(
            plan=plan,
            agency=agencies[n % len(agencies)],
            village=v,
            source=source,
            kind=kind,
            amount=amount,
            received_on=day,
        )
        for n, v in enumerate(villages)
        for kind, amount in (("cash", 12_500_000), ("goods", 3_000_000), ("work_days", 40))
    )
    teams = SupportTeam.objects.bulk_create(SupportTeam(plan=plan, village=v) for v in villages)
    TeamMember.objects.bulk_create(
        TeamMember(team=t, full_name=f"Thành viên {k}", role="leader" if k == 0 else "member")
        for t in teams
        for k in range(5)
    )
    facts = dict.fromkeys(DvkModel.FACT_FIELDS, "…")
    DvkModel.objects.bulk_create(
        DvkModel(
            plan=plan,
            agency=agencies[n % len(agencies)],
            village=v,
            name=f"Mô hình {n}",
            field="economy",
            registered_on=day,
            **facts,
        )
        for n, v in enumerate(villages)
        if n % 3 == 0
    )
    Proposal.objects.bulk_create(
        Proposal(
            plan=plan,
            agency=agencies[n % len(agencies)],
            village=v,
            title="Kiến nghị",
            content="Nội dung kiến nghị",
            raised_on=day,
            addressed_to="commune",
        )
        for n, v in enumerate(villages)
        for _k in range(2)
    )
    return plan


def median_time(function, runs=RUNS) -> float:
    times = []
    for _run in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(plan) -> dict:
    from reports import exporters, pdf

    params = exporters.resolve(plan=plan.number, year=2025, scope="", user=None)
    exporter = exporters.EXPORTERS["review-pdf"]
    pdf.font_dir()  # the merged fonts are made once per machine, not per report
    with CaptureQueriesContext(connection) as queries:
        html = exporters.review_html(params)
    runs = RUNS if plan.villages.count() < 100 else 1
    gather = median_time(lambda: exporters.review_html(params), runs)
    floor = median_time(lambda: pdf.html_to_pdf(html), runs)
    total = median_time(lambda: exporter.render(params), runs)
    print(f"  {plan.villages.count()} villages: {len(html) // 1024} KiB of HTML", flush=True)
    return {"total": total, "floor": floor, "html": gather, "queries": len(queries)}


def main() -> int:
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.disable(logging.INFO)
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with translation.override("vi"):
            results = {size: measure(build(size, f"B{size}")) for size in SIZES}
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
    print(
        f"{'villages':>8} {'total s':>8} {'floor s':>8} {'gather+html s':>14} "
        f"{'overhead':>9} {'queries':>8}"
    )
    for size, r in results.items():
        overhead = (r["total"] - r["floor"]) / r["floor"]
        print(
            f"{size:>8} {r['total']:>8.2f} {r['floor']:>8.2f} {r['html']:>14.2f} "
            f"{overhead:>8.0%} {r['queries']:>8}"
        )
    small, large = results[SIZES[0]], results[SIZES[-1]]
    print(
        f"growth ×{SIZES[-1] // SIZES[0]} villages: total ×{large['total'] / small['total']:.1f}, "
        f"floor ×{large['floor'] / small['floor']:.1f}; queries {small['queries']} → "
        f"{large['queries']}"
    )
    worst = max(r["html"] / r["floor"] for r in results.values())
    print(
        f"ratio (total / floor) at {SIZES[0]} villages: {small['total'] / small['floor']:.2f}; "
        f"target overhead < 50 %: {'met' if worst < 0.5 else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

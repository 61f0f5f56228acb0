"""Run by bench/load.py inside Django, against the benchmark database named by DATABASE_URL:
creates (or resets) the bench staff account, picks the pages the workload visits, counts the
queries each page makes in-process, and prints all that as JSON on stdout.

    BENCH_PASSWORD=... BENCH_PLAN=133-KH/TU python bench/probe.py
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dankhoeo.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from assignments.models import Plan  # noqa: E402
from criteria.models import Survey  # noqa: E402
from dankhoeo.models import User  # noqa: E402
from reports import caching  # noqa: E402
from reports.models import ReportFile  # noqa: E402

USERNAME = "bench.staff"


def bench_user(password: str) -> User:
    user, _created = User.objects.get_or_create(
        username=USERNAME,
        defaults={"role": User.Role.STAFF, "first_name": "Bench", "last_name": "(benchmark)"},
    )
    user.role = User.Role.STAFF
    user.is_active = True
    user.set_password(password)
    user.save()
    return user


def pages(plan: Plan) -> dict[str, str]:
    """The pages measured: a village of the plan in the middle of its list, with an approved
    survey in the plan's last year, and that survey; /healthz beside them (bench/load.py adds
    Django's floor)."""
    year = plan.period_end
    villages = plan.villages.filter(
        surveys__year=year, surveys__status=Survey.Status.APPROVED
    ).order_by("code")
    village = villages[villages.count() // 2]
    survey = Survey.objects.get(village=village, year=year, status=Survey.Status.APPROVED)
    query = urlencode({"plan": plan.number, "year": year})

    def export(name: str) -> str:
        return f"{reverse('reports:export', args=[name])}?{query}"

    return {
        "healthz": reverse("healthz"),
        "dashboard": f"{reverse('reports:dashboard')}?{query}",
        "board": reverse("assignments:board", args=[plan.pk]),
        "review page": f"{reverse('reports:review')}?{query}",
        "village list": reverse("villages:list"),
        "survey list": f"{reverse('criteria:surveys')}?year={year}",
        "village page": reverse("villages:detail", args=[village.pk]),
        "survey page": reverse("criteria:survey", args=[survey.pk]),
        "review pdf": export("review-pdf"),
        "review docx": export("review-docx"),
        "review xlsx": export("review-xlsx"),
        "dashboard xlsx": export("dashboard-xlsx"),
    }


CACHED = ("dashboard", "review page")  # also measured with the cache emptied


def query_counts(user: User, urls: dict[str, str]) -> tuple[dict, dict, list]:
    """Each page's queries (the second visit: warm, from the cache when it has one); for the
    cached pages, also their queries and in-process time right after the figures changed
    (median of 5)."""
    client = Client()
    client.force_login(user)
    counts, cold, queued = {}, {}, []
    for name, url in urls.items():
        client.get(url)  # warm: session, content types, translations
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        if status not in (200, 302):
            raise SystemExit(f"{name} {url} answered {status} in-process")
        counts[name] = len(queries)
        if status == 302:  # a large file: the request puts it in the queue (reports/jobs.py)
            queued.append(name)
        if name in CACHED:
            times = []
            for _ in range(5):
                caching.bump()
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    client.get(url)
                times.append(time.perf_counter() - started)
            cold[name] = {"ms": statistics.median(times) * 1000, "queries": len(queries)}
            client.get(url)  # leave it cached for the server
    ReportFile.objects.all().delete()  # requests of large files made while counting
    return counts, cold, queued


def main() -> None:
    setup_test_environment()  # lets the in-process client use the host name "testserver"
    user = bench_user(os.environ["BENCH_PASSWORD"])
    plan = Plan.objects.get(number=os.environ["BENCH_PLAN"])
    urls = pages(plan)
    counts, cold, queued = query_counts(user, urls)
    json.dump(
        {
            "username": USERNAME,
            "urls": urls,
            "queries": counts,
            "cold": cold,
            "queued": queued,
            "villages": plan.villages.count(),
            "all_villages": plan.villages.model.objects.count(),
            "surveys": Survey.objects.count(),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()

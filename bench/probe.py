"""Run by bench/load.py inside Django, against the benchmark database named by DATABASE_URL:
creates (or resets) the bench staff account, picks the pages the workload visits, counts the
queries each page makes in-process, and prints all that as JSON on stdout.

    BENCH_PASSWORD=... BENCH_PLAN=133-KH/TU python bench/probe.py
"""

import json
import os
import sys
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
    """The workload's pages: a village of the plan in the middle of its list, with an approved
    survey in the plan's last year, and that survey."""
    year = plan.period_end
    villages = plan.villages.filter(
        surveys__year=year, surveys__status=Survey.Status.APPROVED
    ).order_by("code")
    village = villages[villages.count() // 2]
    survey = Survey.objects.get(village=village, year=year, status=Survey.Status.APPROVED)
    query = urlencode({"plan": plan.number, "year": year})
    return {
        "floor": reverse("healthz"),
        "dashboard": f"{reverse('reports:dashboard')}?{query}",
        "village list": reverse("villages:list"),
        "survey list": f"{reverse('criteria:surveys')}?year={year}",
        "village page": reverse("villages:detail", args=[village.pk]),
        "survey page": reverse("criteria:survey", args=[survey.pk]),
        "report xlsx": f"{reverse('reports:export', args=['dashboard-xlsx'])}?{query}",
    }


def query_counts(user: User, urls: dict[str, str]) -> dict[str, int]:
    client = Client()
    client.force_login(user)
    counts = {}
    for name, url in urls.items():
        client.get(url)  # warm: session, content types, translations
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        if status != 200:
            raise SystemExit(f"{name} {url} answered {status} in-process")
        counts[name] = len(queries)
    return counts


def main() -> None:
    setup_test_environment()  # lets the in-process client use the host name "testserver"
    user = bench_user(os.environ["BENCH_PASSWORD"])
    plan = Plan.objects.get(number=os.environ["BENCH_PLAN"])
    urls = pages(plan)
    counts = query_counts(user, urls)
    json.dump(
        {
            "username": USERNAME,
            "urls": urls,
            "queries": counts,
            "villages": plan.villages.count(),
            "all_villages": plan.villages.model.objects.count(),
            "surveys": Survey.objects.count(),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()

"""Run by bench/load.py inside Django, against the benchmark database named by DATABASE_URL:
the yearly review as a file made by the queue (reports/jobs.py), timed from the request to the
finished file. The job runs here, in this process, as the worker would run it
(``make_report_file.call``); it prints as JSON its wall and CPU time (the child process that
renders a long PDF included), where they went (the gathering, the HTML, WeasyPrint) and each
step of the progress bar with the second it was reached. The file is removed afterwards.

    BENCH_PLAN=SYN17-KH/TU BENCH_EXPORTER=review-pdf python bench/job.py
"""

import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dankhoeo.settings")

import django

if __name__ == "__main__":
    django.setup()

from assignments.models import Plan
from dankhoeo.models import User
from reports import caching, exporters, jobs, pdf
from reports.models import ReportFile

USERNAME = "bench.staff"  # made by bench/probe.py


def cpu_time() -> float:
    """CPU seconds of this process and of its children that have ended (a long PDF is made by a
    child process: reports/pdf.py)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(spent: dict, name: str, function):
    """``function`` wrapped to add its wall and CPU seconds to ``spent[name]``."""

    def wrapper(*args, **kwargs):
        wall, cpu = time.perf_counter(), cpu_time()
        try:
            return function(*args, **kwargs)
        finally:
            total = spent.setdefault(name, [0.0, 0.0])
            total[0] += time.perf_counter() - wall
            total[1] += cpu_time() - cpu

    return wrapper


def measure(plan: Plan, user: User, exporter: str = "review-pdf") -> dict:
    """The file of ``exporter`` for the plan's last year made by the job, timed; the file and
    its request removed afterwards."""
    job = ReportFile.objects.create(
        user=user, exporter=exporter, query={"plan": plan.number, "year": plan.period_end}
    )
    caching.bump()  # gathered afresh, as right after an approval
    steps: list[tuple[int, float]] = []
    spent: dict[str, list[float]] = {}
    started = time.perf_counter()
    progress = jobs._progress

    def record(job_, percent, *args, **kwargs):
        if not steps or steps[-1][0] != percent:
            steps.append((percent, round(time.perf_counter() - started, 1)))
        return progress(job_, percent, *args, **kwargs)

    patched = [
        (jobs, "_progress", record),
        (exporters, "gather", timed(spent, "gathering", exporters.gather)),
        (exporters, "render_to_string", timed(spent, "HTML", exporters.render_to_string)),
        (pdf, "html_to_pdf", timed(spent, "WeasyPrint", pdf.html_to_pdf)),
    ]
    originals = [(module, name, getattr(module, name)) for module, name, _new in patched]
    for module, name, new in patched:
        setattr(module, name, new)
    cpu = cpu_time()
    try:
        jobs.make_report_file.call(str(job.pk))
    finally:
        for module, name, original in originals:
            setattr(module, name, original)
    wall, cpu = time.perf_counter() - started, cpu_time() - cpu
    job.refresh_from_db()
    if not steps or steps[-1][0] != job.progress:  # ready (100 %) is saved with the file
        steps.append((job.progress, round(wall, 1)))
    size = job.file.size if job.file else 0
    if job.file:
        job.file.delete(save=False)
    job.delete()
    return {
        "exporter": exporter,
        "status": job.status,
        "wall": round(wall, 1),
        "cpu": round(cpu, 1),
        "bytes": size,
        "parts": {name: [round(w, 1), round(c, 1)] for name, (w, c) in spent.items()},
        "progress": steps,
    }


def main() -> None:
    plan = Plan.objects.get(number=os.environ["BENCH_PLAN"])
    user = User.objects.get(username=USERNAME)
    json.dump(measure(plan, user, os.environ.get("BENCH_EXPORTER", "review-pdf")), sys.stdout)


if __name__ == "__main__":
    main()

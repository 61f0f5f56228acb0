"""bench/load.py reads wrk's own output: the numbers it prints must come from it."""

import math

import pytest

from bench import load
from reports.models import ReportFile
from tests.reports.conftest import build_known

# As Debian's wrk 4.1 prints it with --latency: a unit of one letter ("s") is followed by a
# space that wrk pads the column with.
SLOW_PAGE = "\n".join(
    [
        "Running 8s test @ http://127.0.0.1:40000/reports/review/",
        "  2 threads and 8 connections",
        "  Thread Stats   Avg      Stdev     Max   +/- Stdev",
        "    Latency     1.43s   210.12ms   1.98s    70.00%",
        "    Req/Sec     2.10      1.20     5.00     80.00%",
        "  Latency Distribution",
        "     50%    1.40s ",
        "     75%    1.55s ",
        "     90%    1.80s ",
        "     99%    1.98s ",
        "  40 requests in 8.02s, 1.20MB read",
        "Requests/sec:      4.99",
        "Transfer/sec:    153.20KB",
    ]
)

FAST_PAGE = """  Latency Distribution
     50%  364.12ms
     75%  401.00ms
     90%  450.33ms
     99%  920.50us
  120 requests in 8.00s, 9.20MB read
Requests/sec:     15.00
"""


def test_wrk_percentiles_are_read_whatever_their_unit():
    assert load.latency_percentiles(SLOW_PAGE) == {"50": 1400.0, "99": 1980.0}
    found = load.latency_percentiles(FAST_PAGE)
    assert found["50"] == 364.12
    assert math.isclose(found["99"], 0.9205)


def test_a_run_in_which_no_request_finished_has_no_latency(monkeypatch):
    none_finished = """  Latency Distribution
     50%    0.00us
     99%    0.00us
  0 requests in 8.00s, 0.00B read
Requests/sec:      0.00
"""

    class Done:
        stdout = none_finished

    monkeypatch.setattr(load.subprocess, "run", lambda *a, **k: Done())
    result = load.wrk(1, "/", {})
    assert result["rps"] == 0
    assert math.isnan(result["p50"]) and math.isnan(result["p99"])


def test_each_scale_has_its_targets():
    assert load.target("province", "dashboard", 14.0, False) == "met (< 15 ms)"
    assert load.target("province", "board", 30.0, False) == "MISSED (< 25 ms)"
    assert load.target("syn17", "review pdf", 40.0, True) == "met (< 100 ms, job queued)"
    assert load.target("country", "village list", 310.0, False) == "MISSED (< 300 ms)"
    assert load.target("province", "review docx", 900.0, False).startswith("(a file")


@pytest.fixture
def known(db):
    return build_known()


def test_the_review_job_is_timed_from_request_to_file(known, staff):
    """bench/job.py makes the review as the queue does and says where the time went."""
    from bench import job

    found = job.measure(known.plan, staff)
    assert found["status"] == "ready" and found["bytes"] > 1000
    assert set(found["parts"]) == {"gathering", "HTML", "WeasyPrint"}
    percents = [percent for percent, _second in found["progress"]]
    assert percents == sorted(percents) and percents[0] == 5 and percents[-1] == 100
    assert not ReportFile.objects.exists()  # the request and its file removed


def test_the_job_line_states_the_target():
    timed = {
        "status": "ready",
        "wall": 75.0,
        "cpu": 50.0,
        "bytes": 2048,
        "parts": {"gathering": [3.0, 2.0], "HTML": [2.0, 1.5], "WeasyPrint": [70.0, 46.0]},
        "progress": [[5, 0.1], [25, 3.0], [100, 75.0]],
        "loads": ["9.0 8.0 7.0", "10.0 9.0 8.0"],
    }
    first, parts, steps = load.job_lines(timed)
    assert "75.0 s wall, 50.0 s CPU" in first and first.endswith("MISSED (< 60 s)")
    assert "WeasyPrint 70.0 s (46.0 s CPU)" in parts and "25% at 3.0 s" in steps
    assert load.job_lines({**timed, "wall": 59.0})[0].endswith("met (< 60 s)")

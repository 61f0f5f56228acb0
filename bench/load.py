"""`make bench`: each page's service time against Django's own floor, on PostgreSQL, at three
scales: province (the 57 demo villages), SYN17 (a merged province of 1,746 villages, written
alone by ``generate_country --scale national --province 17``) and country (the whole synthetic
country of 60,000 villages, dankhoeo/demo/synthetic.py: the pages of plan SYN17 again, while
the staff account's village and survey lists cover every village).

    make bench
    .ci/with-postgres .venv/bin/python bench/load.py [--scale province|syn17|country] [--quick]

For each scale: a database of its own on the server of DATABASE_URL (dk_bench_province,
dk_bench_syn17, dk_bench_national; created, migrated and filled the first time, reused
afterwards), a bench staff account, each page's query count measured in-process
(bench/probe.py; for the cached dashboard and review page also right after the figures
changed). Then two gunicorn servers with the same binary and options (WORKERS sync workers):
the app (DEBUG=0, production settings, no TLS redirect since there is no proxy) and Django's
floor (bench/floor_settings.py: one view, no middleware, no database). For every page, /healthz
and the floor: the sequential service time (median of SEQUENTIAL requests one at a time, after
two to warm up), then wrk (Debian package; WRK_THREADS threads, WRK_CONNECTIONS connections,
WRK_SECONDS s, --latency) for the throughput and p50/p99. It prints each page's ratio to the
floor and to /healthz, the targets of issue 15 met or missed and the machine's load average
(the tables are also written to test-artifacts/bench-load.txt); it never fails the build.
At SYN17 and country scale, once the servers are stopped, the review PDF is also made as the
queue makes it (bench/job.py, in-process, gathered afresh): its wall and CPU time from the
request to the file, where they went (gathering, HTML, WeasyPrint) and the progress bar's
steps, against issue 15's 60 s.
``--quick`` (for checking the bench itself): medians of 5, one file request, wrk for 3 s,
without the Word and Excel files, nor the job (``--job`` adds it). The servers are always
stopped.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
WRK = shutil.which("wrk") or "/usr/bin/wrk"
HOST = "127.0.0.1"
WORKERS = 2
TIMEOUT = 120
SEQUENTIAL = 15
SEQUENTIAL_FILES = 5  # a review PDF takes seconds: the median of 5
WRK_THREADS, WRK_CONNECTIONS, WRK_SECONDS = 2, 8, 8
QUICK = {"SEQUENTIAL": 5, "SEQUENTIAL_FILES": 1, "WRK_SECONDS": 3}
SCALES = {
    # scale: (database, plan whose pages are visited, generate_country's arguments, what it is)
    "province": ("dk_bench_province", "133-KH/TU", ["--scale", "province"], "province"),
    "syn17": (
        "dk_bench_syn17",
        "SYN17-KH/TU",
        ["--scale", "national", "--province", "17"],
        "merged province SYN17 alone",
    ),
    "country": ("dk_bench_national", "SYN17-KH/TU", ["--scale", "national"], "whole country"),
}
FILES = ("review pdf", "review docx", "review xlsx", "dashboard xlsx")
QUICK_SKIPS = ("review docx", "review xlsx", "dashboard xlsx")
RESULTS = ROOT / "test-artifacts" / "bench-load.txt"
JOB = False  # --job: the review PDF as a job in a quick run too (a full run always makes it)
JOB_LIMIT = 60  # s: issue 15's target for the review of SYN17's 1,746 villages as a job


def database_url(name: str) -> str:
    """The server of DATABASE_URL (default: 127.0.0.1:5432) with the database ``name``."""
    given = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/x")
    if not given.scheme.startswith("postgres"):
        raise SystemExit("bench/load.py needs PostgreSQL: set DATABASE_URL=postgres://...")
    return urlunsplit((given.scheme, given.netloc, f"/{name}", "", ""))


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    name = parts.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def production_env(url: str) -> dict:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789-abcdefghij",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": url,
        "DB_CONN_MAX_AGE": "60",
        "ALLOWED_HOSTS": HOST,
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own programs and arguments
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# HTTP ---------------------------------------------------------------------------------------


def request(port: int, method: str, path: str, cookies: dict, body: dict | None = None):
    """One request on a new connection (gunicorn's sync workers close each one)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    headers = {"Host": HOST}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    data = None
    if body is not None:
        data = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        content = response.read()
        return response.status, response.headers, content
    finally:
        connection.close()


def set_cookies(headers, cookies: dict) -> None:
    for header in headers.get_all("Set-Cookie") or []:
        for key, morsel in SimpleCookie(header).items():
            cookies[key] = morsel.value


def log_in(port: int, username: str, password: str) -> dict:
    cookies: dict = {}
    status, headers, content = request(port, "GET", "/login/", cookies)
    set_cookies(headers, cookies)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    if status != 200 or token is None:
        raise SystemExit(f"login page answered {status}")
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token[1].decode()}
    status, headers, _ = request(port, "POST", "/login/", cookies, form)
    set_cookies(headers, cookies)
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"login failed: {status}")
    return cookies


def _attempt(measure, *args, **kwargs):
    """A measurement, or NaN (and the reason printed) when the server did not answer in time:
    one page must not lose the others' numbers."""
    try:
        return measure(*args, **kwargs)
    except (OSError, SystemExit, subprocess.CalledProcessError) as error:
        print(f"  {args[1]}: {error!r}", flush=True)
        nan = float("nan")
        return nan if measure is sequential else {"rps": nan, "p50": nan, "p99": nan, "errors": -1}


def sequential(port: int, path: str, cookies: dict, files: bool = False) -> float:
    """The median service time in ms of SEQUENTIAL requests one at a time (two to warm up);
    of SEQUENTIAL_FILES for a file."""
    times = []
    for n in range((SEQUENTIAL_FILES if files else SEQUENTIAL) + 2):
        started = time.perf_counter()
        status = request(port, "GET", path, cookies)[0]
        if status not in (200, 302):
            raise SystemExit(f"{path} answered {status}")
        if n >= 2:
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


_UNITS_MS = {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}

# wrk --latency prints "     50%  364.12ms" and pads a one-letter unit with a space after it
# ("     99%    1.20s "): the line may end in blanks.
_PERCENTILE = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)


def latency_percentiles(out: str) -> dict[str, float]:
    """wrk's 50th and 99th percentiles in ms, from its latency distribution."""
    return {p: float(number) * _UNITS_MS[unit] for p, number, unit in _PERCENTILE.findall(out)}


def wrk(port: int, path: str, cookies: dict) -> dict:
    """Throughput and latency under wrk (Debian's package) with WRK_CONNECTIONS connections."""
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    done = subprocess.run(  # noqa: S603 - our own arguments
        [
            WRK,
            f"-t{WRK_THREADS}",
            f"-c{WRK_CONNECTIONS}",
            f"-d{WRK_SECONDS}s",
            f"--timeout={TIMEOUT}s",
            "--latency",
            *(["-H", f"Cookie: {cookie}"] if cookie else []),
            f"http://{HOST}:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout
    latency = latency_percentiles(out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*?timeout (\d+)", out)
    finished = int(re.search(r"(\d+) requests in", out)[1])
    if not finished:  # wrk then prints a distribution of zeros
        latency = {}
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50": latency.get("50", float("nan")),
        "p99": latency.get("99", float("nan")),
        "errors": (int(bad[1]) if bad else 0) + (int(errors[1]) if errors else 0),
    }


def drain(port: int, seq_ms: float) -> None:
    """Wait until the requests that wrk left queued in gunicorn are served, so that they are
    not counted against the next page: a request queued behind them answers when the last
    of them is taken up, and the one still being served ends within about its service time.
    (The floor's server answers 404 to /healthz, after its queue as well.)"""
    try:
        request(port, "GET", "/healthz", {})
    except OSError:
        return
    time.sleep(min(seq_ms, 30_000) / 1000 if seq_ms == seq_ms else 1)  # NaN: a second


# Server -------------------------------------------------------------------------------------


class Server:
    """gunicorn in a process group of its own, always stopped (also on Ctrl+C or TERM)."""

    def __init__(self, env: dict, port: int, app: str = "dankhoeo.wsgi"):
        self.process = subprocess.Popen(  # noqa: S603 - our own programs and arguments
            [
                GUNICORN,
                app,
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(WORKERS),
                "--timeout",
                str(TIMEOUT),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        self.port = port
        self.ready_path = "/floor" if app.startswith("bench.") else "/healthz"

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn exited at start")
            try:
                if request(self.port, "GET", self.ready_path, {})[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer {self.ready_path} within 60 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


# One scale ----------------------------------------------------------------------------------


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3]) if os.name == "posix" else "?"


def prepare(scale: str) -> tuple[dict, dict]:
    database, plan, generate, _what = SCALES[scale]
    url = database_url(database)
    ensure_database(url)
    env = production_env(url)
    manage(env, "migrate", "--noinput", "-v0")
    started = time.perf_counter()
    output = manage(env, "generate_country", *generate)
    print(f"[{scale}] data: {output.strip().splitlines()[-1] if output.strip() else 'ready'}")
    print(f"[{scale}] generate_country took {time.perf_counter() - started:.0f} s")
    password = secrets.token_urlsafe(24)
    probe = subprocess.run(  # noqa: S603 - our own programs and arguments
        [PY, "bench/probe.py"],
        cwd=ROOT,
        env={**env, "BENCH_PASSWORD": password, "BENCH_PLAN": plan},
        capture_output=True,
        text=True,
    )
    if probe.returncode:
        raise SystemExit(f"bench/probe.py failed:\n{probe.stdout}{probe.stderr}")
    facts = json.loads(probe.stdout)
    facts["password"] = password
    return env, facts


def run_scale(scale: str, quick: bool = False) -> dict:
    env, facts = prepare(scale)
    print(
        f"[{scale}] {facts['all_villages']} villages, {facts['surveys']} surveys; pages of plan "
        f"{SCALES[scale][1]} ({facts['villages']} villages)",
        flush=True,
    )
    app, floor = Server(env, free_port()), Server(env, free_port(), "bench.floor_wsgi")
    rows = {}
    loads = [load_average()]
    try:
        app.wait_ready()
        floor.wait_ready()
        cookies = log_in(app.port, facts["username"], facts["password"])
        targets = [("floor", floor.port, "/floor", {})]
        targets += [
            (name, app.port, url, cookies)
            for name, url in facts["urls"].items()
            if not (quick and name in QUICK_SKIPS)
        ]
        # Every sequential time first, then wrk (files last): a file's requests queued by wrk
        # keep the workers busy after it stops, and must not be counted in the next page's time.
        for name, port, path, jar in targets:
            rows[name] = {"seq": _attempt(sequential, port, path, jar, files=name in FILES)}
            print(f"[{scale}] {name}: {rows[name]['seq']:.1f} ms sequential", flush=True)
        loads.append(load_average())
        for name, port, path, jar in targets:
            rows[name].update(_attempt(wrk, port, path, jar))
            print(f"[{scale}] {name}: {rows[name]}", flush=True)
            drain(port, rows[name]["seq"])
        loads.append(load_average())
    finally:
        app.stop()
        floor.stop()
        manage(env, "shell", "-c", CLEAN_UP)
    job = None
    if scale != "province" and (JOB or not quick):
        job = review_job(env, scale)
    return {"facts": facts, "rows": rows, "loads": loads, "job": job}


def review_job(env: dict, scale: str) -> dict | None:
    """The review PDF made as the queue makes it (bench/job.py, in its own process, the
    servers stopped): wall and CPU time, where they went, the progress bar's steps."""
    print(f"[{scale}] the review PDF as a job …", flush=True)
    before = load_average()
    done = subprocess.run(  # noqa: S603 - our own programs and arguments
        [PY, "bench/job.py"],
        cwd=ROOT,
        env={**env, "BENCH_PLAN": SCALES[scale][1]},
        capture_output=True,
        text=True,
    )
    if done.returncode:
        print(f"  bench/job.py failed:\n{done.stdout}{done.stderr}", flush=True)
        return None
    return {**json.loads(done.stdout), "loads": [before, load_average()]}


def job_lines(job: dict) -> list[str]:
    parts = ", ".join(
        f"{name} {wall:.1f} s ({cpu:.1f} s CPU)" for name, (wall, cpu) in job["parts"].items()
    )
    steps = ", ".join(f"{percent}% at {second:.1f} s" for percent, second in job["progress"])
    met = "met" if job["wall"] < JOB_LIMIT and job["status"] == "ready" else "MISSED"
    return [
        f"review pdf as a job (bench/job.py, as the worker runs it; load average "
        f"{' → '.join(job['loads'])}): {job['status']}, {job['wall']:.1f} s wall, "
        f"{job['cpu']:.1f} s CPU, {job['bytes'] // 1024} KiB  {met} (< {JOB_LIMIT} s)",
        f"  of which {parts}",
        f"  progress: {steps}",
    ]


# The requests for large files that the load made (no worker runs here).
CLEAN_UP = (
    "from reports.models import ReportFile; from django_tasks_db.models import DBTaskResult; "
    "[f.file.delete(save=False) for f in ReportFile.objects.exclude(file='')]; "
    "ReportFile.objects.all().delete(); DBTaskResult.objects.all().delete()"
)

# The targets of issue 15 in ms, sequential, by scale: (default, {page: its own}).
LIMITS = {
    "province": (25, {"dashboard": 15, "review page": 15, "review pdf": 3000}),
    "syn17": (100, {}),
    "country": (300, {}),
}


def target(scale: str, name: str, seq: float, status_302: bool) -> str:
    """The target of issue 15 for this page, met or missed."""
    if name in ("floor", "healthz"):
        return ""
    default, own = LIMITS[scale]
    limit = own.get(name, default)
    if scale == "province" and name in FILES and name not in own:
        return "(a file at once: no target)"
    if seq != seq:  # NaN: no answer in time
        return f"MISSED (no answer within {TIMEOUT} s)"
    what = f"< {limit} ms" + (", job queued" if status_302 else "")
    return f"{'met' if seq < limit else 'MISSED'} ({what})"


def table(scale: str, result: dict, quick: bool) -> list[str]:
    rows, facts = result["rows"], result["facts"]
    floor, healthz = rows["floor"]["seq"], rows["healthz"]["seq"]
    lines = [
        f"{scale} scale ({SCALES[scale][3]}), plan {SCALES[scale][1]}: {facts['villages']} "
        f"villages of {facts['all_villages']} in the database; gunicorn {WORKERS} sync workers, "
        f"{os.cpu_count()} cores{', QUICK' if quick else ''}",
        f"sequential = median of {SEQUENTIAL} ({SEQUENTIAL_FILES} for files); "
        f"wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{WRK_SECONDS}s --latency; load average "
        f"{' → '.join(result['loads'])} (start → after sequential → after wrk)",
        f"{'page':<15}{'seq ms':>9}{'×floor':>8}{'×healthz':>9}{'req/s':>8}{'p50 ms':>9}"
        f"{'p99 ms':>9}{'errors':>7}{'queries':>8}  target",
    ]
    for name, row in rows.items():
        queries = facts["queries"].get(name, "")
        lines.append(
            f"{name:<15}{row['seq']:>9.1f}{row['seq'] / floor:>8.1f}"
            f"{row['seq'] / healthz:>9.1f}{row['rps']:>8.1f}{row['p50']:>9.1f}"
            f"{row['p99']:>9.1f}{row['errors']:>7}{queries!s:>8}  "
            f"{target(scale, name, row['seq'], name in facts['queued'])}".rstrip()
        )
    if result.get("job"):
        lines += job_lines(result["job"])
    for name, cold in facts["cold"].items():
        lines.append(
            f"{name} right after a change (cache emptied, in-process, median of 5): "
            f"{cold['ms']:.1f} ms, {cold['queries']} queries"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale",
        choices=list(SCALES),
        action="append",
        help="repeat for several; default: all three (country writes 60,000 villages the first "
        "time: minutes on an idle machine, most of an hour on a loaded one)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="check the bench itself: medians of 5, one request per file, wrk for 3 s, "
        "without the Word and Excel files",
    )
    parser.add_argument(
        "--job",
        action="store_true",
        help="with --quick: also time the review PDF made as a job at SYN17 and country scale",
    )
    parser.add_argument(
        "--no-collectstatic", action="store_true", help="the static files are collected already"
    )
    arguments = parser.parse_args()
    scales = arguments.scale or list(SCALES)
    if arguments.quick:
        globals().update(QUICK)
    globals()["JOB"] = arguments.job
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    if not arguments.no_collectstatic:
        print("collectstatic …")
        env = production_env(database_url(SCALES[scales[0]][0]))
        manage(env, "collectstatic", "--noinput", "-v0")
    lines = [
        f"Benchmark of {time.strftime('%Y-%m-%d %H:%M %Z')} (the load generator runs on the "
        "same cores as the servers)"
    ]
    for scale in scales:
        result = run_scale(scale, arguments.quick)
        lines += ["", *table(scale, result, arguments.quick)]
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text("\n".join(lines) + "\n")  # what is measured so far is kept
    print("\n" + "\n".join(lines))
    print(f"\n(written to {RESULTS.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

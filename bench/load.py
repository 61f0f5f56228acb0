"""Load benchmark: gunicorn with production settings on PostgreSQL, a bounded mixed workload
from this machine, at province scale (the 57 demo villages) and national scale (a synthetic
country of 60,000 villages, dankhoeo/demo/synthetic.py).

    make bench                                  # after the report benchmark
    .ci/with-postgres .venv/bin/python bench/load.py [--scale province|national]

For each scale: a database of its own on the server of DATABASE_URL (dk_bench_province,
dk_bench_national; created, migrated and filled the first time, reused afterwards: the national
country takes minutes to write), a bench staff account, the query count of each page measured
in-process, then gunicorn (DEBUG=0, a bench SECRET_KEY, no TLS redirect since there is no
proxy) on 127.0.0.1, a login through the login form, and THREADS clients that each visit every
page ROUNDS times in a shuffled order (bounded also by MAX_SECONDS). /healthz, which passes
through the same middleware (session included), is the floor. The server is always stopped.

Targets (printed, never failing the build): province scale: no errors and each page's p95
within 3× the floor's p95; national scale: dashboard and list pages p95 under 300 ms and the
same query counts as at province scale.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HOST = "127.0.0.1"
WORKERS = 3
THREADS = 4
ROUNDS = 40
MAX_SECONDS = 150
TIMEOUT = 60
SCALES = {
    # scale: (database, plan whose pages are visited)
    "province": ("dk_bench_province", "133-KH/TU"),
    "national": ("dk_bench_national", "SYN17-KH/TU"),
}
RATIO_TARGET = 3.0
NATIONAL_P95_MS = 300
NATIONAL_TARGETED = ("dashboard", "village list", "survey list")


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


@dataclass
class Samples:
    times: list[float] = field(default_factory=list)
    errors: int = 0


def workload(port: int, cookies: dict, urls: dict[str, str]) -> tuple[dict, float]:
    """THREADS clients, each visiting every page ROUNDS times in a shuffled order."""
    samples = {name: Samples() for name in urls}
    lock = threading.Lock()
    deadline = time.monotonic() + MAX_SECONDS

    def client(seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311 - page order, not secrets
        for _round in range(ROUNDS):
            order = list(urls.items())
            rng.shuffle(order)
            for name, url in order:
                if time.monotonic() > deadline:
                    return
                start = time.perf_counter()
                try:
                    status, _headers, _content = request(port, "GET", url, cookies)
                    ok = status == 200
                except OSError:
                    ok = False
                elapsed = time.perf_counter() - start
                with lock:
                    samples[name].times.append(elapsed)
                    samples[name].errors += not ok

    threads = [threading.Thread(target=client, args=(n,)) for n in range(THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, time.perf_counter() - started


def percentile(times: list[float], p: float) -> float:
    if len(times) < 2:
        return times[0] if times else float("nan")
    return statistics.quantiles(times, n=100, method="inclusive")[int(p) - 1]


# Server -------------------------------------------------------------------------------------


class Server:
    """gunicorn in a process group of its own, always stopped (also on Ctrl+C or TERM)."""

    def __init__(self, env: dict, port: int):
        self.process = subprocess.Popen(  # noqa: S603 - our own programs and arguments
            [
                GUNICORN,
                "dankhoeo.wsgi",
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

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn exited at start")
            try:
                if request(self.port, "GET", "/healthz", {})[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


# One scale ----------------------------------------------------------------------------------


def prepare(scale: str) -> tuple[dict, dict]:
    database, plan = SCALES[scale]
    url = database_url(database)
    ensure_database(url)
    env = production_env(url)
    manage(env, "migrate", "--noinput", "-v0")
    started = time.perf_counter()
    output = manage(env, "generate_country", "--scale", scale)
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


def run_scale(scale: str) -> dict:
    env, facts = prepare(scale)
    print(
        f"[{scale}] {facts['all_villages']} villages, {facts['surveys']} surveys; pages of plan "
        f"{SCALES[scale][1]} ({facts['villages']} villages)"
    )
    server = Server(env, free_port())
    try:
        server.wait_ready()
        cookies = log_in(server.port, facts["username"], facts["password"])
        for name, url in facts["urls"].items():  # warm every worker a little, check each page
            status = request(server.port, "GET", url, cookies)[0]
            if status != 200:
                raise SystemExit(f"[{scale}] {name} {url} answered {status}")
        samples, seconds = workload(server.port, cookies, facts["urls"])
    finally:
        server.stop()
    return {"facts": facts, "samples": samples, "seconds": seconds}


# Report -------------------------------------------------------------------------------------


def table(scale: str, result: dict, baseline: dict | None) -> None:
    samples, seconds = result["samples"], result["seconds"]
    queries = result["facts"]["queries"]
    floor_p95 = percentile(samples["floor"].times, 95)
    print(
        f"\n{scale} scale: {THREADS} clients, gunicorn {WORKERS} workers, {seconds:.0f} s, "
        f"{sum(len(s.times) for s in samples.values())} requests"
    )
    print(
        f"{'page':<14}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}{'p95/floor':>11}{'queries':>9}  target"
    )
    for name, s in samples.items():
        p50, p95, p99 = (percentile(s.times, p) * 1000 for p in (50, 95, 99))
        ratio = p95 / (floor_p95 * 1000)
        verdict = ""
        if scale == "province" and name != "floor":
            met = s.errors == 0 and ratio <= RATIO_TARGET
            verdict = f"{'PASS' if met else 'FAIL'} (0 errors, ≤{RATIO_TARGET:g}× floor)"
        elif scale == "national" and name != "floor":
            same = baseline is None or baseline["facts"]["queries"].get(name) == queries[name]
            was = "" if baseline is None else f"; province {baseline['facts']['queries'][name]}"
            checks = [f"queries {'PASS' if same else 'FAIL'}{was}"]
            if name in NATIONAL_TARGETED:
                fast = p95 < NATIONAL_P95_MS
                checks.insert(0, f"p95 {'PASS' if fast else 'FAIL'} (<{NATIONAL_P95_MS} ms)")
            verdict = ", ".join(checks)
        print(
            f"{name:<14}{len(s.times):>9}{len(s.times) / seconds:>8.1f}{p50:>9.0f}{p95:>9.0f}"
            f"{p99:>9.0f}{s.errors:>8}{ratio:>10.1f}×{queries[name]:>9}  {verdict}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=list(SCALES), action="append")
    scales = parser.parse_args().scale or list(SCALES)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    print("collectstatic …")
    manage(production_env(database_url(SCALES[scales[0]][0])), "collectstatic", "--noinput", "-v0")
    results = {}
    for scale in scales:
        results[scale] = run_scale(scale)
    print("\nLoad benchmark (same machine as the server: 2 shared cores, numbers are noisy)")
    for scale, result in results.items():
        table(scale, result, results.get("province") if scale == "national" else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())

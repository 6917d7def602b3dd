"""Load benchmark of the API list endpoints against a bare Django view of the same rows.

    .venv/bin/python bench/bench_api.py [--duration 5] [--rounds 4] [--clients 20] [--workers 2] [--rows 50]
    .venv/bin/python bench/bench_api.py --clients 200 --workers 4 --duration 15   # issue 16 load case
    .venv/bin/python bench/bench_api.py --new-lists   # every request a list with new values (a random year range)
    DATABASE_URL=postgres:///vlr?host=/var/run/postgresql .venv/bin/python bench/bench_api.py

Serves the project with gunicorn (2 sync workers) on loopback, using ``bench/api_settings.py``
(production settings, DEBUG=0, plus the bare views of ``bench/api_urls.py``). The database is
``DATABASE_URL`` when it points at PostgreSQL, else a throwaway SQLite file; it is migrated and
filled with 200 observations and 200 initiatives of 중랑구 (11260) owned by a ``bench_planner``
user, idempotently. Each endpoint is loaded by ``wrk`` (Debian package) when installed, else by
a Python thread pool, at ``--clients`` concurrent connections, after a warm-up, in ``--rounds``
alternating API and bare rounds (API first, then bare first, ...) so that both are measured on
the same machine state:

- ``/api/v1/observations/?municipality=11260&page_size=50`` and its bare twin,
- ``/api/v1/initiatives/?municipality=11260&page_size=50`` and its bare twin,

the API requests authenticated with a token (so token lookup, scope, count and prefetch
queries are all paid). Prints requests/s over all rounds, the median of the rounds' p50/p95/p99
latency, and the API/bare ratios (throughput, p50, p95).
Targets: p95 < 100 ms and API cost <= 2 x bare (throughput ratio) for a 50-row page; issue 16
asks <= 1.5 at 20 clients, and at 200 clients and 4 workers a p95 within 2 x the bare view's.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
MUNICIPALITY = "11260"
P95_TARGET_MS = 100.0
RATIO_TARGET = 2.0
# Issue 16: at 200 clients and 4 workers (``--clients 200 --workers 4``) the API's p95 within 2x the bare view's.
P95_RATIO_TARGET = 2.0
NEW_LISTS = False  # --new-lists

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "socket_errors": %d, "non2xx": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""


# --------------------------------------------------------------------------- database (in Django)


def prepare() -> None:
    """Migrate, load reference data and the bench rows; print the planner's token."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation
    from apps.initiatives.models import Initiative, InitiativeTarget, PopulationGroup
    from apps.municipalities.choices import Role
    from apps.municipalities.models import Membership, Municipality
    from apps.sdg.models import Target

    with open(os.devnull, "w") as quiet:
        call_command("migrate", "--no-input", verbosity=0, stdout=quiet)
        call_command("load_reference", stdout=quiet)
    muni = Municipality.objects.get(code=MUNICIPALITY)
    user, created = get_user_model().objects.get_or_create(username="bench_planner")
    if created:
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, municipality=muni, defaults={"role": Role.PLANNER})
    token, _ = Token.objects.get_or_create(user=user)

    targets = list(Target.objects.filter(code__in=["11.6", "13.2", "3.9"]))
    # --city-observations N: the city's observations grow to N (50 years x total, female, male per
    # indicator), e.g. 13,500 as a large city keeps (issue 16); by default 4 x 50 totals.
    wanted = int(os.environ.get("BENCH_CITY_OBSERVATIONS") or 0)
    sexes = ("", "female", "male") if wanted else ("",)
    indicators = []
    for n in range(max(4, -(-wanted // 150))):
        indicator, _ = LocalIndicator.objects.get_or_create(
            municipality=muni,
            code=f"BENCH-{n}",
            defaults={"name_ko": f"벤치 지표 {n}", "name_en": f"Bench indicator {n}", "unit": "%"},
        )
        IndicatorAlignment.objects.get_or_create(local_indicator=indicator, target=targets[n % len(targets)])
        indicators.append(indicator)
        series = [(y, sex) for sex in sexes for y in range(50)][: max(50, wanted - 150 * n)]
        Observation.objects.bulk_create(
            [
                Observation(local_indicator=indicator, year=2000 + y, sex=sex, value=10.0 + y, source="벤치")
                for y, sex in series
            ],
            ignore_conflicts=True,
        )
    if not Initiative.objects.filter(municipality=muni, title_en__startswith="Bench initiative").exists():
        groups = list(PopulationGroup.objects.all()[:3])
        for n in range(200):
            item = Initiative.objects.create(
                municipality=muni,
                title_ko=f"벤치 사업 {n}",
                title_en=f"Bench initiative {n}",
                summary_ko="주민과 함께하는 탄소중립 실천 사업" * 3,
                status="ongoing",
                budget_krw=1_000_000 * n,
            )
            InitiativeTarget.objects.create(initiative=item, target=targets[n % 3], is_primary=True)
            InitiativeTarget.objects.create(initiative=item, target=targets[(n + 1) % 3])
            item.groups_served.add(groups[n % len(groups)])
            item.local_indicators.add(indicators[n % 4])
    from django.db import connection

    print(json.dumps({"token": token.key, "vendor": connection.vendor}))


# --------------------------------------------------------------------------- load generation


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, headers: dict) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# ``--new-lists``: each request names a year range picked at random from 100 x 51 (5,100 lists,
# far more than a worker keeps), every bench row inside it; the bare views filter by it too, so
# both sides read and return the same rows. A parameter no filter reads would not do: it changes
# no statement. Observations bind the years into the statement kept for the list's shape
# (``apps/core/api/statements.py``); the initiatives' year filters have methods, so most of their
# requests compile.
NEW_LIST_SCRIPT = """
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  return wrk.format(nil, wrk.path .. "&year_min=" .. math.random(1900, 1999) .. "&year_max=" .. math.random(2050, 2100))
end
"""


def _new_list(path: str) -> str:
    return f"{path}&year_min={random.randint(1900, 1999)}&year_max={random.randint(2050, 2100)}"


def _load_wrk(port: int, path: str, headers: dict, clients: int, duration: int, script: Path) -> dict:
    command = [
        "wrk",
        f"-t{min(clients, 2)}",
        f"-c{clients}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    stats = json.loads(output.strip().splitlines()[-1])
    seconds = stats["duration_us"] / 1e6
    return {
        "rps": stats["requests"] / seconds,
        "p50": stats["p50_us"] / 1000,
        "p95": stats["p95_us"] / 1000,
        "p99": stats["p99_us"] / 1000,
        "errors": stats["socket_errors"] + stats["non2xx"],
        "requests": stats["requests"],
        "seconds": seconds,
    }


def _load_python(port: int, path: str, headers: dict, clients: int, duration: int) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + duration

    def worker():
        mine, bad = [], 0
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            asked = _new_list(path) if NEW_LISTS else path
            try:
                status, _ = _get(port, asked, headers)
                bad += status != 200
            except OSError:
                bad += 1
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return {
        "rps": len(latencies) / elapsed,
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "errors": errors[0],
        "requests": len(latencies),
        "seconds": elapsed,
    }


def _combine(rounds: list[dict]) -> dict:
    """Requests/s over all rounds; latency percentiles as the median of the rounds' own."""
    requests = sum(r["requests"] for r in rounds)
    seconds = sum(r["seconds"] for r in rounds)  # a round may finish no request at all (200 clients)
    return {
        "rps": requests / seconds,
        "requests": requests,
        "errors": sum(r["errors"] for r in rounds),
        **{p: statistics.median(r[p] for r in rounds) for p in ("p50", "p95", "p99")},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per round (default 5)")
    parser.add_argument(
        "--rounds", type=int, default=4, help="alternating API/bare rounds per endpoint (default 4)"
    )
    parser.add_argument("--clients", type=int, default=20, help="concurrent connections (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--rows", type=int, default=50, help="page size (default 50)")
    parser.add_argument(
        "--python-client", action="store_true", help="use the Python load generator even if wrk exists"
    )
    parser.add_argument(
        "--new-lists",
        action="store_true",
        help="every request a list with a year range picked at random (5,100 lists): the API binds "
        "the years into a kept statement, or compiles when it cannot",
    )
    parser.add_argument(
        "--city-observations",
        type=int,
        default=0,
        help="grow the bench city's observations to this many (e.g. 13500; use a scratch database)",
    )
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare()
        return 0
    global NEW_LISTS
    NEW_LISTS = args.new_lists

    tmp = Path(tempfile.mkdtemp(prefix="bench_api_"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.api_settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        "BENCH_CITY_OBSERVATIONS": str(args.city_observations),
    }
    if not env.get("DATABASE_URL", "").startswith(("postgres", "postgresql", "pgsql")):
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    server = None
    try:
        prepared = subprocess.run(
            [PYTHON, __file__, "--prepare"], env=env, cwd=ROOT, capture_output=True, text=True, check=False
        )
        if prepared.returncode:
            print(prepared.stdout, prepared.stderr, file=sys.stderr)
            return 1
        info = json.loads(prepared.stdout.strip().splitlines()[-1])
        port = _free_port()
        server = subprocess.Popen(
            [
                GUNICORN,
                "vlrtracker.wsgi",
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        for _ in range(100):
            try:
                if _get(port, "/api/v1/goals/", {})[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            print("gunicorn did not start", file=sys.stderr)
            return 1

        use_wrk = shutil.which("wrk") is not None and not args.python_client
        script = tmp / "stats.lua"
        script.write_text(WRK_SCRIPT + (NEW_LIST_SCRIPT if args.new_lists else ""))

        def load(path, headers, seconds):
            if use_wrk:
                return _load_wrk(port, path, headers, args.clients, seconds, script)
            return _load_python(port, path, headers, args.clients, seconds)

        auth = {"Authorization": f"Token {info['token']}"}
        query = f"?municipality={MUNICIPALITY}&page_size={args.rows}"
        pairs = [
            ("observations", f"/api/v1/observations/{query}", f"/bench/bare/observations/{query}"),
            ("initiatives", f"/api/v1/initiatives/{query}", f"/bench/bare/initiatives/{query}"),
        ]
        print(
            f"gunicorn {args.workers} sync workers, {args.clients} clients, {args.rounds} rounds of {args.duration} s "
            f"each side{', every request a new list (--new-lists)' if args.new_lists else ''}, "
            f"{args.rows}-row pages, database {info['vendor']}, load by {'wrk' if use_wrk else 'Python threads'}"
        )
        print(f"{'endpoint':34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
        verdicts = []
        for name, api_path, bare_path in pairs:
            runs = {"api": (api_path, auth), "bare": (bare_path, {})}
            for path, headers in runs.values():
                status, body = _get(port, path, headers)
                rows = json.loads(body)
                count = len(rows["results"] if isinstance(rows, dict) else rows)
                assert status == 200 and count == args.rows, (path, status, count)
                load(path, headers, min(2, args.duration))  # warm-up
            # Alternate API and bare rounds (api, bare, bare, api, ...) so that both see the same
            # machine: on a shared VM the speed drifts by ±20 % between runs.
            rounds = {label: [] for label in runs}
            for round_ in range(args.rounds):
                order = ("api", "bare") if round_ % 2 == 0 else ("bare", "api")
                for label in order:
                    path, headers = runs[label]
                    rounds[label].append(load(path, headers, args.duration))
            results = {label: _combine(rounds[label]) for label in runs}
            for label in runs:
                r = results[label]
                print(
                    f"{label + ' ' + name:34} {r['rps']:8.1f} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f} {r['errors']:7d}"
                )
            api, bare = results["api"], results["bare"]
            ratio = bare["rps"] / api["rps"]
            ok = api["p95"] < P95_TARGET_MS and ratio <= RATIO_TARGET and not api["errors"]
            verdicts.append(ok)
            print(
                f"  {name}: throughput ratio bare/api = {ratio:.2f} (target <= {RATIO_TARGET}), "
                f"p50 ratio api/bare = {api['p50'] / bare['p50']:.2f}, "
                f"p95 ratio api/bare = {api['p95'] / bare['p95']:.2f} (target under load <= {P95_RATIO_TARGET}), "
                f"api p95 = {api['p95']:.1f} ms (target < {P95_TARGET_MS:.0f}) -> {'OK' if ok else 'MISSED'}"
            )
        return 0
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

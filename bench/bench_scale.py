"""National scale on PostgreSQL: the network page, a city's main pages, the API lists and the
whole-network export, each against its measured floor in the same run.

    BENCH_DATABASE_URL=postgres://vlrtracker:vlrtracker@127.0.0.1:5432/vlr_bench_scale \\
        .venv/bin/python bench/bench_scale.py [--rounds 7] [--export-cities 10]

The database ``BENCH_DATABASE_URL`` names is migrated and written to (use a scratch one). When it
holds no ``SCALE001`` yet, it is built first with ``generate_scale_data`` at national scale:
243 municipalities × 100 indicators × 20 years × 5 series (2.43 M observations), 50 initiatives,
50 documents and 200 evidence links each (``--municipalities``/``--indicators``/``--years``/
``--series`` choose a smaller size; building the full one took 18 min on a loaded 2-core machine).
It then writes only a superuser ``bench-scale``.

Alternated rounds (every case once per round, so the machine's drift hits all alike) of, single
client through Django's test client (session, scopes, template or DRF, everything):

- ``/network/`` (pages 1 and 2) against its floor: counting every (municipality, goal, status)
  cell of the whole network in one SQL query, what the grid aggregates;
- the first city's dashboard, goal 11 page and indicator list, against the floor of one SQL
  query reading the same city's stored statuses per goal;
- the API lists local-indicators, observations and initiatives of the first city
  (``page_size=200``), each against the same 200 rows read with ``.values()`` and encoded
  with ``json.dumps`` (no authentication, scope, filters, count or DRF);

then the network page's peak Python allocations (tracemalloc) and the process's maximum RSS,
and the whole-network export (``network_export_write``) of N and 2N cities (``--export-cities``)
into a temporary file: linear means twice the time for twice the cities.
Prints medians, p95 and best in ms and each page/floor ratio. Benchmarks measure; tests never
time anything.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--export-cities", type=int, default=10, help="N of the export's N and 2N cities")
    parser.add_argument("--municipalities", type=int, default=243)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--series", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url.startswith("postgres"):
        print(
            "skipped: set BENCH_DATABASE_URL to a scratch PostgreSQL database (it is migrated and written to)"
        )
        return
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vlrtracker.settings")
    os.environ.setdefault("DEBUG", "1")  # the static manifest of DEBUG=0 needs collectstatic
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation
    from apps.initiatives.models import Initiative
    from apps.municipalities.models import Municipality
    from apps.portal.services import network_export_write

    call_command("migrate", verbosity=0)
    if not Municipality.objects.filter(code="SCALE001").exists():
        call_command("load_reference", verbosity=0)
        print(
            f"building {args.municipalities} × {args.indicators} × {args.years} × {args.series} …", flush=True
        )
        start = time.perf_counter()
        call_command(
            "generate_scale_data",
            municipalities=args.municipalities,
            indicators=args.indicators,
            years=args.years,
            series=args.series,
            initiatives=50,
            documents=50,
            evidence=200,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"built in {time.perf_counter() - start:.0f} s")

    user, _ = get_user_model().objects.get_or_create(
        username="bench-scale", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    client.force_login(user)
    city = Municipality.objects.get(code="SCALE001")
    print(
        f"data: {LocalIndicator.objects.values('municipality').distinct().count()} municipalities with "
        f"indicators, {LocalIndicator.objects.count():,} indicators, {Observation.objects.count():,} "
        f"observations, {Initiative.objects.count():,} initiatives; load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )

    def page(path: str):
        def run() -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)

        return run

    def cells(**where):
        def run() -> None:
            list(
                IndicatorAlignment.objects.filter(**where)
                .values_list(
                    "local_indicator__municipality_id",
                    "target__goal__number",
                    "local_indicator__progress_record__status",
                )
                .annotate(n=Count("local_indicator_id", distinct=True))
                .order_by()
            )

        return run

    def bare(qs, fields):
        def run() -> None:
            json.dumps(list(qs.order_by("pk").values(*fields)[:200]), default=str)

        return run

    code = city.code
    cases = {
        "/network/": page("/network/"),
        "/network/?page=2": page("/network/?page=2"),
        "floor: all cells (SQL)": cells(),
        f"/m/{code}/ (dashboard)": page(f"/m/{code}/"),
        f"/m/{code}/goals/11/": page(f"/m/{code}/goals/11/"),
        f"/m/{code}/indicators/": page(f"/m/{code}/indicators/"),
        "floor: the city's cells (SQL)": cells(local_indicator__municipality=city),
        "API local-indicators": page(f"/api/v1/local-indicators/?municipality={code}&page_size=200"),
        "floor: 200 indicators": bare(
            LocalIndicator.objects.filter(municipality=city),
            [
                "id",
                "code",
                "name_ko",
                "name_en",
                "unit",
                "direction",
                "baseline_year",
                "baseline_value",
                "target_year",
                "target_value",
                "is_public",
            ],
        ),
        "API observations": page(f"/api/v1/observations/?municipality={code}&page_size=200"),
        "floor: 200 observations": bare(
            Observation.objects.filter(local_indicator__municipality=city),
            [
                "id",
                "local_indicator_id",
                "year",
                "quarter",
                "value",
                "sex",
                "age_group",
                "district",
                "income_group",
                "disability",
                "source",
                "is_provisional",
            ],
        ),
        "API initiatives": page(f"/api/v1/initiatives/?municipality={code}&page_size=200"),
        "floor: 200 initiatives": bare(
            Initiative.objects.filter(municipality=city),
            [
                "id",
                "title_ko",
                "title_en",
                "kind",
                "status",
                "department",
                "start_date",
                "end_date",
                "budget_krw",
                "is_public",
            ],
        ),
    }
    floors = {
        "/network/": "floor: all cells (SQL)",
        "/network/?page=2": "floor: all cells (SQL)",
        f"/m/{code}/ (dashboard)": "floor: the city's cells (SQL)",
        f"/m/{code}/goals/11/": "floor: the city's cells (SQL)",
        f"/m/{code}/indicators/": "floor: the city's cells (SQL)",
        "API local-indicators": "floor: 200 indicators",
        "API observations": "floor: 200 observations",
        "API initiatives": "floor: 200 initiatives",
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for run in cases.values():
        run()  # warm caches, connections, templates
    for _ in range(args.rounds):
        for name, run in cases.items():
            start = time.perf_counter()
            run()
            times[name].append((time.perf_counter() - start) * 1000)
    for name, values in times.items():
        median = statistics.median(values)
        ratio = ""
        if name in floors:
            ratio = f"   ÷ floor {median / statistics.median(times[floors[name]]):6.1f}"
        print(f"{name:34} median {median:8.1f}  p95 {_p95(values):8.1f}  best {min(values):8.1f} ms{ratio}")
    print(f"load average after the rounds: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")

    tracemalloc.start()
    page("/network/")()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"/network/: peak Python allocations of one request {peak / 2**20:.1f} MB; process max RSS so far {rss:.0f} MB"
    )

    cities = list(
        Municipality.objects.filter(code__startswith="SCALE").order_by("code")[: 2 * args.export_cities]
    )
    for n in (args.export_cities, 2 * args.export_cities):
        with tempfile.TemporaryFile() as out:
            start = time.perf_counter()
            network_export_write(municipalities=cities[:n], year=2024, file=out)
            elapsed = time.perf_counter() - start
            size = out.tell()
        print(
            f"export of {n:3} cities: {elapsed:6.1f} s ({elapsed / n:.2f} s a city), {size / 2**20:.0f} MB zip"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"process max RSS after the exports {rss:.0f} MB; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )


if __name__ == "__main__":
    main()

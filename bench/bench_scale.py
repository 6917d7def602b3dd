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

then, with ``--sweep``, every page of the first city each role reads (the list of
``tests/pages.py``, the one the browser's every-page test visits: planner, viewer, coordinator
and anonymous pages, the public list and a published edition's public page) plus its
workbook downloads, as a planner and a viewer of that city, an all-municipalities coordinator and
an anonymous reader; what those pages need (a published, a submitted and an assessment edition,
a local framework, a data call, an import job, a quiet and a dismissed document) is created
through the services when missing, so later runs time the same pages. Each page's median, p95
and best, flagged when its p95 is 300 ms or more (issue 16's target); ``--json FILE`` keeps
the medians so that two databases can be compared page by page (``--compare A.json B.json``
prints B's median over A's for each case); with ``--lists``, every filter and every ordering
of the six big API lists (``tests.pages.api_list_queries``: the queries
tests/api/test_filter_indexes.py EXPLAINs), ``page_size=200``, as a planner of the first city,
who sees its rows and every public row of the network;

then the network page's peak Python allocations (tracemalloc) and the process's maximum RSS,
and the whole-network export (``network_export_write``) of N and 2N cities (``--export-cities``)
into a temporary file: linear means twice the time for twice the cities (``--export-cities 0``
skips it).
Prints medians, p95 and best in ms and each page/floor ratio. Benchmarks measure; tests never
time anything.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _sweep_objects(city, admin) -> dict:
    """The first city's objects every page needs, created through the services when missing
    (idempotent: a second run finds them and times the same pages)."""
    from apps.core.models import Job
    from apps.datacalls.models import DataCall
    from apps.datacalls.services import data_call_open
    from apps.evidence.models import Document
    from apps.evidence.services import document_dismiss
    from apps.frameworks.models import Framework
    from apps.indicators.models import LocalIndicator
    from apps.initiatives.models import Initiative
    from apps.vlr.assessment import panel_create
    from apps.vlr.models import AssessmentPanel, Edition
    from apps.vlr.services import edition_create, edition_transition
    from tests.factories import make_document, make_local_framework

    def edition(year, kind="vlr", steps=()):
        found = Edition.objects.filter(municipality=city, kind=kind, year=year).first()
        if found is None:
            found = edition_create(municipality=city, year=year, kind=kind, actor=admin)
            for action in steps:
                found = edition_transition(edition=found, action=action, actor=admin)
        return found

    published = edition(2023, steps=("submit", "approve", "publish"))
    draft = edition(2024)  # generate_scale_data made it; it compares with the 2023 edition
    submitted = edition(2022, steps=("submit",))
    assessment = edition(2024, kind="assessment")
    panel = AssessmentPanel.objects.filter(edition=assessment).first() or panel_create(
        edition=assessment, group="experts", participants=5, actor=admin
    )
    framework = Framework.objects.filter(municipality=city, kind="local").first() or make_local_framework(
        city, links={"G1-S1": ("11.6",)}
    )
    data_call = DataCall.objects.filter(municipality=city).first() or data_call_open(
        municipality=city, year=2024, due_date=date(2025, 3, 31), actor=admin
    )
    job = Job.objects.filter(municipality_id=city.pk).first() or Job.objects.create(
        kind="observations_import",
        started_by=admin,
        municipality_id=city.pk,
        errors=["row 2, column value: x"],
    )
    unlinked = Document.objects.filter(municipality=city, links__isnull=True)
    quiet = unlinked.filter(dismissed_at__isnull=True).first() or make_document(
        city, "구청 민원실 운영 시간 안내.", title="민원실 안내"
    )
    dismissed = unlinked.filter(dismissed_at__isnull=False).first() or document_dismiss(
        document=make_document(city, "구청 주차장 공사 안내.", title="주차장 공사 안내"), actor=admin
    )
    return {
        "code": city.code,
        "indicator": LocalIndicator.objects.filter(municipality=city).order_by("code").first(),
        "initiative": Initiative.objects.filter(municipality=city).order_by("pk").first(),
        "document": Document.objects.filter(municipality=city, links__isnull=False).order_by("pk").first(),
        "quiet": quiet,
        "dismissed": dismissed,
        "job": job,
        "draft": draft,
        "published": published,
        "submitted": submitted,
        "assessment": assessment,
        "panel": panel,
        "framework": framework,
        "node": framework.nodes.order_by("code").first(),
        "data_call": data_call,
    }


def _client(city, role: str):
    """A logged-in test client of ``bench-<role>``: a planner or viewer of ``city`` or a
    coordinator of every municipality, made on the first run."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from apps.municipalities.models import CoordinatorScope, Membership

    user, created = get_user_model().objects.get_or_create(username=f"bench-{role}")
    if created and role == "coordinator":
        CoordinatorScope.objects.create(user=user, all_municipalities=True)
    elif created:
        Membership.objects.create(user=user, municipality=city, role=role)
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    client.force_login(user)
    return client


def _sweep_cases(city, admin) -> dict:
    """Every page of ``tests.pages.every_page`` for the first city, each role with its own
    client: a planner and a viewer of the city, a coordinator of every municipality, nobody."""
    from django.test import Client

    from tests.pages import downloads, every_page

    objects = _sweep_objects(city, admin)
    clients = {"public": Client(HTTP_ACCEPT_LANGUAGE="ko")}
    for role in ("planner", "viewer", "coordinator"):
        clients[role] = _client(city, role)
    pages = every_page(**objects)
    pages["planner"] += downloads(draft=objects["draft"], published=objects["published"])
    cases = {}
    for role, urls in pages.items():
        for url in urls:
            cases[f"{role} {url}"] = _get(clients[role], url)
    return cases


def _list_cases(city) -> dict:
    """Every filter and every ordering of the big API lists (``tests.pages.api_list_queries``, the
    queries tests/api/test_filter_indexes.py EXPLAINs), ``page_size=200``, as a planner of the
    first city: the city's rows and every public row of the network."""
    from urllib.parse import urlencode

    from tests.pages import BIG_LISTS, api_list_queries

    client = _client(city, "planner")
    return {
        f"API {path} ?{label}": _get(client, f"/api/v1/{path}/?{urlencode({**query, 'page_size': 200})}")
        for path in BIG_LISTS
        for label, query in api_list_queries(city, path)
    }


def _compare(first: str, second: str) -> None:
    """Each case's median in ``second`` over its median in ``first``, cases paired in order (the
    same code lists them in the same order; their ids differ from one database to another)."""
    a, b = (json.loads(Path(name).read_text()) for name in (first, second))
    assert len(a) == len(b), "the two runs timed different cases"
    worst = 0.0
    for (name, x), (_, y) in zip(a.items(), b.items()):
        ratio = y["median"] / x["median"]
        worst = max(worst, ratio, 1 / ratio) if not name.startswith("floor") else worst
        flag = "   << more than 1.5×" if not name.startswith("floor") and max(ratio, 1 / ratio) > 1.5 else ""
        print(f"{name:48} {x['median']:8.1f} → {y['median']:8.1f} ms  × {ratio:5.2f}{flag}")
    print(f"largest ratio either way (pages): {worst:.2f}")


def _get(client, path: str):
    def run() -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--export-cities", type=int, default=10, help="N of the export's N and 2N cities")
    parser.add_argument("--municipalities", type=int, default=243)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--series", type=int, default=5)
    parser.add_argument("--sweep", action="store_true", help="time every page of the first city too")
    parser.add_argument(
        "--lists", action="store_true", help="time every filter and ordering of the big API lists too"
    )
    parser.add_argument("--json", help="write each case's median, p95 and best (ms) to this file")
    parser.add_argument(
        "--compare",
        nargs=2,
        metavar=("A.json", "B.json"),
        help="print B's median over A's per case (two --json files of the same code) and exit",
    )
    args = parser.parse_args()
    if args.compare:
        _compare(*args.compare)
        return
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
    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per force_login otherwise
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
            # VACUUM too, as autovacuum would have by then: a fresh table's visibility map is
            # empty, so an index-only scan (the count of a city's values) visits the heap too,
            # 2.7 ms against 0.95 for the same 10,000 entries.
            cursor.execute("VACUUM ANALYZE")
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
        return _get(client, path)

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
    if args.sweep:
        cases.update(_sweep_cases(city, user))
    if args.lists:
        cases.update(_list_cases(city))
    times: dict[str, list[float]] = {name: [] for name in cases}
    for run in cases.values():
        run()  # warm caches, connections, templates
    for _ in range(args.rounds):
        for name, run in cases.items():
            start = time.perf_counter()
            run()
            times[name].append((time.perf_counter() - start) * 1000)
    summary = {}
    for name, values in times.items():
        median = statistics.median(values)
        summary[name] = {"median": median, "p95": _p95(values), "best": min(values)}
        ratio = ""
        if name in floors:
            ratio = f"   ÷ floor {median / statistics.median(times[floors[name]]):6.1f}"
        if _p95(values) >= 300 and not name.startswith("floor"):
            ratio += "   << p95 ≥ 300 ms"
        print(f"{name:34} median {median:8.1f}  p95 {_p95(values):8.1f}  best {min(values):8.1f} ms{ratio}")
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1))
    print(f"load average after the rounds: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")

    tracemalloc.start()
    page("/network/")()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"/network/: peak Python allocations of one request {peak / 2**20:.1f} MB; process max RSS so far {rss:.0f} MB"
    )

    if not args.export_cities:
        return
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

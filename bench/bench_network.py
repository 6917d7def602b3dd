"""The network page (``/network/``) at national scale, against its measured floor.

    DATABASE_URL=postgres://…/scratch .venv/bin/python bench/bench_network.py [--rounds 7]

Runs on the database ``DATABASE_URL`` names, which must already hold the data (e.g.
``manage.py generate_scale_data --municipalities 243 --indicators 30 --years 10 --series 3``);
it writes only a staff user ``bench-network`` (the all-scope coordinator the page is the landing
page of). Alternated rounds of:

- the page: ``GET /network/`` through Django's test client (the full stack: session, scopes,
  the stored-progress counts for the page's 100 municipalities, the template), and its second
  page;
- the floor: counting the (municipality, goal, status) cells of every municipality in one SQL
  query over the indicator–goal links and the stored statuses — what the grid aggregates.

Prints the median and best milliseconds of each and the page/floor ratio, and the peak of Python
allocations (tracemalloc) of one page request. Benchmarks measure; tests never time anything.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vlrtracker.settings")
    os.environ.setdefault("DEBUG", "1")  # the static manifest of DEBUG=0 needs collectstatic
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation

    user, _ = get_user_model().objects.get_or_create(
        username="bench-network", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    cities = LocalIndicator.objects.values("municipality").distinct().count()
    print(
        f"data: {cities} municipalities with indicators, {LocalIndicator.objects.count():,} indicators, "
        f"{Observation.objects.count():,} observations"
    )

    def page(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    def floor() -> None:
        list(
            IndicatorAlignment.objects.values_list(
                "local_indicator__municipality_id",
                "target__goal__number",
                "local_indicator__progress_record__status",
            )
            .annotate(n=Count("local_indicator_id", distinct=True))
            .order_by()
        )

    cases = {"/network/": lambda: page("/network/"), "/network/?page=2": lambda: page("/network/?page=2")}
    cases["floor (all cells, SQL)"] = floor
    times: dict[str, list[float]] = {name: [] for name in cases}
    for run in cases.values():
        run()  # warm caches, connections, templates
    for _ in range(args.rounds):
        for name, run in cases.items():
            start = time.perf_counter()
            run()
            times[name].append((time.perf_counter() - start) * 1000)
    for name, values in times.items():
        print(f"{name:24} median {statistics.median(values):8.1f} ms   best {min(values):8.1f} ms")
    ratio = statistics.median(times["/network/"]) / statistics.median(times["floor (all cells, SQL)"])
    print(f"/network/ ÷ floor: {ratio:.2f}")
    tracemalloc.start()
    page("/network/")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak Python allocations of one /network/ request: {peak / 2**20:.1f} MB")


if __name__ == "__main__":
    main()

"""A large city's dashboard and edition page, against their measured floors.

    DATABASE_URL=postgres://…/scratch .venv/bin/python bench/bench_city_pages.py [--rounds 7]

Runs on the database ``DATABASE_URL`` names, which must already hold the data (e.g.
``manage.py generate_scale_data --municipalities 40 --indicators 100 --years 10 --series 3``,
whose cities each get a draft VLR edition). It writes a staff user ``bench-city`` and, once, an
approved VLR edition of the year before for the city with the most observations (what the
draft's "what changed" compares with). Alternated rounds of:

- the dashboard ``/m/<code>/`` (stored statuses, initiatives and evidence counted per goal in
  the database) and its floor: the city's (goal, status) cells counted in one SQL query;
- the draft edition page ``/vlr/<pk>/`` (the live report of the city, the stored
  figures of the last approved edition for "what changed") and its floor: reading the city's
  observations, which the live report evaluates as of the edition's year.

Prints the load average, the median and best milliseconds of each and each page/floor ratio.
Benchmarks measure; tests never time anything.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
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
    from apps.indicators.selectors import observation_rows
    from apps.vlr.choices import EditionStatus, ReportKind
    from apps.vlr.models import Edition
    from apps.vlr.services import edition_create, edition_transition

    user, _ = get_user_model().objects.get_or_create(
        username="bench-city", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    edition = (
        Edition.objects.without_snapshot()
        .filter(kind=ReportKind.VLR, status=EditionStatus.DRAFT)
        .annotate(n=Count("municipality__local_indicators__observations"))
        .select_related("municipality")
        .order_by("-n")
        .first()
    )
    if edition is None:
        print("no draft VLR edition in this database: run generate_scale_data first (see the docstring)")
        return
    city = edition.municipality
    previous = Edition.objects.filter(municipality=city, kind=ReportKind.VLR, year=edition.year - 1).first()
    if previous is None:
        previous = edition_create(municipality=city, year=edition.year - 1, actor=user)
        edition_transition(edition=previous, action="submit", actor=user)
        edition_transition(edition=previous, action="approve", actor=user)
    ids = list(LocalIndicator.objects.filter(municipality=city).values_list("pk", flat=True))
    print(
        f"city {city.code}: {len(ids):,} indicators, "
        f"{Observation.objects.filter(local_indicator__municipality=city).count():,} observations; "
        f"database: {LocalIndicator.objects.values('municipality').distinct().count()} cities, "
        f"{Observation.objects.count():,} observations; load average {os.getloadavg()[0]:.2f}"
    )

    def page(url: str):
        def run() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        return run

    def cells() -> None:
        list(
            IndicatorAlignment.objects.filter(local_indicator__municipality=city)
            .values_list("target__goal__number", "local_indicator__progress_record__status")
            .annotate(n=Count("local_indicator_id", distinct=True))
            .order_by()
        )

    def observations() -> None:
        list(observation_rows(ids))

    cases = {
        "dashboard": page(f"/m/{city.code}/"),
        "floor: cells (SQL)": cells,
        "edition page": page(f"/vlr/{edition.pk}/"),
        "floor: observations": observations,
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
        print(f"{name:22} median {statistics.median(values):8.1f} ms   best {min(values):8.1f} ms")
    median = {name: statistics.median(values) for name, values in times.items()}
    print(
        f"dashboard ÷ floor: {median['dashboard'] / median['floor: cells (SQL)']:.2f}   "
        f"edition page ÷ floor: {median['edition page'] / median['floor: observations']:.2f}   "
        f"load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()

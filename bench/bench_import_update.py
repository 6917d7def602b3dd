"""Annex import: updating N stored observations against creating them, in the same run.

    .venv/bin/python bench/bench_import_update.py [--rows 108000] [--repeat 1] [--slow]

Builds a throwaway SQLite database in a temporary directory (``BENCH_DATABASE_URL`` selects
another database, e.g. a scratch PostgreSQL one — it is migrated and written to), one
municipality with 100 indicators, and two annex csv files of ``--rows`` rows with the same keys
(indicator × year × district) and different values. Then, ``--repeat`` times: delete the
observations and their history, import the first file (every row created, with history) and
the second (every row updated, with history). Prints the best seconds of each and the ratio
update / create (target <= 2). ``--slow`` also times the update through simple-history's
``bulk_update_with_history`` (``settings.IMPORT_SQL_BULK_UPDATE = False``), the path the
import used before.

Benchmarks measure; tests never time anything.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def write_annex(path: Path, rows: int, indicators: list[str], offset: float) -> None:
    per_indicator = math.ceil(rows / len(indicators))
    years = 24
    districts = math.ceil(per_indicator / years)
    lines = ["indicator_code,year,district,value,source,note"]
    n = 0
    for code in indicators:
        for d in range(districts):
            for year in range(2000, 2000 + years):
                if n == rows:
                    break
                lines.append(f"{code},{year},동{d},{n % 997 + offset},통계청,")
                n += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=108_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--slow", action="store_true", help="also time bulk_update_with_history")
    parser.add_argument("--api", action="store_true", help="also time both imports through the API")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="vlr-bench-"))
    db_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vlrtracker.settings")
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("MAX_SPREADSHEET_ROWS", str(args.rows + 100))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from apps.indicators.models import LocalIndicator, Observation
    from apps.indicators.services import observations_import
    from apps.municipalities.models import Municipality

    print(f"database: {connection.vendor} ({db_url.split('@')[-1]})")
    call_command("migrate", verbosity=0)
    call_command("load_reference", stdout=io.StringIO())
    muni = Municipality.objects.get(code="11260")
    codes = [f"UPD{i:03d}" for i in range(100)]
    existing = set(
        LocalIndicator.objects.filter(municipality=muni, code__in=codes).values_list("code", flat=True)
    )
    LocalIndicator.objects.bulk_create(
        [LocalIndicator(municipality=muni, code=c, name_ko=c) for c in codes if c not in existing]
    )
    first, second = tmp / "first.csv", tmp / "second.csv"
    write_annex(first, args.rows, codes, 0.5)
    write_annex(second, args.rows, codes, 1.25)

    def clear():
        # Bench only: remove the observations and their history without per-row signals.
        for qs in (
            Observation.objects.filter(local_indicator__municipality=muni),
            Observation.history.filter(local_indicator__municipality=muni),
        ):
            qs._raw_delete(qs.db)

    def timed(fn):
        start = time.perf_counter()
        report = fn()
        return time.perf_counter() - start, report

    best = {"create": math.inf, "update": math.inf, "update_slow": math.inf}
    for _ in range(args.repeat):
        variants = [("update", True)] + ([("update_slow", False)] if args.slow else [])
        for name, fast in variants:
            clear()
            seconds, report = timed(lambda: observations_import(file=first, municipality=muni))
            assert report.created == args.rows, report.summary()
            best["create"] = min(best["create"], seconds)
            settings.IMPORT_SQL_BULK_UPDATE = fast
            seconds, report = timed(lambda: observations_import(file=second, municipality=muni))
            assert report.updated == args.rows, report.summary()
            best[name] = min(best[name], seconds)
            settings.IMPORT_SQL_BULK_UPDATE = True
    if args.api:
        from django.contrib.auth import get_user_model
        from rest_framework.test import APIClient

        admin, _ = get_user_model().objects.get_or_create(
            username="bench-admin", defaults={"is_superuser": True}
        )
        client = APIClient()
        client.force_authenticate(admin)

        def post(path):
            with open(path, "rb") as handle:
                response = client.post(
                    "/api/v1/observations/import/",
                    {"file": handle, "municipality": "11260"},
                    format="multipart",
                )
            assert response.status_code == 200, response.content[:500]
            return response.json()

        clear()
        best["api_create"], body = timed(lambda: post(first))
        assert body["created"] == args.rows, body
        best["api_update"], body = timed(lambda: post(second))
        assert body["updated"] == args.rows, body
    assert (
        Observation.history.filter(local_indicator__municipality=muni, history_type="~").count() >= args.rows
    )
    clear()
    print(
        f"{args.rows:,} annex rows: create {best['create']:.2f} s, update {best['update']:.2f} s, "
        f"ratio update/create {best['update'] / best['create']:.2f} (target <= 2)"
    )
    if args.api:
        print(
            f"  through POST /api/v1/observations/import/: create {best['api_create']:.2f} s, "
            f"update {best['api_update']:.2f} s"
        )
    if args.slow:
        print(
            f"  update through bulk_update_with_history: {best['update_slow']:.2f} s, "
            f"ratio {best['update_slow'] / best['create']:.2f}"
        )


if __name__ == "__main__":
    main()

"""Deep pages of the API's largest list: page N by number (OFFSET) against the same rows by
cursor (keyset), on the national data set of ``bench_scale.py``.

    BENCH_DATABASE_URL=postgres://vlrtracker:vlrtracker@127.0.0.1:5432/vlr_bench_scale \\
        .venv/bin/python bench/bench_deep_pages.py [--rounds 7] [--pages 1,100,1000,5000]

The database must already hold the data set (run ``bench_scale.py`` first: it builds it). This
writes only two users: ``bench-coordinator-all`` (coordinator of every municipality) and
``bench-coordinator-net`` (a network of 30 of them), with API tokens. For each user and page
number, the observations list with ``page_size=50`` in the default order is read both ways,
through the real HTTP stack in-process (Django's test client with ``Authorization: Token``),
alternating in every round; the cursor is the one the list itself hands out for the row that
ends page N - 1, and both answers must hold the same ids (checked). Prints medians and best
in ms. Benchmarks measure; tests never time anything.
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

PAGE_SIZE = 50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--pages", default="1,100,1000,5000")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("skipped: set BENCH_DATABASE_URL to the PostgreSQL database bench_scale.py built")
        return
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vlrtracker.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from apps.core.api.pagination import CURSOR_SIGNER
    from apps.indicators.models import Observation
    from apps.municipalities.models import CoordinatorScope, Municipality

    if not Municipality.objects.filter(code="SCALE001").exists():
        print("skipped: no national data set here; run bench/bench_scale.py first")
        return
    users = {}
    for name, everything in (("all", True), ("net", False)):
        user, _ = get_user_model().objects.get_or_create(username=f"bench-coordinator-{name}")
        scope, _ = CoordinatorScope.objects.get_or_create(
            user=user, defaults={"all_municipalities": everything, "network": f"bench {name}"}
        )
        if not everything:
            scope.municipalities.set(
                Municipality.objects.filter(code__startswith="SCALE").order_by("code")[:30]
            )
        users[name] = Token.objects.get_or_create(user=user)[0].key
    print(
        f"{Observation.objects.count():,} observations; load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}",
        flush=True,
    )

    def get(token: str, params: dict) -> tuple[float, list[int]]:
        client = Client(HTTP_AUTHORIZATION=f"Token {token}")
        start = time.perf_counter()
        response = client.get("/api/v1/observations/", params)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.content[:300]
        return elapsed, [row["id"] for row in response.json()["results"]]

    for name, token in users.items():
        for number in (int(n) for n in args.pages.split(",")):
            _, before = get(token, {"page_size": PAGE_SIZE, "page": number - 1}) if number > 1 else (0, [])
            if before:
                last = Observation.objects.values("local_indicator_id", "year", "quarter", "pk").get(
                    pk=before[-1]
                )
                cursor = CURSOR_SIGNER.sign_object(
                    {
                        "o": ["local_indicator_id", "year", "quarter", "pk"],
                        "v": list(last.values()),
                        "r": False,
                    }
                )
            else:
                cursor = ""
            by_number = {"page_size": PAGE_SIZE, "page": number}
            by_cursor = {"page_size": PAGE_SIZE, "cursor": cursor}
            times = {"offset": [], "cursor": []}
            for _ in range(args.rounds):
                elapsed, offset_ids = get(token, by_number)
                times["offset"].append(elapsed)
                elapsed, cursor_ids = get(token, by_cursor)
                times["cursor"].append(elapsed)
                assert offset_ids == cursor_ids, (name, number)
            print(
                f"coordinator {name:3} page {number:5}: "
                + "  ".join(
                    f"{kind} {statistics.median(ms):8.1f} ms (best {min(ms):7.1f})"
                    for kind, ms in times.items()
                ),
                flush=True,
            )
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

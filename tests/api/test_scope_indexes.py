"""The hot lists' scope filters use indexes (PostgreSQL only: the planner decides).

A few thousand generated rows across twenty cities, ANALYZEd; then the real API requests of a
coordinator (observations) and of a planner (local indicators) are captured and each SELECT on
the big table is EXPLAINed: PostgreSQL must reach the rows through an index, never by reading
the whole table (``Seq Scan``), which an ``OR is_public`` across the joined indicator table
forced before the scope became ``local_indicator_id IN (visible indicators)``.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.indicators.models import LocalIndicator, Observation
from apps.municipalities.models import Municipality
from tests.plans import ON_POSTGRESQL

pytestmark = [
    pytest.mark.django_db,
    ON_POSTGRESQL,
]

CITIES, INDICATORS, YEARS = 60, 50, 4  # 3,000 indicators, 12,000 observations


@pytest.fixture
def national(muni_a, muni_b):
    cities = [
        muni_a,
        muni_b,
        *Municipality.objects.exclude(pk__in=[muni_a.pk, muni_b.pk]).order_by("code")[: CITIES - 2],
    ]
    indicators = LocalIndicator.objects.bulk_create(
        LocalIndicator(municipality=city, code=f"S-{i}", name_ko=f"지표 {i}", is_public=(i % 20 == 0))
        for city in cities
        for i in range(INDICATORS)
    )
    Observation.objects.bulk_create(
        Observation(local_indicator=indicator, year=2010 + y, value=float(y))
        for indicator in indicators
        for y in range(YEARS)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return cities


def _plans(response_of, table: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = response_of()
    assert response.status_code == 200
    assert response.json()["results"]
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if query["sql"].startswith("SELECT") and f'FROM "{table}"' in query["sql"]:
                cursor.execute("EXPLAIN " + query["sql"])
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert plans, f"the request read {table}"
    return plans


def test_observations_of_a_coordinator_are_read_through_an_index(national, coordinator, api):
    plans = _plans(
        lambda: api(coordinator).get("/api/v1/observations/", {"page_size": 200}), Observation._meta.db_table
    )
    for plan in plans:
        assert f"Seq Scan on {Observation._meta.db_table}" not in plan, plan


def test_local_indicators_of_a_planner_are_read_through_an_index(national, planner_a, api):
    plans = _plans(
        lambda: api(planner_a).get("/api/v1/local-indicators/", {"page_size": 200}),
        LocalIndicator._meta.db_table,
    )
    for plan in plans:
        assert f"Seq Scan on {LocalIndicator._meta.db_table}" not in plan, plan


def test_a_deep_cursor_page_starts_an_index_range_scan_at_its_cursor(national, coordinator, api):
    """A page far down by ``?cursor=`` reads the observations index from the cursor on (its
    ``local_indicator_id >=`` bound is the scan's Index Cond), not the rows before it (OFFSET)."""
    client = api(coordinator)
    url, params = "/api/v1/observations/", {"page_size": 50, "cursor": ""}
    for _ in range(12):
        url, params = client.get(url, params).json()["next"], None
    table = Observation._meta.db_table
    [plan] = _plans(lambda: client.get(url), table)
    assert f"Seq Scan on {table}" not in plan, plan
    # Alone or beside the join to the visible indicators, the bound is an index condition.
    scan = rf"Index (Only )?Scan using \w+ on {table}\b.*\n\s+Index Cond: \(.*\blocal_indicator_id >= \d+\)"
    assert re.search(scan, plan), plan

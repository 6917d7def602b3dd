"""Every filter and every ordering the big API lists offer is served by an index (issue 16:
"indexes for every filter the UI and API offer"; PostgreSQL only: the planner decides).

Sixty cities of generated rows, ANALYZEd. Each list is asked once per filter its FilterSet
declares (a new filter is covered the day it is added: one without a sample value here fails)
and once per ordering field, by a planner (the scope: the city's rows and the public ones) and
by a coordinator naming the city. Every SELECT the request sends is EXPLAINed with sequential
scans priced out (``enable_seqscan = off``): PostgreSQL then reads a big table whole only when
no index can narrow the query — a sequential scan, or an index walked from end to end without
an index condition. The UI's lists use the same FilterSets (``filtersets.py``, house style).
Slow (~20 s on PostgreSQL): two data sets of sixty cities and ~200 requests, each EXPLAINed.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from apps.evidence.choices import LinkOrigin, LinkStatus
from apps.evidence.models import Document, EvidenceLink
from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation
from apps.initiatives.models import Initiative, InitiativeTarget, ProgressUpdate
from apps.municipalities.models import Municipality
from apps.sdg.models import Target
from tests.pages import BIG_LISTS, api_list_queries
from tests.plans import ON_POSTGRESQL, db_tables, explained_whole_reads

pytestmark = [
    pytest.mark.django_db,
    ON_POSTGRESQL,
]

CITIES = 60
BIG = db_tables(
    LocalIndicator,
    Observation,
    IndicatorAlignment,
    Initiative,
    InitiativeTarget,
    ProgressUpdate,
    Document,
    EvidenceLink,
)


@pytest.fixture
def national(muni_a, muni_b):
    cities = [
        muni_a,
        muni_b,
        *Municipality.objects.exclude(pk__in=[muni_a.pk, muni_b.pk]).order_by("code")[: CITIES - 2],
    ]
    targets = list(Target.objects.order_by("code")[:40])
    indicators = LocalIndicator.objects.bulk_create(
        LocalIndicator(municipality=city, code=f"S-{i}", name_ko=f"지표 {i}", is_public=(i % 50 == 0))
        for city in cities
        for i in range(50)
    )
    IndicatorAlignment.objects.bulk_create(
        IndicatorAlignment(local_indicator=ind, target=targets[n % len(targets)])
        for n, ind in enumerate(indicators)
    )
    Observation.objects.bulk_create(
        Observation(local_indicator=ind, year=2010 + y, value=float(y))
        for ind in indicators
        for y in range(3)
    )
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            municipality=city, title_ko=f"사업 {i}", start_date=date(2020, 1, 1), is_public=(i % 5 == 0)
        )
        for city in cities
        for i in range(10)
    )
    InitiativeTarget.objects.bulk_create(
        InitiativeTarget(initiative=ini, target=targets[n % len(targets)], is_primary=True)
        for n, ini in enumerate(initiatives)
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(initiative=ini, date=date(2024, 6, 1), text="진행") for ini in initiatives
    )
    documents = Document.objects.bulk_create(
        Document(
            municipality=city,
            title=f"보도자료 {i}",
            body="본문",
            content_hash=f"{city.pk}-{i}",
            published_date=date(2024, 1 + i, 1),
        )
        for city in cities
        for i in range(10)
    )
    EvidenceLink.objects.bulk_create(
        EvidenceLink(
            document=doc,
            municipality=doc.municipality,
            target=targets[(n + k) % len(targets)],
            origin=LinkOrigin.SUGGESTED,
            status=LinkStatus.SUGGESTED,
            score=0.5,
        )
        for n, doc in enumerate(documents)
        for k in range(2)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return cities


def _whole_tables(api, user, path: str, query: dict) -> set[str]:
    """The big tables the list's own queries (its page and its count) read whole. The rows a
    page then prefetches are fetched by the page's ids through their foreign key's index."""
    table = resolve(f"/api/v1/{path}/").func.cls.filterset_class._meta.model._meta.db_table
    with CaptureQueriesContext(connection) as captured:
        response = api(user).get(f"/api/v1/{path}/", {**query, "page_size": 200})
    assert response.status_code == 200, (path, query, response.content[:300])
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexrelid::regclass::text FROM pg_index WHERE indpred IS NOT NULL")
        partial = {name for (name,) in cursor.fetchall()}
    return explained_whole_reads(captured.captured_queries, table=table, partial_indexes=partial) & BIG


# Not held here for a planner, with what was found: observations and progress updates are
# scoped through their parent (``parent_id IN (visible parents)``, tests/api/test_scope_indexes.py);
# under some filters, on this small data, PostgreSQL hash-joins the visible parents to a whole
# index of the child instead (what its costs prefer on a few thousand rows; not seen at national
# scale in bench/bench_scale.py). An evidence link is visible to a planner when it is the
# city's or when its document is public and it is confirmed: an OR across the document table.
# Rewritten as a UNION of two index lookups it took 277 ms against 44 ms on the national data
# set, where every document is public (the list then shows the whole table), so it stays an OR.
def test_every_filter_and_ordering_of_a_planner_reads_by_index(national, planner_a, muni_a, api):
    found = {
        (path, what): tables
        for path in ("local-indicators", "initiatives", "documents")
        for what, query in api_list_queries(muni_a, path, {})
        if (tables := _whole_tables(api, planner_a, path, query))
    }
    assert found == {}


def test_every_filter_and_ordering_of_a_coordinator_naming_a_city_reads_by_index(
    national, coordinator, muni_a, api
):
    found = {
        (path, what): tables
        for path in BIG_LISTS
        for what, query in api_list_queries(muni_a, path, {"municipality": muni_a.code})
        if (tables := _whole_tables(api, coordinator, path, query))
    }
    assert found == {}

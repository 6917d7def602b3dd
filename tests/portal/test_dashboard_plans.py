"""The dashboard's and the VLR report data's hot queries reach a city's rows through indexes (PostgreSQL
only: the planner decides), as tests/api/test_scope_indexes.py checks the API lists.

Sixty cities of indicators, initiatives and confirmed evidence, ANALYZEd; then the dashboard of
one city is requested and every SELECT on the evidence links, local indicators and initiatives
is EXPLAINed: none may read the whole table (``Seq Scan``), which the evidence counts' OR across
the link's municipality, indicator and initiative forced before they became a union of index
lookups, each arm with its own index (apps.portal.selectors._evidence_counts)."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.evidence.choices import LinkStatus
from apps.evidence.models import Document, EvidenceLink
from apps.indicators.models import IndicatorAlignment, LocalIndicator
from apps.initiatives.models import Initiative, InitiativeTarget
from apps.municipalities.models import Municipality
from apps.sdg.models import Target
from apps.vlr.selectors import municipality_report_data
from tests.plans import ON_POSTGRESQL

pytestmark = [
    pytest.mark.django_db,
    ON_POSTGRESQL,
]

CITIES, INDICATORS, INITIATIVES = 60, 50, 20  # 3,000 indicators, 1,200 initiatives, 4,200 links

TABLES = (EvidenceLink, LocalIndicator, Initiative)


@pytest.fixture
def national(muni_a, muni_b):
    cities = [
        muni_a,
        muni_b,
        *Municipality.objects.exclude(pk__in=[muni_a.pk, muni_b.pk]).order_by("code")[: CITIES - 2],
    ]
    target = Target.objects.get(code="11.6")
    indicators = LocalIndicator.objects.bulk_create(
        LocalIndicator(municipality=city, code=f"S-{i}", name_ko=f"지표 {i}", is_public=(i % 20 == 0))
        for city in cities
        for i in range(INDICATORS)
    )
    IndicatorAlignment.objects.bulk_create(
        IndicatorAlignment(local_indicator=i, target=target) for i in indicators
    )
    initiatives = Initiative.objects.bulk_create(
        Initiative(municipality=city, title_ko=f"사업 {i}", is_public=(i % 5 == 0))
        for city in cities
        for i in range(INITIATIVES)
    )
    InitiativeTarget.objects.bulk_create(
        InitiativeTarget(initiative=i, target=target, is_primary=True) for i in initiatives
    )
    documents = Document.objects.bulk_create(
        Document(
            municipality=item.municipality,
            title=f"문서 {n}",
            body=f"본문 {n}",
            content_hash=hashlib.sha256(f"{n}".encode()).hexdigest(),
            is_public=(n % 3 == 0),
        )
        for n, item in enumerate([*indicators, *initiatives])
    )
    EvidenceLink.objects.bulk_create(
        EvidenceLink(
            document=document,
            municipality=document.municipality,
            status=LinkStatus.CONFIRMED,
            **({"local_indicator": item} if isinstance(item, LocalIndicator) else {"initiative": item}),
        )
        for document, item in zip(documents, [*indicators, *initiatives], strict=True)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return cities


# A prefetch by primary keys (``WHERE "t"."id" IN (1, 2, …)``): a handful of rows the planner
# may read by a scan of a small test table, always by the primary key at scale.
_BY_PK = re.compile(r'WHERE \(?"\w+"\."id"\)? IN \([\d, ()]+\)')


def _seq_scans(run) -> int:
    """Run ``run`` and EXPLAIN each SELECT it issued on a big table; assert none reads one whole
    and return how many were EXPLAINed."""
    with CaptureQueriesContext(connection) as captured:
        run()
    explained = 0
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            tables = [m._meta.db_table for m in TABLES if f'"{m._meta.db_table}"' in query["sql"]]
            if not query["sql"].startswith("SELECT") or not tables or _BY_PK.search(query["sql"]):
                continue
            cursor.execute("EXPLAIN " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            explained += 1
            for table in tables:
                assert not re.search(rf"Seq Scan on {table}\b", plan), f"{query['sql']}\n{plan}"
    return explained


def test_the_city_pages_read_a_city_through_indexes(national, muni_a, planner_a, coordinator):
    """The dashboard, the goal page and the gap matrix, for a planner and a coordinator (one
    build of the data: it takes seconds)."""
    for user in (planner_a, coordinator):
        client = Client()
        client.force_login(user)
        for page in ("", "goals/11/", "gaps/"):

            def get(page=page, client=client):
                assert client.get(f"/m/{muni_a.code}/{page}").status_code == 200

            assert _seq_scans(get) >= 2, page  # at least the indicators and the initiatives


def test_the_report_datas_queries_read_a_city_through_indexes(national, muni_a, planner_a):
    def report():
        data = municipality_report_data(municipality=muni_a, year=2023, user=planner_a)
        assert len(data["evidence"]) == INDICATORS + INITIATIVES

    assert _seq_scans(report) >= 4

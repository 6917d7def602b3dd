"""The edition pages read by index what their city holds, never a whole table of the network
(issue 16: "the same page of the same city takes the same time whatever the rest of the
database holds"; PostgreSQL only: the planner decides).

Thirty generated cities, ANALYZEd; every SELECT of the first city's draft edition page, its
"preview as the public", its published edition's page and public page is EXPLAINed with
sequential scans priced out (``enable_seqscan = off``, as tests/api/test_filter_indexes.py
does): a big table read whole there is one no index can narrow. (The public list is the
network's: it reads every published edition, by design.)"""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.evidence.models import Document, EvidenceLink
from apps.indicators.models import (
    IndicatorAlignment,
    LocalIndicator,
    Observation,
    ProgressRecord,
    SeriesProgressRecord,
)
from apps.initiatives.models import Initiative, InitiativeTarget
from apps.municipalities.models import Membership, Municipality
from apps.vlr.models import Edition
from tests.factories import make_edition
from tests.plans import ON_POSTGRESQL, db_tables, explained_whole_reads

pytestmark = [
    pytest.mark.django_db,
    ON_POSTGRESQL,
]

BIG = db_tables(
    LocalIndicator,
    Observation,
    IndicatorAlignment,
    ProgressRecord,
    SeriesProgressRecord,
    Initiative,
    InitiativeTarget,
    Document,
    EvidenceLink,
    Edition,
)


@pytest.fixture
def network(db):
    call_command(
        "generate_scale_data",
        municipalities=30,
        indicators=8,
        years=3,
        series=3,
        initiatives=4,
        documents=4,
        evidence=4,
        code_prefix="PLAN",
        stdout=StringIO(),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    city = Municipality.objects.get(code="PLAN001")
    planner = get_user_model().objects.create_user("plan-planner")
    Membership.objects.create(user=planner, municipality=city, role="planner")
    Edition.objects.filter(municipality=city).delete()
    return {
        "draft": make_edition(city, 2024),
        "published": make_edition(city, 2023, state="published"),
        "planner": planner,
    }


def _whole_tables(client: Client, url: str) -> set[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return explained_whole_reads(captured.captured_queries) & BIG


def test_the_edition_pages_of_a_city_read_no_whole_table_of_the_network(network):
    planner = Client()
    planner.force_login(network["planner"])
    draft, published = network["draft"].pk, network["published"].pk
    for client, url in (
        (planner, reverse("vlr:edition", args=[draft])),
        (planner, reverse("vlr:preview", args=[draft])),
        (planner, reverse("vlr:edition", args=[published])),
        (Client(), reverse("vlr:public_edition", args=[published])),
    ):
        client.get(url)  # the session and language
        assert _whole_tables(client, url) == set(), url

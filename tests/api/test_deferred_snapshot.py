"""Lists never read an edition's frozen snapshot (megabytes of JSON each at national scale):
the public list, a city's edition list, the API editions and edition-sections lists; nor does
the public edition page, which reads the summary stored at approval. The one edition's page and
its workbook still read it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.vlr.models import Edition

from . import factories as f

API = "/api/v1"
pytestmark = pytest.mark.django_db


def _snapshot_reads(queries, name="snapshot") -> list[str]:
    column = connection.ops.quote_name(name)
    return [
        q["sql"] for q in queries if column in q["sql"] and q["sql"].lstrip().upper().startswith("SELECT")
    ]


@pytest.fixture
def published(muni_a):
    edition = f.edition(muni_a, state="published", year=2024)
    edition.refresh_from_db()
    assert edition.snapshot, "approval froze the numbers"
    return edition


@pytest.mark.parametrize(
    "path",
    [
        lambda e: reverse("vlr:public_list"),
        lambda e: reverse("vlr:edition_list", args=[e.municipality.code]),
        lambda e: f"{API}/editions/",
        lambda e: f"{API}/edition-sections/",
        lambda e: f"{API}/editions/{e.pk}/",
        lambda e: reverse("vlr:public_edition", args=[e.pk]),
    ],
    ids=["public-list", "city-list", "api-editions", "api-edition-sections", "api-edition", "public-edition"],
)
def test_lists_do_not_select_the_snapshot(path, published, planner_a, client, api):
    client.force_login(planner_a)
    url = path(published)
    with CaptureQueriesContext(connection) as captured:
        response = (api(planner_a) if url.startswith(API) else client).get(url)
    assert response.status_code == 200
    assert str(published.year) in response.content.decode() or url.startswith(f"{API}/edition-sections")
    assert _snapshot_reads(captured.captured_queries) == []
    # The public page's summary is read by that page alone.
    summary_reads = _snapshot_reads(captured.captured_queries, "public_summary")
    assert len(summary_reads) == (1 if url == reverse("vlr:public_edition", args=[published.pk]) else 0)


def test_the_workbook_still_reads_the_frozen_numbers(published, planner_a, api):
    # Change the frozen numbers behind the API's back: the workbook must render them, not live data.
    Edition.objects.filter(pk=published.pk).update(
        snapshot={**published.snapshot, "frozen": "2000-01-01T00:00:00"}
    )
    with CaptureQueriesContext(connection) as captured:
        response = api(planner_a).get(f"{API}/editions/{published.pk}/workbook/")
    assert response.status_code == 200
    assert len(_snapshot_reads(captured.captured_queries)) == 1

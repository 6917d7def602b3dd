"""List totals are counted up to ``API_COUNT_CAP`` rows only (``apps/core/api/pagination.py``).

Below the cap the total is exact; above it ``count_capped`` is true and ``count`` a lower bound,
while ``next``, the last page and ``?page=last`` stay exact, so page-number clients keep working.
Each test runs with the speed shortcuts on (the capped count is a subquery of the rows query)
and off (a separate capped ``COUNT(*)``, as Django's paginator does), through the HTTP API.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from . import factories as f

API = "/api/v1"
CAP = 5


@pytest.fixture(params=[True, False], ids=["fast", "stock"])
def capped(request, settings):
    settings.API_FAST_PATHS = request.param
    settings.API_COUNT_CAP = CAP
    return request.param


def observations(muni, n: int) -> list[int]:
    """``n`` observations of one indicator, years 2000…; their ids in the list's default order."""
    indicator = f.local_indicator(muni)
    return [f.observation(muni, indicator=indicator, year=2000 + year).pk for year in range(n)]


def page(client, number, size=3, **params):
    response = client.get(f"{API}/observations/", {"page_size": size, "page": number, **params})
    assert response.status_code == 200, response.content[:300]
    return response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [0, 1, CAP])
def test_a_list_up_to_the_cap_has_its_exact_count(rows, capped, muni_a, planner_a, api):
    observations(muni_a, rows)
    body = page(api(planner_a), 1)
    assert (body["count"], body["count_capped"]) == (rows, False)
    assert (body["next"] is not None) == (rows > 3)


@pytest.mark.django_db
def test_a_list_over_the_cap_says_its_count_is_capped(capped, muni_a, planner_a, api):
    ids = observations(muni_a, 12)
    client = api(planner_a)
    pages = [page(client, n) for n in (1, 2, 3, 4)]
    # At least cap + 1 rows exist; further on, at least one row after the page.
    assert [(p["count"], p["count_capped"]) for p in pages] == [(6, True), (7, True), (10, True), (12, False)]
    assert [p["next"] is not None for p in pages] == [True, True, True, False]
    assert [row["id"] for p in pages for row in p["results"]] == ids  # every row once, in order
    assert client.get(f"{API}/observations/", {"page_size": 3, "page": 5}).status_code == 404
    last = page(client, "last")  # asks for every row to be counted
    assert (last["count"], last["count_capped"]) == (12, False)
    assert [row["id"] for row in last["results"]] == ids[9:]


@pytest.mark.django_db
def test_the_count_reads_no_more_than_cap_plus_one_rows(
    capped, muni_a, planner_a, api, django_assert_num_queries
):
    observations(muni_a, 12)
    client = api(planner_a)
    page(client, 1)  # the user's scope rows are read once, then kept on the user
    # fast: the rows with their capped total as a subquery (1); stock: the capped COUNT, the rows (2)
    with django_assert_num_queries(1 if capped else 2), CaptureQueriesContext(connection) as queries:
        page(client, 1)
    counting = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    assert len(counting) == 1 and f"LIMIT {CAP + 1}" in counting[0], counting


@pytest.mark.django_db
def test_pages_over_the_cap_keep_a_stable_order_with_equal_values(capped, muni_a, planner_a, api):
    """Rows equal in every ordered field (same year, value) come by id on every database, in the
    direction of the last ordered field (``-year``: newest id first), so an index on
    ``(year, id)`` serves the page read either way."""
    indicators = [f.local_indicator(muni_a) for _ in range(4)]
    for indicator in indicators:
        for year in (2020, 2021, 2022):
            f.observation(muni_a, indicator=indicator, year=year)
    client = api(planner_a)
    for ordering in ("year", "-year", "value"):
        walked, number = [], 1
        while True:
            body = page(client, number, size=2, ordering=ordering)
            walked += [(row["year"], row["id"]) for row in body["results"]]
            if body["next"] is None:
                break
            number += 1
        assert len(walked) == 12 and len({pk for _, pk in walked}) == 12, ordering
        descending = ordering.startswith("-")
        expected = sorted(walked, key=lambda yr_id: (yr_id[0], yr_id[1]), reverse=descending)
        if ordering == "value":  # every value is equal: by id alone
            expected = sorted(walked, key=lambda yr_id: yr_id[1])
        assert walked == expected, ordering


@pytest.mark.django_db
def test_the_schema_documents_the_capped_count(api):
    schema = api(None).get("/api/schema/", {"format": "json"}).json()
    page_schema = schema["components"]["schemas"]["PaginatedObservationList"]
    assert list(page_schema["properties"]) == ["count", "count_capped", "next", "previous", "results"]
    assert page_schema["properties"]["count_capped"]["type"] == "boolean"
    assert (
        "count_capped" in page_schema["required"]
        and "lower bound" in page_schema["properties"]["count"]["description"]
    )

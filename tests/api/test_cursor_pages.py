"""Keyset (cursor) pages, ``?cursor=`` (``apps/core/api/pagination.py``, README "REST API").

Every list endpoint, walked with cursors in every declared ordering, both directions, gives the
rows its page-number pages give, in the same order; going back with ``previous`` gives them
again. Rows added or removed between two requests are neither repeated nor skipped, a
forged, edited or foreign cursor is a bilingual 400, and a cursor page costs the queries a
numbered page does. Each test runs with the speed shortcuts on and off (same bytes).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.api.pagination import CURSOR_SIGNER
from apps.indicators.models import Observation

from . import factories as f
from .test_ordering import ENDPOINTS, _walk, ordering_values

API = "/api/v1"


@pytest.fixture(params=[True, False], ids=["fast", "stock"])
def fast(request, settings):
    settings.API_FAST_PATHS = request.param
    return request.param


def _cursor_walk(client, path: str, params: dict, page_size: int) -> tuple[list[int], list[dict]]:
    """Every row by following ``next`` from ``cursor=``; the pages' bodies too."""
    ids, bodies, url, query = [], [], f"{API}/{path}/", {**params, "page_size": page_size, "cursor": ""}
    while True:
        response = client.get(url, query)
        assert response.status_code == 200, (path, params, response.content[:300])
        body = response.json()
        bodies.append(body)
        ids += [row["id"] for row in body["results"]]
        if body["next"] is None:
            return ids, bodies
        url, query = body["next"], None


def _back_walk(client, last: dict) -> list[int]:
    """Every row before the last page by following ``previous``, in list order."""
    ids, body = [], last
    while body["previous"] is not None:
        response = client.get(body["previous"])
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        ids = [row["id"] for row in body["results"]] + ids
    return ids


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(ENDPOINTS))
def test_cursor_pages_hold_the_rows_of_numbered_pages_in_every_ordering(
    path, fast, muni_a, muni_b, admin, api
):
    f.every_list(muni_a, muni_b)
    client = api(admin)
    model = ENDPOINTS[path].filterset_class._meta.model
    page_size = 2 if model.objects.count() <= 24 else 7
    orderings = [None] + [sign + value for value in ordering_values(ENDPOINTS[path]) for sign in ("", "-")]
    for ordering in orderings:
        params = {"ordering": ordering} if ordering else {}
        numbered, count = _walk(client, path, params, page_size)
        ids, bodies = _cursor_walk(client, path, params, page_size)
        assert ids == numbered, (path, ordering)
        assert {(b["count"], b["count_capped"]) for b in bodies} == {(count, False)}, (path, ordering)
        assert bodies[0]["previous"] is None
        assert _back_walk(client, bodies[-1]) == numbered[: len(numbered) - len(bodies[-1]["results"])], (
            path,
            ordering,
        )


def _observations(muni, years) -> list[int]:
    indicator = f.local_indicator(muni)
    return [f.observation(muni, indicator=indicator, year=year).pk for year in years]


def _get(client, url, params=None) -> dict:
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


@pytest.mark.django_db
def test_rows_added_or_removed_between_requests_are_neither_repeated_nor_skipped(
    fast, muni_a, planner_a, api
):
    ids = _observations(muni_a, range(2000, 2010))
    client = api(planner_a)
    first = _get(client, f"{API}/observations/", {"page_size": 4, "cursor": "", "ordering": "year"})
    assert [row["id"] for row in first["results"]] == ids[:4]
    # Before the cursor: one row added, one removed. After it: one added at the end.
    indicator_id = Observation.objects.get(pk=ids[0]).local_indicator_id
    Observation.objects.create(local_indicator_id=indicator_id, year=1999, value=1.0)
    Observation.objects.filter(pk=ids[1]).delete()
    late = Observation.objects.create(local_indicator_id=indicator_id, year=2030, value=1.0).pk
    rest, url = [], first["next"]
    while url:
        body = _get(client, url)
        rest += [row["id"] for row in body["results"]]
        url = body["next"]
    assert rest == [*ids[4:], late]  # an OFFSET would have skipped ids[4] (two rows shifted it)


@pytest.mark.django_db
def test_a_cursor_follows_the_filters_and_the_tenant_scope(fast, muni_a, muni_b, planner_a, api):
    mine = _observations(muni_a, range(2000, 2006))
    _observations(muni_b, range(2000, 2006))  # planner_a sees nothing of muni_b
    client = api(planner_a)
    body = _get(client, f"{API}/observations/", {"page_size": 2, "cursor": "", "year_min": 2002})
    ids = [row["id"] for row in body["results"]]
    while body["next"]:
        assert "year_min=2002" in body["next"]
        body = _get(client, body["next"])
        ids += [row["id"] for row in body["results"]]
    assert ids == mine[2:]


@pytest.mark.django_db
def test_a_list_over_the_cap_reports_its_capped_count_on_cursor_pages(fast, settings, muni_a, planner_a, api):
    settings.API_COUNT_CAP = 3
    ids = _observations(muni_a, range(2000, 2008))
    client = api(planner_a)
    ids_seen, bodies = _cursor_walk(client, "observations", {}, 3)
    assert ids_seen == ids
    assert [(b["count"], b["count_capped"]) for b in bodies] == [(4, True)] * 3


def _bad(response) -> dict:
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == "invalid" and list(body["errors"]) == ["cursor"], body
    message = body["errors"]["cursor"][0]
    assert " / " in message, message  # 국문 / English
    return body


@pytest.mark.django_db
def test_a_forged_edited_or_foreign_cursor_is_a_bilingual_400(fast, muni_a, planner_a, api):
    _observations(muni_a, range(2000, 2006))
    client = api(planner_a)
    url = f"{API}/observations/"
    real = parse_qs(urlsplit(_get(client, url, {"page_size": 2, "cursor": ""})["next"]).query)["cursor"][0]
    data = CURSOR_SIGNER.unsign_object(real)
    assert data["o"] == ["local_indicator_id", "year", "quarter", "pk"]
    forged = [
        "garbage",
        "x" * 5000,
        real[:-3] + "abc",  # the signature no longer matches
        signing.Signer(salt="another salt").sign_object({**data, "v": [1, "2000; drop", 0, 1]}),
        signing.Signer(key="not our key", salt="vlrtracker.api.cursor").sign_object(data),
    ]
    for cursor in forged:
        _bad(client.get(url, {"cursor": cursor}))
    # Signed by us but not a position of this list: wrong types, lengths, keys.
    for made in (
        {**data, "v": [1, "not a year", 0, 1]},
        {**data, "v": [1]},
        {**data, "r": "yes"},
        {"v": data["v"]},
        [1, 2],
        {**data, "v": [None, 2**70, 0, 1]},
    ):
        _bad(client.get(url, {"cursor": CURSOR_SIGNER.sign_object(made)}))
    _bad(client.get(url, {"cursor": real, "ordering": "-year"}))  # another ordering's cursor
    _bad(client.get(url, {"cursor": real, "page": 2}))  # cursor and page together
    assert client.get(url, {"cursor": real}).status_code == 200


@pytest.mark.django_db
def test_a_cursor_page_costs_the_queries_of_a_numbered_page(
    fast, muni_a, planner_a, api, django_assert_num_queries
):
    _observations(muni_a, range(2000, 2012))
    client = api(planner_a)
    second = _get(client, f"{API}/observations/", {"page_size": 5, "cursor": ""})["next"]
    # fast: the rows with their capped total as a subquery (1);
    # stock: the capped COUNT, then the rows (2) — as for ?page=
    with django_assert_num_queries(1 if fast else 2), CaptureQueriesContext(connection) as queries:
        body = _get(client, second)
    assert len(body["results"]) == 5
    rows = [q["sql"] for q in queries.captured_queries if "LIMIT 6" in q["sql"]]
    assert len(rows) == 1 and "OFFSET" not in rows[0], rows


@pytest.mark.django_db
def test_the_schema_offers_the_cursor_on_list_endpoints(api):
    schema = api(None).get("/api/schema/", {"format": "json"}).json()
    for path in ("observations", "local-indicators", "initiatives", "documents", "evidence-links"):
        parameters = {p["name"]: p for p in schema["paths"][f"{API}/{path}/"]["get"]["parameters"]}
        assert "cursor" in parameters and "page" in parameters, path
        assert parameters["cursor"]["schema"] == {"type": "string"}

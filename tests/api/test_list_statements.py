"""Kept list statements (fast path ``statement``: ``TenantViewSet.list_statement``, ``PageStatement``).

A list page's compiled SQL is kept by viewset, scope, parameters (not the page), language and
count cap, and run again with another LIMIT/OFFSET. What is kept is SQL, never rows: new rows and
a changed scope show at once; every page, size, filter and ordering reads as the stock path does;
a refused parameter keeps nothing; the number kept is bounded.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.api.fast import PARTS
from apps.core.api.viewsets import TenantViewSet
from apps.core.permissions import scope_is_plain
from apps.evidence.models import Document
from apps.indicators.models import LocalIndicator, Observation
from apps.initiatives.models import Initiative, ProgressUpdate
from apps.municipalities.choices import Role
from apps.municipalities.models import Membership

from . import factories as f
from .test_fast_paths import token_client

OBSERVATIONS = "/api/v1/observations/"
INITIATIVES = "/api/v1/initiatives/"


@pytest.fixture(autouse=True)
def nothing_kept():
    TenantViewSet._statements.clear()
    yield
    TenantViewSet._statements.clear()


def _rows(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:300]
    return response.content


def _ids(content: bytes) -> list[int]:
    return [row["id"] for row in json.loads(content)["results"]]


@pytest.mark.django_db
def test_every_page_filter_and_ordering_reads_as_the_stock_path(planner_a, muni_a, muni_b, settings):
    indicator = f.local_indicator(muni_a, public=True)
    for year in range(2001, 2013):
        f.observation(muni_a, indicator=indicator, year=year)
    f.observation(muni_b, public=True, year=2005)
    f.observation(muni_b, public=False, year=2006)  # never visible to planner_a
    for _ in range(7):
        f.initiative(muni_a)
    client = token_client(planner_a)
    asks = [
        (OBSERVATIONS, {}),
        (OBSERVATIONS, {"page_size": 5}),
        (OBSERVATIONS, {"page_size": 5, "page": 2}),
        (OBSERVATIONS, {"page_size": 5, "page": 3}),
        (OBSERVATIONS, {"page_size": 4, "page": 2, "ordering": "-year"}),
        (OBSERVATIONS, {"municipality": "11260", "year_min": 2004, "page_size": 3, "page": 2}),
        (OBSERVATIONS, {"municipality": "41210"}),
        (INITIATIVES, {"page_size": 3, "page": 2}),
        (INITIATIVES, {"ordering": "-title_en", "page_size": 2, "page": 3}),
    ]
    settings.API_FAST_PATHS = PARTS - {"statement"}
    stock = [_rows(client, path, **params) for path, params in asks]
    settings.API_FAST_PATHS = True
    first = [_rows(client, path, **params) for path, params in asks]  # compiled and kept
    again = [_rows(client, path, **params) for path, params in asks]  # read from what was kept
    assert first == stock and again == stock
    # One statement per list, filters and ordering; the page and its size are not part of it.
    assert len(TenantViewSet._statements) == 6


@pytest.mark.django_db
def test_a_kept_statement_runs_the_same_sql_and_finds_new_rows(planner_a, muni_a):
    indicator = f.local_indicator(muni_a)
    f.observation(muni_a, indicator=indicator, year=2010)
    client = token_client(planner_a)
    with CaptureQueriesContext(connection) as compiled:
        assert len(_ids(_rows(client, OBSERVATIONS))) == 1
    f.observation(muni_a, indicator=indicator, year=2011)
    with CaptureQueriesContext(connection) as kept:
        assert len(_ids(_rows(client, OBSERVATIONS))) == 2
    # The same statements, the same number of them: the token, then rows with their total.
    assert [q["sql"] for q in kept.captured_queries] == [q["sql"] for q in compiled.captured_queries]
    assert json.loads(_rows(client, OBSERVATIONS))["count"] == 2


@pytest.mark.django_db
def test_a_changed_scope_reads_other_rows_at_once(planner_a, muni_a, muni_b):
    own = f.observation(muni_a)
    private_b = f.observation(muni_b, public=False)
    client = token_client(planner_a)
    assert _ids(_rows(client, OBSERVATIONS)) == [own.pk]
    Membership.objects.create(user=planner_a, municipality=muni_b, role=Role.VIEWER)
    assert sorted(_ids(_rows(client, OBSERVATIONS))) == sorted([own.pk, private_b.pk])
    Membership.objects.filter(user=planner_a).delete()
    assert _ids(_rows(client, OBSERVATIONS)) == []  # only public rows, and there are none
    assert _ids(_rows(token_client(None), OBSERVATIONS)) == []


@pytest.mark.django_db
def test_a_refused_parameter_is_a_bilingual_400_and_keeps_nothing(planner_a, muni_a):
    f.observation(muni_a)
    client = token_client(planner_a)
    response = client.get(OBSERVATIONS, {"year": "abc"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "year" in body["errors"]
    assert body["detail"] == "입력값이 올바르지 않습니다 / the request contains invalid data"
    assert TenantViewSet._statements == {}
    # A page past the end is still the paginator's 404, with the statement kept for the list.
    assert client.get(OBSERVATIONS, {"page": 9}).status_code == 404
    assert len(TenantViewSet._statements) == 1


@pytest.mark.django_db
def test_cursor_pages_and_the_last_page_take_the_stock_path(planner_a, muni_a):
    indicator = f.local_indicator(muni_a)
    for year in range(2001, 2006):
        f.observation(muni_a, indicator=indicator, year=year)
    client = token_client(planner_a)
    last = json.loads(_rows(client, OBSERVATIONS, page="last", page_size=2))
    cursor = json.loads(_rows(client, OBSERVATIONS, cursor="", page_size=2))
    assert last["count"] == 5 and len(last["results"]) == 1
    assert len(cursor["results"]) == 2
    assert TenantViewSet._statements == {}


@pytest.mark.django_db
def test_what_is_kept_is_bounded(planner_a, muni_a, monkeypatch):
    f.observation(muni_a)
    monkeypatch.setattr(TenantViewSet, "STATEMENTS_KEPT", 3)
    client = token_client(planner_a)
    for year in range(2001, 2011):
        _rows(client, OBSERVATIONS, year_min=year)
    kept = list(TenantViewSet._statements)
    assert len(kept) == 3
    # The oldest went first: the three kept are the last three lists asked for.
    assert [dict(key[-1])["year_min"] for key in kept] == [("2008",), ("2009",), ("2010",)]


def test_only_lists_whose_rows_follow_the_scope_alone_are_kept():
    # An observation's scope is its indicator's; both plain.
    assert all(scope_is_plain(model) for model in (Observation, LocalIndicator, Initiative, ProgressUpdate))
    # A document's for_user also reads who created it: never kept by scope.
    assert not scope_is_plain(Document)

"""A list page's compiled SQL is kept per scope and query string (fast path ``statement``,
``apps/core/api/pagination.py``): a kept statement answers exactly what a fresh compile answers,
as the rows, the total and the user's scope change, and every page keeps its pinned queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.api.fast import PARTS
from apps.core.api.pagination import _statements
from apps.indicators.models import Observation
from apps.municipalities.models import Membership

from . import factories as f
from .test_fast_paths import token_client

API = "/api/v1"
FRESH = PARTS - {"statement"}  # every other shortcut on: the page's SQL compiled per request


def answer(client, settings, kept: bool, **params) -> tuple[int, bytes]:
    settings.API_FAST_PATHS = True if kept else FRESH
    response = client.get(f"{API}/observations/", {"page_size": 3, **params})
    return response.status_code, response.content


@pytest.mark.django_db
def test_a_kept_statement_reads_what_a_fresh_compile_reads(settings, muni_a, muni_b, planner_a):
    indicator = f.local_indicator(muni_a)
    for year in range(2000, 2005):
        f.observation(muni_a, indicator=indicator, year=year)
    f.observation(muni_b, year=2001)  # another city's draft: never on planner A's pages
    client = token_client(planner_a)
    _statements().clear()
    queries = [{}, {"page": 2}, {"year_min": 2002}, {"ordering": "-year"}, {"municipality": muni_a.code}]

    def same_both_ways():
        for params in queries:
            assert answer(client, settings, True, **params) == answer(client, settings, False, **params), (
                params
            )

    same_both_ways()
    assert all(answer(client, settings, True, **params)[0] == 200 for params in queries)
    assert len(_statements()) == len(queries)  # one statement per query string, kept
    same_both_ways()
    assert len(_statements()) == len(queries)  # run again, not compiled again

    # New, changed and deleted rows: the total and the rows are read afresh.
    f.observation(muni_a, indicator=indicator, year=2010)
    Observation.objects.filter(local_indicator=indicator, year=2000).update(value=99.5)
    Observation.objects.filter(local_indicator=indicator, year=2003).delete()
    same_both_ways()
    assert answer(client, settings, True, page=2)[1].count(b'"id"') == 2  # 5 rows now: 3 + 2

    # Another scope is another statement: the planner who lost the city sees nothing of it.
    Membership.objects.filter(user=planner_a).delete()
    client = token_client(planner_a)
    assert b'"count":0' in answer(client, settings, True)[1]
    same_both_ways()  # page 2: 404 both ways


@pytest.mark.django_db
def test_a_kept_statement_keeps_the_pinned_queries(settings, muni_a, planner_a, django_assert_num_queries):
    indicator = f.local_indicator(muni_a)
    for year in range(2000, 2005):
        f.observation(muni_a, indicator=indicator, year=year)
    client = token_client(planner_a)
    answer(client, settings, True)
    # The token with its user and scopes (1); the page's rows with their capped total (1).
    with django_assert_num_queries(2), CaptureQueriesContext(connection) as captured:
        answer(client, settings, True)
    assert "COUNT(*)" in captured.captured_queries[-1]["sql"]


@pytest.mark.django_db
def test_statements_are_kept_only_where_the_sql_depends_on_the_query_string_alone(
    settings, muni_a, planner_a
):
    f.initiative(muni_a)
    client = token_client(planner_a)
    _statements().clear()
    settings.API_FAST_PATHS = True
    assert client.get(f"{API}/initiatives/").status_code == 200  # not declared list_statement_kept
    assert client.get(f"{API}/observations/", {"year": "abc"}).status_code == 400  # refused first
    assert len(_statements()) == 0

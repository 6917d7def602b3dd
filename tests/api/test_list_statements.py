"""Kept list statements (fast path ``statement``: ``TenantViewSet.list_statement``,
``PageStatement``, ``statements.KeptStatements``).

A list page's compiled SQL is kept by viewset, scope, the FilterSet's cleaned values (not the
page), language and count cap, and run again with another LIMIT/OFFSET; values that only fill a
parameter are bound into the statement kept for the list's shape. What is kept is SQL, never
rows: new rows and a changed scope show at once; every page, size, filter, value and ordering
reads as the stock path does; only values the probes show as plain parameters bind; a refused
parameter keeps nothing; the number kept is bounded.
"""

from __future__ import annotations

import json
from decimal import Decimal
from urllib.parse import urlencode

import django_filters
import pytest
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from apps.core.api.fast import PARTS
from apps.core.api.pagination import PageStatement
from apps.core.api.statements import kinds_of, learn_slots
from apps.core.api.viewsets import TenantViewSet
from apps.core.filtersets import YEAR_VALIDATORS, BaseFilterSet
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
    TenantViewSet.statements.clear()
    yield
    TenantViewSet.statements.clear()


def _rows(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:300]
    return response.content


def _ids(content: bytes) -> list[int]:
    return [row["id"] for row in json.loads(content)["results"]]


@pytest.mark.django_db
def test_every_page_filter_and_ordering_reads_as_the_stock_path(
    planner_a, muni_a, muni_b, settings, monkeypatch
):
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
    compiled = _count_compiles(monkeypatch)
    first = [_rows(client, path, **params) for path, params in asks]  # compiled and kept
    # One statement per list, filters and ordering; the page and its size are not part of it.
    assert len(compiled) == 6
    again = [_rows(client, path, **params) for path, params in asks]  # read from what was kept
    assert first == stock and again == stock
    assert len(compiled) == 6


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
    assert TenantViewSet.statements.entries == {}
    # A page past the end is still the paginator's 404, with the statement kept for the list.
    assert client.get(OBSERVATIONS, {"page": 9}).status_code == 404
    assert len(TenantViewSet.statements.entries) == 1


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
    assert TenantViewSet.statements.entries == {}


@pytest.mark.django_db
def test_what_is_kept_is_bounded(planner_a, muni_a, monkeypatch):
    f.observation(muni_a)
    monkeypatch.setattr(TenantViewSet.statements, "size", 3)
    client = token_client(planner_a)
    for goal in range(1, 11):  # a filter with a method: each value is a list of its own
        _rows(client, OBSERVATIONS, goal=goal)
    kept = list(TenantViewSet.statements.entries)
    assert len(kept) == 3
    # The oldest went first: the three kept are the last three lists asked for.
    assert [_shape(key)["goal"] for key in kept] == [Decimal(8), Decimal(9), Decimal(10)]


def _shape(key: tuple) -> dict:
    """A kept key's values (or kinds) by parameter, without their types."""
    _, pairs = key[-1]  # frozen([(name, value or kind), ...]): each item with its type
    return {name: value for _, ((_, name), (_, value)) in pairs}


@pytest.mark.django_db
def test_values_that_fill_a_parameter_are_bound_into_one_statement(
    planner_a, muni_a, muni_b, settings, monkeypatch
):
    """Another year, city or indicator of a list runs its kept statement with the values put in,
    and reads exactly as the stock path; values of a filter with a method, choices and the
    ordering stay part of the key."""
    first = f.local_indicator(muni_a, public=True, code="A_%1")
    second = f.local_indicator(muni_a, code="B-2")
    for year in range(2001, 2011):
        f.observation(muni_a, indicator=first, year=year)
        f.observation(muni_a, indicator=second, year=year)
    f.observation(muni_b, public=True, year=2005)
    client = token_client(planner_a)
    values = {
        "municipality": ["11260", "41210", "99999"],
        "municipality_id": [muni_a.pk, muni_b.pk],
        "local_indicator": [first.pk, second.pk, 10**12],
        "local_indicator_code": ["A_%1", "A__1", "B-2", "%", "a'b\\"],
        "year": [2001, 2005, 2100, 1900],
        "year_min": [2003, "2009.0", 1900],
        "year_max": [2004, 2100],
    }
    asks = [{name: value} for name, many in values.items() for value in many]
    asks += [
        {"year_min": a, "year_max": b, "page_size": 3} for a, b in [(2002, 2008), (2004, 2005), (2008, 2002)]
    ]
    settings.API_FAST_PATHS = PARTS - {"statement"}
    stock = [_rows(client, OBSERVATIONS, **params) for params in asks]
    settings.API_FAST_PATHS = True
    compiled = _count_compiles(monkeypatch)
    assert [_rows(client, OBSERVATIONS, **params) for params in asks] == stock
    # Each set of parameter names was learnt from its second values: one statement with every
    # value in a slot, and every value after that bound into it.
    learnt = {key: entry[1] for key, entry in TenantViewSet.statements.entries.items() if _learnt(entry)}
    assert len(learnt) == len(values) + 1
    assert all(set(slots) == set(_shape(key)) for key, slots in learnt.items())
    compiled.clear()
    assert _rows(client, OBSERVATIONS, year=2003) and compiled == []  # kept, bound
    assert _rows(client, OBSERVATIONS, year_min=2006, year_max=2007) and compiled == []

    TenantViewSet.statements.clear()
    for params in ({"goal": 11}, {"quarter": 0}, {"ordering": "-year"}, {"total_only": "true"}):
        _rows(client, OBSERVATIONS, **params)
    kept = [_shape(key) for key in TenantViewSet.statements.entries]
    assert kept == [
        {"goal": Decimal(11)},
        {"quarter": "0"},
        {"ordering": ((str, "-year"),)},
        {"total_only": True},
    ]
    assert compiled == [()] * 4  # none of them has a value to probe


def _learnt(entry) -> bool:
    return isinstance(entry, tuple) and bool(entry[1])


def _count_compiles(monkeypatch) -> list:
    """The statements compiled from now on (``PageStatement`` still compiles them)."""
    calls, compile_ = [], PageStatement.__init__

    def counted(self, *args, **kwargs):
        calls.append(())
        return compile_(self, *args, **kwargs)

    monkeypatch.setattr(PageStatement, "__init__", counted)
    return calls


class ProbedFilterSet(BaseFilterSet):
    source = django_filters.CharFilter(field_name="source", max_length=50)
    source_has = django_filters.CharFilter(field_name="source", lookup_expr="icontains", max_length=50)
    year = django_filters.NumberFilter(field_name="year", validators=YEAR_VALIDATORS)
    year_wide = django_filters.NumberFilter(
        field_name="year", validators=[MinValueValidator(0), MaxValueValidator(2**70)]
    )
    year_open = django_filters.NumberFilter(field_name="year")

    class Meta:
        model = Observation
        fields: list[str] = []


def _slots(**params) -> dict:
    filterset = ProbedFilterSet(QueryDict(urlencode(params)))
    assert filterset.is_valid(), filterset.errors
    cleaned = filterset.form.cleaned_data

    def compile_with(values):
        filterset.form.cleaned_data = values
        return PageStatement(filterset.filter_queryset(Observation.objects.all()), 100)

    base = compile_with(cleaned)
    return learn_slots(compile_with, cleaned, kinds_of(filterset), filterset.form.fields, base)


@pytest.mark.django_db
def test_only_values_the_probes_show_as_plain_parameters_are_bound():
    # An exact string and a year within its validators: each fills the rows' and the count's WHERE.
    slots = _slots(source="통계청", year=2020)
    assert {name: len(positions) for name, (positions, *_) in slots.items()} == {"source": 2, "year": 2}
    # icontains wraps and escapes its value ('%통계%'): the probe with % and _ shows it.
    assert _slots(source_has="통계") == {}
    # A bound the column cannot hold: Django compiles "nothing matches" instead of the value.
    assert _slots(year_wide=2020) == {}
    # No bounds at all, a fractional number: never a candidate.
    assert _slots(year_open=2020) == _slots(year=Decimal("2020.5")) == {}


@pytest.mark.django_db
def test_a_shape_is_learnt_from_its_second_values_and_unknown_parameters_change_nothing(
    planner_a, muni_a, monkeypatch
):
    f.observation(muni_a)
    client = token_client(planner_a)
    compiled = _count_compiles(monkeypatch)
    first = _rows(client, OBSERVATIONS, municipality="11260", nonce=1)
    assert _rows(client, OBSERVATIONS, municipality="11260", nonce=2) == first
    assert len(compiled) == 1  # a list asked once costs one compile, as it did before slots
    assert not any(_learnt(entry) for entry in TenantViewSet.statements.entries.values())
    _rows(client, OBSERVATIONS, municipality="41210")
    assert len(compiled) == 4  # the second values: compiled, and compiled with both probes
    _rows(client, OBSERVATIONS, municipality="99999")
    assert len(compiled) == 4
    assert sum(map(_learnt, TenantViewSet.statements.entries.values())) == 1


def test_only_lists_whose_rows_follow_the_scope_alone_are_kept():
    # An observation's scope is its indicator's; both plain.
    assert all(scope_is_plain(model) for model in (Observation, LocalIndicator, Initiative, ProgressUpdate))
    # A document's for_user also reads who created it: never kept by scope.
    assert not scope_is_plain(Document)

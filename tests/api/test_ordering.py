"""One ordering mechanism: each FilterSet's ``ordering`` filter, with the primary key always last.

Every list endpoint is walked page by page with every ordering value it declares, ascending and
descending, and with none: each page answers 200, the pages together hold every row exactly
once, the rows follow the asked order, and rows with equal values come by ascending id (the
test data gives every orderable field equal values, see ``factories.every_list``). The rows
query itself ends its ORDER BY with the primary key. CI runs this on SQLite and PostgreSQL;
PostgreSQL returns ties in any order, so without the tie-breaker pages repeat or skip rows.
"""

from __future__ import annotations

import itertools
import re
from importlib import import_module

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_filters import OrderingFilter

from . import factories as f

API = "/api/v1"
APPS = ("sdg", "municipalities", "indicators", "initiatives", "evidence", "vlr", "datacalls")


def list_endpoints() -> dict[str, type]:
    """Every ``/api/v1/`` resource with a list action → its viewset."""
    found = {}
    for app in APPS:
        for prefix, viewset, _ in import_module(f"apps.{app}.api.urls").router.registry:
            if hasattr(viewset, "list"):
                found[prefix] = viewset
    return found


ENDPOINTS = list_endpoints()


def ordering_values(viewset) -> dict[str, str]:
    """Declared ``ordering`` values of the endpoint's FilterSet → the model field each sorts by."""
    filterset = viewset.filterset_class
    filters = [flt for flt in filterset.base_filters.values() if isinstance(flt, OrderingFilter)]
    assert len(filters) == 1, f"{filterset.__name__} should declare one ordering filter"
    return dict(filters[0].param_map)  # public name → model field


def test_every_list_endpoint_declares_its_orderings():
    assert set(ENDPOINTS) == {
        "goals",
        "targets",
        "indicators",
        "municipalities",
        "local-indicators",
        "observations",
        "initiatives",
        "progress-updates",
        "documents",
        "evidence-links",
        "editions",
        "edition-sections",
        "comments",
        "cycle-settings",
        "cycle-dates",
        "submissions",
        "ordinance-reviews",
        "participation-records",
        "assessment-panels",
        "data-calls",
    }
    assert sum(len(ordering_values(viewset)) for viewset in ENDPOINTS.values()) >= 39  # the 39 of issue 13


def _walk(client, path: str, params: dict, page_size: int) -> tuple[list[int], int]:
    ids, page, count = [], 1, None
    while True:
        response = client.get(f"{API}/{path}/", {**params, "page_size": page_size, "page": page})
        assert response.status_code == 200, (path, params, page, response.content[:300])
        body = response.json()
        count = body["count"] if count is None else count
        assert body["count"] == count, (path, params, "the total changed between pages")
        ids += [row["id"] for row in body["results"]]
        if body["next"] is None:
            return ids, count
        page += 1


def _sort_key_violations(pairs: list[tuple], descending: bool) -> list:
    """Adjacent (value, id) pairs out of order: values in the asked direction (NULLs are placed
    by the database, so they are only compared with each other), equal values by id in the same
    direction (so one index on (field, id) serves both)."""
    wrong = []
    for (value_a, id_a), (value_b, id_b) in itertools.pairwise(pairs):
        if value_a == value_b:
            if (id_a > id_b) != descending:
                wrong.append(((value_a, id_a), (value_b, id_b)))
        elif value_a is not None and value_b is not None and (value_a > value_b) != descending:
            wrong.append(((value_a, id_a), (value_b, id_b)))
    return wrong


def _rows_query_ends_with_pk(client, path: str, params: dict, model) -> None:
    table = model._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{API}/{path}/", {**params, "page_size": 2}).status_code == 200
    rows = [q["sql"] for q in queries if f'FROM "{table}"' in q["sql"] and "ORDER BY" in q["sql"]]
    assert rows, (path, params, [q["sql"] for q in queries])
    order_by = rows[0].rsplit("ORDER BY", 1)[1]
    assert re.search(rf'"{table}"\."{model._meta.pk.column}" (ASC|DESC)\s*(LIMIT|$)', order_by.strip()), (
        path,
        params,
        order_by,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(ENDPOINTS))
def test_every_declared_ordering_pages_through_every_row_once_in_a_stable_order(
    path, muni_a, muni_b, admin, api
):
    f.every_list(muni_a, muni_b)
    viewset = ENDPOINTS[path]
    model = viewset.filterset_class._meta.model
    client = api(admin)  # sees every row of both cities
    total = model.objects.count()
    assert total >= 4, f"{path}: too few rows to page through"
    page_size = 2 if total <= 24 else 7 if total <= 60 else 50

    ids, count = _walk(client, path, {}, page_size)  # the default order
    assert (
        count == total and len(ids) == total and set(ids) == set(model.objects.values_list("pk", flat=True))
    ), path
    _rows_query_ends_with_pk(client, path, {}, model)

    for value, field in ordering_values(viewset).items():
        for descending in (False, True):
            ordering = f"-{value}" if descending else value
            ids, count = _walk(client, path, {"ordering": ordering}, page_size)
            assert len(ids) == len(set(ids)) == count == total, (path, ordering, "rows repeated or skipped")
            values = dict(model.objects.filter(pk__in=ids).values_list("pk", field))
            assert not _sort_key_violations([(values[pk], pk) for pk in ids], descending), (path, ordering)
            _rows_query_ends_with_pk(client, path, {"ordering": ordering}, model)


@pytest.mark.django_db
def test_ordering_by_the_local_indicator_code_works(muni_a, planner_a, api):
    """The value that answered 500 when DRF's OrderingFilter ran after the FilterSet's."""
    first, second = f.local_indicator(muni_a, code="B-2"), f.local_indicator(muni_a, code="A-1")
    f.observation(muni_a, indicator=first, year=2020)
    f.observation(muni_a, indicator=second, year=2021)
    response = api(planner_a).get(f"{API}/observations/", {"ordering": "-local_indicator_code"})
    assert response.status_code == 200
    assert [row["local_indicator_code"] for row in response.json()["results"]] == ["B-2", "A-1"]


@pytest.mark.django_db
def test_an_undeclared_ordering_is_a_400(planner_a, api):
    for value in ("password", "local_indicator__municipality__name_ko", "id; drop table"):
        response = api(planner_a).get(f"{API}/observations/", {"ordering": value})
        assert response.status_code == 400 and "ordering" in response.json()["errors"], value


def test_the_schema_lists_each_endpoint_s_ordering_values(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    out = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(out), stdout=StringIO(), stderr=StringIO())
    schema = yaml.safe_load(out.read_text())
    for path, viewset in ENDPOINTS.items():
        parameters = [
            p for p in schema["paths"][f"{API}/{path}/"]["get"]["parameters"] if p["name"] == "ordering"
        ]
        assert len(parameters) == 1, path
        described = set(parameters[0]["schema"]["items"]["enum"])
        declared = set(ordering_values(viewset))
        assert described == declared | {f"-{value}" for value in declared}, path

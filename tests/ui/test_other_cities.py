"""A city's pages and API lists cost the same whatever other cities hold: building a second
city's data (indicators with values, public ones among them, initiatives, evidence, a published
edition) leaves the first city's queries the same in number and in SQL shape."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.vlr.services import edition_create, edition_transition
from tests.api.conftest import client_for as api_client

from .conftest import make_document, make_indicator, make_initiative, make_suggestion

pytestmark = pytest.mark.django_db

PAGES = {
    "dashboard": lambda c: reverse("municipalities:dashboard", args=["11260"]),
    "indicator": lambda c: reverse("indicators:detail", args=["11260", c["indicators"][0].pk]),
    "indicators": lambda c: reverse("indicators:list", args=["11260"]),
}
API_LISTS = [
    "local-indicators",
    "observations",
    "initiatives",
    "progress-updates",
    "documents",
    "evidence-links",
    "editions",
    "edition-sections",
]


def _shapes(get) -> list[str]:
    """The SQL of one request with its literals blanked out (the shape of each query)."""
    with CaptureQueriesContext(connection) as captured:
        response = get()
    assert response.status_code == 200
    return [re.sub(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b", "?", q["sql"]) for q in captured.captured_queries]


def _second_city(muni, coordinator) -> None:
    for i in range(8):
        make_indicator(muni, f"B-{i}", {2015: 10.0 + i, 2020: 12.0 + i}, is_public=bool(i % 2))
        make_initiative(muni, f"다른 사업 {i}", title_en=f"Other initiative {i}", is_public=bool(i % 2))
        make_suggestion(
            make_document(muni, body=f"광명시 미세먼지 문서 {i}", title=f"광명 {i}", is_public=True)
        )
    planner = muni.memberships.select_related("user").first().user
    edition = edition_create(municipality=muni, year=2024, actor=planner)
    edition_transition(edition=edition, action="submit", actor=planner)
    for verb in ("approve", "publish"):
        edition_transition(edition=edition, action=verb, actor=coordinator)


def test_the_first_citys_queries_do_not_depend_on_a_second_city(
    city, ui, planner_a, planner_b, coordinator, muni_b
):
    page_client = ui(planner_a)
    urls = {name: url(city) for name, url in PAGES.items()}
    requests = {name: (lambda url=url: page_client.get(url)) for name, url in urls.items()}
    for path in API_LISTS:

        def get(path=path):
            planner_a.__dict__.pop("_vlr_scopes", None)  # each request computes its scopes afresh
            return api_client(planner_a).get(f"/api/v1/{path}/", {"municipality": "11260", "page_size": 50})

        requests[f"api {path}"] = get
    for get in requests.values():
        get()  # warm the session and the language
    alone = {name: _shapes(get) for name, get in requests.items()}

    _second_city(muni_b, coordinator)

    for name, get in requests.items():
        assert _shapes(get) == alone[name], f"{name}: the queries changed once another city had data"

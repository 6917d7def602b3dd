"""UI test helpers: logged-in Django test clients and a small city with data (중랑구, muni_a)."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.vlr.services import edition_create
from tests.api.conftest import coordinator_c  # noqa: F401  (the out-of-scope coordinator)
from tests.factories import (
    make_data_call,
    make_document,
    make_indicator,
    make_initiative,
    make_suggestion,
)


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None and getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


@pytest.fixture
def ui():
    """``ui(user)`` → a Django test client logged in as ``user`` (anonymous for anon/None)."""
    return client_for


def pm25(municipality, code, values=None, **fields):
    """The UI tests' indicator: fine dust of the city, falling from its 2015 baseline towards
    15 ㎍/㎥ by 2030 (``tests.factories.make_indicator`` with these fields)."""
    values = {2015: 26.0, 2020: 22.0, 2023: 19.0} if values is None else values
    first = next(iter(values.values()), None)
    fields = {
        "name_ko": f"초미세먼지 농도 {code}",
        "name_en": f"PM2.5 {code}",
        "unit": "㎍/㎥",
        "direction": -1,
        "baseline_year": 2015 if values else None,
        "baseline_value": first,
        "target_year": 2030,
        "target_value": 15.0,
        "data_source": "대기환경연보",
        **fields,
    }
    if fields["target_value"] is None:
        fields["target_year"] = None
    return make_indicator(municipality, code, values, **fields)


@pytest.fixture
def city(muni_a, planner_a):
    """중랑구 with two indicators, an initiative, a document with a suggestion, a draft edition,
    an open data call for 2023."""
    indicators = [
        pm25(muni_a, "L-1"),
        pm25(
            muni_a,
            "L-2",
            {2015: 10.0, 2019: 10.5, 2023: 9.0},
            targets=("7.2",),
            direction=1,
            target_value=30.0,
        ),
    ]
    initiative = make_initiative(
        muni_a, "미세먼지 저감 사업", title_en="Fine dust reduction", groups=("older_people",)
    )
    document = make_document(muni_a)
    suggestion = make_suggestion(document)
    edition = edition_create(municipality=muni_a, year=2025, actor=planner_a)
    return {
        "data_call": make_data_call(muni_a, 2023),
        "indicators": indicators,
        "initiative": initiative,
        "document": document,
        "suggestion": suggestion,
        "edition": edition,
    }

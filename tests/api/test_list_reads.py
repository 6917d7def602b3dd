"""The list endpoints' fast read path gives exactly what plain DRF would.

List pages read ``.values()`` rows (observations, initiatives), take the page total from a
COUNT subquery of the rows query, attach an initiative's links with one UNION query, serialize
through a plan built once per class and encode with orjson. Each test holds one of those to the
slow, obvious way of doing the same thing (``test_fast_paths.py`` runs whole pages both ways).
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid

import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from rest_framework import renderers, serializers
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.core.api.renderers import JSONRenderer
from apps.evidence.models import EvidenceLink
from apps.indicators.api.serializers import ObservationSerializer
from apps.indicators.choices import Disability, Sex
from apps.indicators.models import Observation
from apps.initiatives.api.serializers import InitiativeSerializer
from apps.initiatives.models import Initiative, InitiativeTarget, PopulationGroup
from apps.initiatives.selectors import initiative_links
from apps.sdg.models import Target

from . import factories as f

API = "/api/v1"


def drf_representation(serializer_class, instance) -> dict:
    """DRF's own ModelSerializer.to_representation on a model instance loaded by the ORM."""
    return serializers.ModelSerializer.to_representation(serializer_class(), instance)


def _by_id(rows: list[dict]) -> dict[int, dict]:
    return {row["id"]: row for row in rows}


@pytest.mark.django_db
def test_observation_rows_are_what_drf_makes_of_the_models(muni_a, muni_b, planner_a, api):
    mine = f.local_indicator(muni_a, code="A-1")
    public_elsewhere = f.local_indicator(muni_b, public=True, code="B-1")
    Observation.objects.create(
        local_indicator=mine,
        year=2021,
        quarter=2,
        sex=Sex.FEMALE,
        disability=Disability.WITH,
        value=3.25,
        source="통계청",
        is_provisional=True,
        is_estimated=True,
        note="잠정치 / provisional",
    )
    f.observation(muni_a, indicator=mine, year=2022)
    f.observation(muni_b, indicator=public_elsewhere, year=2020)

    listed = _by_id(api(planner_a).get(f"{API}/observations/").json()["results"])

    expected = {obs.pk: drf_representation(ObservationSerializer, obs) for obs in Observation.objects.all()}
    assert listed == expected
    assert {row["municipality"] for row in listed.values()} == {"11260", "41210"}


@pytest.mark.django_db
def test_initiative_rows_and_links_are_what_drf_makes_of_the_models(muni_a, planner_a, api):
    first, second = f.initiative(muni_a), f.initiative(muni_a)
    first.start_date, first.end_date, first.budget_krw = (
        datetime.date(2024, 1, 1),
        datetime.date(2026, 12, 31),
        12_500_000,
    )
    first.summary_ko, first.partners = "주민 참여 탄소중립", "중랑구청\n시민단체"
    first.save()
    InitiativeTarget.objects.filter(initiative=first).update(is_primary=False)
    InitiativeTarget.objects.create(initiative=first, target=Target.objects.get(code="3.9"), is_primary=True)
    InitiativeTarget.objects.create(initiative=first, target=Target.objects.get(code="13.2"))
    first.groups_served.set(PopulationGroup.objects.order_by("-id")[:2])
    later_code, earlier_code = f.local_indicator(muni_a, code="Z-9"), f.local_indicator(muni_a, code="A-0")
    first.local_indicators.set([later_code, earlier_code])  # created first, sorts last by code

    listed = _by_id(api(planner_a).get(f"{API}/initiatives/").json()["results"])
    detail = api(planner_a).get(f"{API}/initiatives/{first.pk}/").json()

    expected = {item.pk: drf_representation(InitiativeSerializer, item) for item in Initiative.objects.all()}
    assert listed == expected
    assert listed[first.pk] == detail
    assert [link["target"] for link in listed[first.pk]["targets"]] == [
        "3.9",
        "11.6",
        "13.2",
    ]  # primary first
    assert listed[first.pk]["local_indicators"] == [earlier_code.pk, later_code.pk]
    assert listed[second.pk]["groups_served"] == [] and listed[second.pk]["local_indicators"] == []


@pytest.mark.django_db
def test_initiative_links_answer_every_id_asked_for(muni_a, planner_a):
    item = f.initiative(muni_a)
    missing = Initiative(pk=10**9, municipality=muni_a)
    links = initiative_links([item, item, missing], user=planner_a)
    assert set(links) == {item.pk, 10**9}
    assert links[item.pk].targets == [("11.6", True)]
    assert links[10**9].targets == [] and initiative_links([], user=planner_a) == {}


# ----------------------------------------------------------------------------- page totals


@pytest.mark.django_db
def test_page_totals_and_links_match_the_rows(muni_a, planner_a, api):
    indicator = f.local_indicator(muni_a)
    for year in range(2000, 2007):
        f.observation(muni_a, indicator=indicator, year=year)
    client = api(planner_a)

    pages = [client.get(f"{API}/observations/", {"page_size": 3, "page": n}).json() for n in (1, 2, 3)]
    assert [page["count"] for page in pages] == [7, 7, 7]
    assert [len(page["results"]) for page in pages] == [3, 3, 1]
    assert pages[0]["next"].endswith("page=2&page_size=3") and pages[2]["next"] is None
    assert [row["year"] for page in pages for row in page["results"]] == list(range(2000, 2007))
    last = client.get(f"{API}/observations/", {"page_size": 3, "page": "last"}).json()
    assert last["count"] == 7 and [row["year"] for row in last["results"]] == [2006]
    for bad in (4, 0, -1, "abc"):
        assert client.get(f"{API}/observations/", {"page_size": 3, "page": bad}).status_code == 404


@pytest.mark.django_db
def test_a_page_beyond_the_databases_offset_is_404_not_500(muni_a, planner_a, api):
    """OFFSET is a signed 64-bit integer: ``?page=5319…`` (found by the schema fuzz on the
    frameworks list, PostgreSQL: "bigint out of range", a 500 that aborted the transaction)
    is past the end like any other page."""
    f.observation(muni_a)
    client = api(planner_a)
    for endpoint in ("observations", "frameworks", "initiatives"):
        for page in (2**63 // 50, 53197807383419993550):
            answer = client.get(f"{API}/{endpoint}/", {"page": page})
            assert answer.status_code == 404, (endpoint, page, answer.content[:200])
    assert client.get(f"{API}/observations/").json()["count"] == 1  # the connection still works


@pytest.mark.django_db
def test_an_empty_list_is_a_page_of_nothing(planner_a, api):
    body = api(planner_a).get(f"{API}/observations/").json()
    assert body == {"count": 0, "count_capped": False, "next": None, "previous": None, "results": []}


@pytest.mark.django_db
def test_a_distinct_filter_counts_each_row_once(muni_a, planner_a, api):
    link = f.evidence_link(muni_a)
    initiative = f.initiative(muni_a)  # 11.6, goal 11
    InitiativeTarget.objects.create(initiative=initiative, target=Target.objects.get(code="11.1"))
    # The link points at an initiative with two goal-11 targets: two joined rows for one link.
    EvidenceLink.objects.filter(pk=link.pk).update(target=None, initiative=initiative)
    assert EvidenceLink.objects.filter(initiative__target_links__target__goal__number=11).count() == 2

    body = api(planner_a).get(f"{API}/evidence-links/", {"goal": 11}).json()
    assert body["count"] == 1 and [row["id"] for row in body["results"]] == [link.pk]


# ----------------------------------------------------------------------------- token login


@pytest.mark.django_db
def test_unknown_token_and_inactive_user_are_401(planner_a, django_assert_num_queries):
    token = Token.objects.create(user=planner_a)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE="en")
    # Token, user and scopes in one statement (the fast path "token"), the page with its total.
    with django_assert_num_queries(2):
        assert client.get(f"{API}/observations/").status_code == 200
    bad = APIClient(HTTP_AUTHORIZATION="Token " + "0" * 40, HTTP_ACCEPT_LANGUAGE="en").get(
        f"{API}/observations/"
    )
    assert bad.status_code == 401 and bad.json()["detail"] == "Invalid token."
    planner_a.is_active = False
    planner_a.save()
    inactive = client.get(f"{API}/observations/")
    assert inactive.status_code == 401 and inactive.json()["detail"] == "User inactive or deleted."


# ----------------------------------------------------------------------------- JSON encoding


def test_json_renderer_writes_what_drf_writes():
    data = {
        "text": '중랑구 탄소중립 "따옴표" \u2028 ✓',
        "when": timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 30, 15, 123456), datetime.UTC),
        "local": datetime.datetime(
            2026, 3, 1, 9, 30, 15, 123456, tzinfo=datetime.timezone(datetime.timedelta(hours=9))
        ),
        "day": datetime.date(2026, 3, 1),
        "time": datetime.time(9, 30),
        "money": decimal.Decimal("12.50"),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "lazy": gettext_lazy("Invalid token."),
        "numbers": [1, 2.5, 1e16, -0.0, True, None],
        7: "integer key",
        "nested": [{"a": [datetime.date(2020, 1, 1)]}],
    }
    ours, drf = JSONRenderer().render(data), renderers.JSONRenderer().render(data)
    assert json.loads(ours) == json.loads(drf)
    page = {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [{"id": 1, "title_ko": "사업", "value": 1.5}],
    }
    assert JSONRenderer().render(page) == renderers.JSONRenderer().render(page)
    assert JSONRenderer().render(page, "application/json; indent=2") == renderers.JSONRenderer().render(
        page, "application/json; indent=2"
    )
    assert JSONRenderer().render(None) == b""

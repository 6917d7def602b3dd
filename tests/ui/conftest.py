"""UI test helpers: logged-in Django test clients and a small city with data (중랑구, muni_a)."""
from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from apps.evidence.choices import LinkOrigin, LinkStatus
from apps.evidence.models import Document, EvidenceLink
from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation
from apps.initiatives.models import Initiative, InitiativeTarget, PopulationGroup
from apps.sdg.models import Target
from apps.vlr.services import edition_create
from tests.api.conftest import coordinator_c  # noqa: F401  (the out-of-scope coordinator)


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None and getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


@pytest.fixture
def ui():
    """``ui(user)`` → a Django test client logged in as ``user`` (anonymous for anon/None)."""
    return client_for


def make_indicator(municipality, code: str, *, target="11.6", values=((2015, 26.0), (2020, 22.0), (2023, 19.0)),
                   direction=-1, target_value=15.0, public=False, source="대기환경연보") -> LocalIndicator:
    indicator = LocalIndicator.objects.create(
        municipality=municipality, code=code, name_ko=f"초미세먼지 농도 {code}", name_en=f"PM2.5 {code}",
        unit="㎍/㎥", direction=direction, baseline_year=2015, baseline_value=values[0][1] if values else None,
        target_year=2030 if target_value is not None else None, target_value=target_value,
        data_source=source, is_public=public,
    )
    if not values:
        indicator.baseline_year = None
        indicator.save()
    IndicatorAlignment.objects.create(local_indicator=indicator, target=Target.objects.get(code=target))
    Observation.objects.bulk_create(Observation(local_indicator=indicator, year=y, value=v) for y, v in values)
    return indicator


def make_initiative(municipality, title_ko="미세먼지 저감 사업", title_en="Fine dust reduction", *, target="11.6",
                    public=False, budget=1_000_000) -> Initiative:
    initiative = Initiative.objects.create(
        municipality=municipality, title_ko=title_ko, title_en=title_en, is_public=public, budget_krw=budget,
    )
    InitiativeTarget.objects.create(initiative=initiative, target=Target.objects.get(code=target), is_primary=True)
    # get_or_create: transactional (browser) tests flush the groups the migration loaded.
    group, _ = PopulationGroup.objects.get_or_create(code="older_people", defaults={"name_ko": "노인", "name_en": "Older people"})
    initiative.groups_served.add(group)
    return initiative


def make_document(municipality, body: str = "중랑구는 미세먼지 저감을 위해 전기버스를 도입한다. 대기질 개선이 목표다.",
                  *, title="중랑구 대기질 개선 보도자료", public=False) -> Document:
    return Document.objects.create(
        municipality=municipality, title=title, body=body, is_public=public,
        content_hash=hashlib.sha256(body.encode()).hexdigest(),
    )


def make_suggestion(document, target="11.6", term="미세먼지") -> EvidenceLink:
    start = document.body.index(term)
    return EvidenceLink.objects.create(
        document=document, municipality=document.municipality, target=Target.objects.get(code=target),
        origin=LinkOrigin.SUGGESTED, score=0.82, status=LinkStatus.SUGGESTED,
        reasons=[{"term": term, "start": start, "end": start + len(term), "field": "body"}],
    )


@pytest.fixture
def city(muni_a, planner_a):
    """중랑구 with two indicators, an initiative, a document with a suggestion, a draft edition."""
    indicators = [make_indicator(muni_a, "L-1"), make_indicator(muni_a, "L-2", target="7.2", direction=1,
                                                                  values=((2015, 10.0), (2019, 10.5), (2023, 9.0)),
                                                                  target_value=30.0)]
    initiative = make_initiative(muni_a)
    document = make_document(muni_a)
    suggestion = make_suggestion(document)
    edition = edition_create(municipality=muni_a, year=2025, actor=planner_a)
    return {"indicators": indicators, "initiative": initiative, "document": document,
            "suggestion": suggestion, "edition": edition}

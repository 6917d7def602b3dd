"""Objects of 중랑구 (muni_a) in the states the permission table names, built with the ORM
and the real services (no mocks)."""
from __future__ import annotations

import hashlib
import itertools

from django.contrib.auth import get_user_model

from apps.core.models import Job
from apps.evidence.choices import LinkOrigin, LinkStatus
from apps.evidence.models import Document, EvidenceLink
from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation
from apps.initiatives.models import Initiative, InitiativeTarget, ProgressUpdate
from apps.sdg.models import Target
from apps.vlr.models import Comment, Edition
from apps.vlr.services import edition_create, edition_transition

_counter = itertools.count(1)


def owner():
    """A superuser that performs setup steps (the workflow needs an actor)."""
    user, _ = get_user_model().objects.get_or_create(
        username="setup_owner", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def local_indicator(municipality, *, public=False, code=None) -> LocalIndicator:
    n = next(_counter)
    indicator = LocalIndicator.objects.create(
        municipality=municipality, code=code or f"T-{n}", name_ko=f"지표 {n}", name_en=f"Indicator {n}",
        unit="%", is_public=public,
    )
    IndicatorAlignment.objects.create(local_indicator=indicator, target=Target.objects.get(code="11.6"))
    return indicator


def observation(municipality, *, public=False, indicator=None, year=2020) -> Observation:
    indicator = indicator or local_indicator(municipality, public=public)
    return Observation.objects.create(local_indicator=indicator, year=year, value=1.5)


def initiative(municipality, *, public=False) -> Initiative:
    n = next(_counter)
    item = Initiative.objects.create(
        municipality=municipality, title_ko=f"사업 {n}", title_en=f"Initiative {n}", is_public=public
    )
    InitiativeTarget.objects.create(initiative=item, target=Target.objects.get(code="11.6"), is_primary=True)
    return item


def progress_update(municipality, *, public=False) -> ProgressUpdate:
    return ProgressUpdate.objects.create(initiative=initiative(municipality, public=public), date="2024-03-01", text="진행 중")


def document(municipality, *, public=False) -> Document:
    n = next(_counter)
    body = f"중랑구 탄소중립 문서 {n}. 미세먼지 저감 사업을 추진한다."
    return Document.objects.create(
        municipality=municipality, title=f"문서 {n}", body=body, is_public=public,
        content_hash=hashlib.sha256(body.encode()).hexdigest(),
    )


def evidence_link(municipality, *, public=False, status=LinkStatus.SUGGESTED) -> EvidenceLink:
    doc = document(municipality, public=public)
    return EvidenceLink.objects.create(
        document=doc, municipality=municipality, target=Target.objects.get(code="11.6"),
        origin=LinkOrigin.SUGGESTED, score=0.8, status=status, excerpt_start=0, excerpt_end=10,
        excerpt=doc.body[:10],
    )


PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "approved": ["submit", "approve"],
    "published": ["submit", "approve", "publish"],
}


def edition(municipality, *, state="draft", year=None) -> Edition:
    item = edition_create(municipality=municipality, year=year or 2030 + next(_counter) % 60, actor=owner())
    for verb in PATHS[state]:
        item = edition_transition(edition=item, action=verb, actor=owner())
    return item


def comment(municipality) -> Comment:
    return Comment.objects.create(edition=edition(municipality), author=owner(), body="검토 의견")


def job(municipality, *, started_by=None, with_municipality=True) -> Job:
    """A finished import job about ``municipality`` (or about none: then only its starter sees it)."""
    return Job.objects.create(kind="observations_import", status="succeeded", started_by=started_by or owner(),
                              municipality_id=municipality.pk if with_municipality else None, file_name="annex.csv",
                              result={"rows": 1, "created": 1}, message="done")


def every_list(muni_a, muni_b) -> None:
    """Rows for every tenant list endpoint, in two cities, with equal values in every field a
    list can be ordered by (titles, dates, scores, timestamps, …): only the tie-breaker then
    decides their order. Reference lists (goals, targets, indicators, municipalities) come
    from the fixtures."""
    from apps.indicators.choices import Disability, Sex
    from apps.initiatives.models import PopulationGroup

    when = "2024-05-01T09:00:00+09:00"
    for muni in (muni_a, muni_b):
        indicator = local_indicator(muni, public=True)
        for sex, disability in ((Sex.FEMALE, Disability.WITH), (Sex.MALE, Disability.WITHOUT), (Sex.FEMALE, Disability.WITHOUT)):
            Observation.objects.create(local_indicator=indicator, year=2022, quarter=1, sex=sex, disability=disability, value=7.5)
        for _ in range(2):
            local_indicator(muni)
            item = initiative(muni)
            item.groups_served.set(PopulationGroup.objects.order_by("id")[:2])
            item.local_indicators.add(indicator)
            ProgressUpdate.objects.create(initiative=item, date="2024-03-01", text="진행 중")
            evidence_link(muni)
        for year in (2031, 2032):
            edition(muni, year=year)
        for _ in range(2):
            Comment.objects.create(edition=Edition.objects.filter(municipality=muni).first(), author=owner(), body="의견")
    LocalIndicator.objects.update(name_ko="같은 이름", name_en="Same name", updated_at=when)
    Initiative.objects.update(title_ko="같은 사업", title_en="Same", start_date="2024-01-01", end_date="2026-12-31",
                              budget_krw=1000, updated_at=when)
    ProgressUpdate.objects.update(created_at=when)
    Document.objects.update(title="같은 문서", published_date="2024-04-01", created_at=when)
    EvidenceLink.objects.update(score=0.5, created_at=when, decided_at=when)
    Edition.objects.update(updated_at=when)
    Comment.objects.update(created_at=when)

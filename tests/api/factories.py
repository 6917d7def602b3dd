"""Objects of a municipality in the states the permission table names (public or draft; an
edition in each workflow state), built with the one set of builders in ``tests/factories.py``."""
from __future__ import annotations

import itertools

from apps.evidence.choices import LinkStatus
from apps.evidence.models import Document, EvidenceLink
from apps.indicators.models import LocalIndicator, Observation
from apps.initiatives.models import Initiative, ProgressUpdate
from apps.vlr.models import Comment, Edition
from tests.factories import (
    make_document,
    make_edition,
    make_indicator,
    make_initiative,
    make_suggestion,
    owner,
)

_counter = itertools.count(1)


def local_indicator(municipality, *, public=False, code=None) -> LocalIndicator:
    n = next(_counter)
    return make_indicator(municipality, code or f"T-{n}", is_public=public)


def observation(municipality, *, public=False, indicator=None, year=2020) -> Observation:
    indicator = indicator or local_indicator(municipality, public=public)
    return Observation.objects.create(local_indicator=indicator, year=year, value=1.5)


def initiative(municipality, *, public=False) -> Initiative:
    n = next(_counter)
    return make_initiative(municipality, f"사업 {n}", title_en=f"Initiative {n}", is_public=public, groups=())


def progress_update(municipality, *, public=False) -> ProgressUpdate:
    return ProgressUpdate.objects.create(initiative=initiative(municipality, public=public), date="2024-03-01", text="진행 중")


def document(municipality, *, public=False) -> Document:
    n = next(_counter)
    return make_document(municipality, f"중랑구 탄소중립 문서 {n}. 미세먼지 저감 사업을 추진한다.", title=f"문서 {n}",
                         is_public=public)


def evidence_link(municipality, *, public=False, status=LinkStatus.SUGGESTED) -> EvidenceLink:
    return make_suggestion(document(municipality, public=public), status=status)


def edition(municipality, *, state="draft", year=None) -> Edition:
    return make_edition(municipality, year or 2030 + next(_counter) % 60, state=state, focus_goals=())


def comment(municipality) -> Comment:
    return Comment.objects.create(edition=edition(municipality), author=owner(), body="검토 의견")

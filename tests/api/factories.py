"""Objects of a municipality in the states the permission table names (public or draft; an
edition in each workflow state), built with the one set of builders in ``tests/factories.py``."""

from __future__ import annotations

import itertools

from apps.core.models import Job
from apps.evidence.choices import LinkStatus
from apps.evidence.models import Document, EvidenceLink
from apps.indicators.models import LocalIndicator, Observation
from apps.initiatives.models import Initiative, ProgressUpdate
from apps.vlr.models import Comment, Edition
from tests.factories import (
    make_data_call,
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
    return ProgressUpdate.objects.create(
        initiative=initiative(municipality, public=public), date="2024-03-01", text="진행 중"
    )


def document(municipality, *, public=False) -> Document:
    n = next(_counter)
    return make_document(
        municipality,
        f"중랑구 탄소중립 문서 {n}. 미세먼지 저감 사업을 추진한다.",
        title=f"문서 {n}",
        is_public=public,
    )


def evidence_link(municipality, *, public=False, status=LinkStatus.SUGGESTED) -> EvidenceLink:
    return make_suggestion(document(municipality, public=public), status=status)


def edition(municipality, *, state="draft", year=None, **fields) -> Edition:
    return make_edition(
        municipality, year or 2030 + next(_counter) % 60, state=state, focus_goals=(), **fields
    )


def comment(municipality) -> Comment:
    return Comment.objects.create(edition=edition(municipality), author=owner(), body="검토 의견")


def job(municipality, *, started_by=None, with_municipality=True) -> Job:
    """A finished import job about ``municipality`` (or about none: then only its starter sees it)."""
    return Job.objects.create(
        kind="observations_import",
        status="succeeded",
        started_by=started_by or owner(),
        municipality_id=municipality.pk if with_municipality else None,
        file_name="annex.csv",
        result={"rows": 1, "created": 1},
        message="done",
    )


def every_list(muni_a, muni_b) -> None:
    """Rows for every tenant list endpoint, in two cities, with equal values in every field a
    list can be ordered by (titles, dates, scores, timestamps, …): only the tie-breaker then
    decides their order. Reference lists (goals, targets, indicators, municipalities) come
    from the fixtures."""
    from apps.frameworks.models import FrameworkNode
    from apps.indicators.choices import Disability, Sex
    from apps.initiatives.models import PopulationGroup
    from tests.factories import make_local_framework

    when = "2024-05-01T09:00:00+09:00"
    for muni in (muni_a, muni_b):
        indicator = local_indicator(muni, public=True)
        # nodes of two frameworks, in an order that is neither their ids' nor their codes' as text
        nodes = [
            make_local_framework(muni, goals=1, per_goal=1).nodes.get(code="G1"),
            *FrameworkNode.objects.filter(framework__code="K-SDG", code__in=["11-1", "3-1"]),
        ]
        indicator.framework_nodes.set(nodes)
        for sex, disability in (
            (Sex.FEMALE, Disability.WITH),
            (Sex.MALE, Disability.WITHOUT),
            (Sex.FEMALE, Disability.WITHOUT),
        ):
            Observation.objects.create(
                local_indicator=indicator, year=2022, quarter=1, sex=sex, disability=disability, value=7.5
            )
        for _ in range(2):
            local_indicator(muni)
            item = initiative(muni)
            item.groups_served.set(PopulationGroup.objects.order_by("id")[:2])
            item.local_indicators.add(indicator)
            item.framework_nodes.set(nodes)
            ProgressUpdate.objects.create(initiative=item, date="2024-03-01", text="진행 중")
            evidence_link(muni)
        for year in (2031, 2032):
            edition(muni, year=year)
        for _ in range(2):
            Comment.objects.create(
                edition=Edition.objects.filter(municipality=muni).first(), author=owner(), body="의견"
            )
    LocalIndicator.objects.update(name_ko="같은 이름", name_en="Same name", updated_at=when)
    Initiative.objects.update(
        title_ko="같은 사업",
        title_en="Same",
        start_date="2024-01-01",
        end_date="2026-12-31",
        budget_krw=1000,
        updated_at=when,
    )
    ProgressUpdate.objects.update(created_at=when)
    Document.objects.update(title="같은 문서", published_date="2024-04-01", created_at=when)
    EvidenceLink.objects.update(score=0.5, created_at=when, decided_at=when)
    Edition.objects.update(updated_at=when)
    Comment.objects.update(created_at=when)
    _every_cycle_list(muni_a, muni_b)
    _every_data_call(muni_a, muni_b, when)


def _every_cycle_list(muni_a, muni_b) -> None:
    """Rows of the statutory cycle's lists, equal in every field they can be ordered by."""
    from apps.municipalities.models import Municipality
    from apps.vlr.choices import ReportKind
    from apps.vlr.models import (
        AssessmentPanel,
        CycleDate,
        CycleSettings,
        OrdinanceReview,
        ParticipationRecord,
        Submission,
    )

    for muni in (muni_a, muni_b):
        CycleSettings.objects.create(municipality=muni, strategy_start=2022)
        approved = edition(muni, year=2040, state="approved")
        assessment = edition(muni, year=2041, kind=ReportKind.ASSESSMENT)
        for i in range(2):
            OrdinanceReview.objects.create(
                municipality=muni, item_kind="plan", title="같은 계획", submitted_on="2025-01-01"
            )
            ParticipationRecord.objects.create(
                municipality=muni,
                kind="forum",
                title="같은 포럼",
                held_on="2025-01-01",
                participants={"시민": 1},
            )
            CycleDate.objects.create(municipality=muni, year=2026, due="2026-01-01", title_ko="같은 날")
            Submission.objects.create(
                edition=approved, recipient="같은 곳", sent_on="2026-01-01", file="submissions/x.pdf"
            )
            AssessmentPanel.objects.create(edition=assessment, group="citizens", name=f"{i}", participants=5)
    # One settings row per city: two more cities, so that there are pages to walk through.
    for other in Municipality.objects.exclude(pk__in=[muni_a.pk, muni_b.pk]).order_by("code")[:2]:
        CycleSettings.objects.create(municipality=other, strategy_start=2022)


def _every_data_call(muni_a, muni_b, when: str) -> None:
    """Three data calls per city (two closed, one open), equal in every field they are ordered by."""
    from apps.datacalls.models import DataCall

    for muni in (muni_a, muni_b):
        for _ in range(2):
            make_data_call(muni, 2025)
            DataCall.objects.filter(municipality=muni, closed_at__isnull=True).update(closed_at=when)
        make_data_call(muni, 2025)
    DataCall.objects.update(created_at=when, updated_at=when)

"""The Art. 14 review register and the participation records (Art. 29): structured rows that
the checklist counts and the 지방보고서's sections show."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from apps.sdg.models import Target
from apps.vlr.choices import ParticipationKind, ReportKind, ReviewItemKind, ReviewStatus
from apps.vlr.models import OrdinanceReview, ParticipationRecord
from apps.vlr.selectors import edition_checklist, export_data
from tests.factories import make_edition


@pytest.fixture
def report(muni_a):
    edition = make_edition(muni_a, 2026, kind=ReportKind.LOCAL_REPORT, period_start=2024, period_end=2025)
    review = OrdinanceReview.objects.create(
        municipality=muni_a,
        item_kind=ReviewItemKind.ORDINANCE,
        title="탄소중립 기본 조례 개정안",
        submitted_on=date(2025, 3, 2),
        committee_opinion="온실가스 감축 목표를 SDG 13과 맞출 것",
        authority_response="감축 목표 조항 수정",
        status=ReviewStatus.REFLECTED,
    )
    review.targets.set(Target.objects.filter(code__in=["13.2", "11.6"]))
    OrdinanceReview.objects.create(  # outside the period: not in this report
        municipality=muni_a, item_kind=ReviewItemKind.PLAN, title="2023 계획", submitted_on=date(2023, 5, 1)
    )
    ParticipationRecord.objects.create(
        municipality=muni_a,
        kind=ParticipationKind.DELIBERATION,
        title="지속가능발전 숙의공론화장",
        held_on=date(2025, 6, 14),
        participants={"시민": 40, "전문가": 5, "공무원": 8},
        topics="목표값 조정",
        outcomes="지표 3개 목표값 상향",
    )
    edition.participation = ""
    edition.save()
    return edition


@pytest.mark.django_db
def test_the_local_report_shows_the_register_and_the_forums_of_its_period(report, planner_a):
    client = Client()
    client.force_login(planner_a)
    html = client.get(f"/vlr/{report.pk}/").content.decode()
    assert "탄소중립 기본 조례 개정안" in html and "2023 계획" not in html
    assert "온실가스 감축 목표를 SDG 13과 맞출 것" in html and "11.6, 13.2" in html
    assert "지속가능발전 숙의공론화장" in html and "공무원 8, 시민 40, 전문가 5 (53)" in html


@pytest.mark.django_db
def test_the_checklist_counts_recorded_forums_as_participation(report):
    data = export_data(municipality=report.municipality, edition=report)
    [participation, *_] = edition_checklist(report, data)
    assert participation["ok"] and "1" in participation["label"]
    ParticipationRecord.objects.all().delete()
    data = export_data(municipality=report.municipality, edition=report)
    assert not edition_checklist(report, data)[0]["ok"]


@pytest.mark.django_db
def test_an_approved_report_freezes_its_register(report, planner_a, coordinator):
    from apps.vlr.services import edition_transition

    edition_transition(edition=report, action="submit", actor=planner_a)
    edition_transition(edition=report, action="approve", actor=coordinator)
    report.refresh_from_db()
    assert [r["title"] for r in report.snapshot["reviews"]] == ["탄소중립 기본 조례 개정안"]
    assert report.snapshot["participation_records"][0]["total"] == 53


@pytest.mark.django_db
def test_participants_are_head_counts_and_an_opinion_comes_before_a_decision(muni_a):
    record = ParticipationRecord(
        municipality=muni_a,
        kind=ParticipationKind.FORUM,
        title="포럼",
        held_on=date(2025, 1, 1),
        participants={"시민": -1},
    )
    with pytest.raises(ValidationError, match="head count"):
        record.full_clean()
    review = OrdinanceReview(
        municipality=muni_a,
        item_kind=ReviewItemKind.PLAN,
        title="계획",
        submitted_on=date(2025, 1, 1),
        status=ReviewStatus.REFLECTED,
    )
    with pytest.raises(ValidationError, match="committee's opinion"):
        review.full_clean()

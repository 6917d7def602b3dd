from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from apps.core.exceptions import ApplicationError, PermissionDeniedError
from apps.evidence.choices import LinkOrigin, LinkStatus
from apps.evidence.models import EvidenceLink
from apps.evidence.services import (
    document_dismiss,
    document_ingest,
    document_reclassify,
    document_restore,
    evidence_link_create,
    suggestion_confirm,
    suggestion_reject,
)
from apps.indicators.models import LocalIndicator
from apps.initiatives.models import Initiative
from apps.sdg.models import Target
from tests.factories import make_document, make_suggestion

SEED = Path(settings.BASE_DIR) / "seeds" / "000_5f3c6734aa171128.txt"


@pytest.fixture
def document(planner_a):
    result = document_ingest(data=SEED.read_bytes(), filename=SEED.name, actor=planner_a)
    assert result.status == "created", result.reason
    return result.document


@pytest.mark.django_db
def test_ingested_suggestions_carry_score_reasons_and_an_excerpt_from_the_body(document, planner_a):
    assert document.created_by == planner_a and document.municipality.code == "11260"
    links = list(document.links.all())
    assert links and all(
        link.origin == LinkOrigin.SUGGESTED and link.status == LinkStatus.SUGGESTED for link in links
    )
    primary = max(links, key=lambda link: link.score)
    assert primary.target.goal.number == 4
    for link in links:
        assert link.reasons
        for reason in link.reasons:
            text = document.body if reason["field"] == "body" else document.title
            assert text[reason["start"] : reason["end"]] == reason["match"]
        if link.excerpt_start is not None:
            assert document.body[link.excerpt_start : link.excerpt_end] == link.excerpt


@pytest.mark.django_db
def test_confirm_and_reject_record_who_and_when(document, planner_a, coordinator):
    first, second = document.links.all()[:2]
    suggestion_confirm(link=first, actor=coordinator, note="교육 사례로 적합")
    suggestion_reject(link=second, actor=planner_a)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.decided_by, first.note) == (
        LinkStatus.CONFIRMED,
        coordinator,
        "교육 사례로 적합",
    )
    assert (second.status, second.decided_by) == (LinkStatus.REJECTED, planner_a)
    assert first.decided_at and second.decided_at
    assert first.history.first().history_user == coordinator


@pytest.mark.django_db
def test_a_rejected_suggestion_is_not_suggested_again(document, planner_a):
    link = document.links.first()
    suggestion_reject(link=link, actor=planner_a)
    before = EvidenceLink.objects.count()
    assert document_reclassify(document=document) == []
    assert EvidenceLink.objects.count() == before
    assert EvidenceLink.objects.get(pk=link.pk).status == LinkStatus.REJECTED


@pytest.mark.django_db
def test_other_cities_cannot_decide_or_ingest_for_a_city(document, planner_b, muni_a):
    link = document.links.first()
    with pytest.raises(PermissionDeniedError):
        suggestion_confirm(link=link, actor=planner_b)
    assert EvidenceLink.objects.get(pk=link.pk).status == LinkStatus.SUGGESTED
    with pytest.raises(PermissionDeniedError, match="11260"):
        document_ingest(
            data="중랑구 탄소중립 교육 기사 본문입니다. 주민 300명이 참여했다.",
            filename="",
            municipality=muni_a,
            actor=planner_b,
        )


@pytest.mark.django_db
def test_link_by_hand_quotes_an_excerpt_inside_the_body(document, planner_a, muni_a):
    initiative = Initiative.objects.create(municipality=muni_a, title_ko="주민 ESG 교육")
    start = document.body.index("중랑구가")
    link = evidence_link_create(
        document=document, actor=planner_a, initiative=initiative, excerpt_start=start, excerpt_end=start + 20
    )
    assert link.status == LinkStatus.CONFIRMED and link.origin == LinkOrigin.MANUAL
    assert link.excerpt == document.body[start : start + 20] and link.municipality == muni_a
    with pytest.raises(ValidationError, match="outside the document body"):
        evidence_link_create(
            document=document,
            actor=planner_a,
            target=Target.objects.get(code="4.7"),
            excerpt_start=10,
            excerpt_end=len(document.body) + 5,
        )
    with pytest.raises(ApplicationError, match="excerpt"):
        evidence_link_create(
            document=document,
            actor=planner_a,
            target=Target.objects.get(code="4.7"),
            excerpt_start=None,
            excerpt_end=None,
        )


@pytest.mark.django_db
def test_cannot_link_a_document_to_another_citys_indicator(document, planner_a, muni_b, admin):
    foreign = LocalIndicator.objects.create(municipality=muni_b, code="L1", name_ko="광명 지표")
    with pytest.raises(ApplicationError, match="another municipality"):
        evidence_link_create(
            document=document, actor=admin, local_indicator=foreign, excerpt_start=0, excerpt_end=5
        )


@pytest.mark.django_db
def test_pasted_text_and_duplicates(planner_a):
    text = "중랑구, 청소년 기후행동 교실 운영\n\n중랑구가 청소년을 대상으로 탄소중립과 기후변화 대응 교육을 실시했다고 밝혔다. 구는 온실가스 감축 실천을 확산할 계획이다."
    first = document_ingest(data=text, actor=planner_a)
    again = document_ingest(data=text + "\n\n", actor=planner_a)
    assert first.status == "created" and again.status == "duplicate" and again.document == first.document
    assert first.document.title == "중랑구, 청소년 기후행동 교실 운영"


@pytest.mark.django_db
def test_a_document_with_nothing_waiting_is_dismissed_and_restored(muni_a, planner_a, planner_b):
    quiet = make_document(muni_a, "구청 민원실 운영 시간 안내.", title="민원실 안내")
    with pytest.raises(PermissionDeniedError):
        document_dismiss(document=quiet, actor=planner_b)
    document_dismiss(document=quiet, actor=planner_a)
    quiet.refresh_from_db()
    assert quiet.dismissed_by == planner_a and quiet.dismissed_at is not None
    assert quiet.history.first().history_user == planner_a
    document_restore(document=quiet, actor=planner_a)
    quiet.refresh_from_db()
    assert quiet.dismissed_at is None and quiet.dismissed_by is None


@pytest.mark.django_db
def test_a_document_with_a_suggestion_waiting_is_not_dismissed_whole(muni_a, planner_a):
    link = make_suggestion(make_document(muni_a))
    with pytest.raises(ApplicationError, match="one by one"):
        document_dismiss(document=link.document, actor=planner_a)
    suggestion_reject(link=link, actor=planner_a)  # every suggestion rejected: nothing waits
    assert document_dismiss(document=link.document, actor=planner_a).dismissed_at is not None

import threading

import pytest
from django.db import connection

from apps.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from apps.vlr.choices import SECTION_CODES, EditionStatus
from apps.vlr.models import Comment, Edition, EditionTransition
from apps.vlr.services import (
    comment_create,
    edition_create,
    edition_transition,
    section_update,
)
from apps.vlr.workflow import TRANSITIONS, allowed_transitions


@pytest.fixture
def edition(muni_a, planner_a):
    return edition_create(municipality=muni_a, year=2025, actor=planner_a)


@pytest.mark.django_db
def test_a_new_edition_has_the_default_outline_in_order(edition):
    assert list(edition.sections.values_list("code", flat=True)) == SECTION_CODES
    assert edition.status == EditionStatus.DRAFT
    assert "중랑구" in edition.title_ko and "Jungnang-gu" in edition.title_en


@pytest.mark.django_db
def test_only_planners_of_the_city_create_editions(muni_a, planner_b, coordinator):
    for user in (planner_b, coordinator):
        with pytest.raises(PermissionDeniedError):
            edition_create(municipality=muni_a, year=2025, actor=user)
    assert not Edition.objects.exists()


@pytest.mark.django_db
def test_full_review_cycle_is_logged(edition, planner_a, coordinator):
    edition_transition(edition=edition, action="submit", actor=planner_a)
    edition_transition(edition=edition, action="request_changes", actor=coordinator, comment="지표 출처를 보완해 주세요")
    edition_transition(edition=edition, action="submit", actor=planner_a)
    edition_transition(edition=edition, action="approve", actor=coordinator)
    edition_transition(edition=edition, action="publish", actor=coordinator)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.PUBLISHED
    log = list(EditionTransition.objects.filter(edition=edition).values_list("from_status", "to_status", "actor__username"))
    assert log == [
        ("draft", "submitted", "planner_a"),
        ("submitted", "changes_requested", "coordinator"),
        ("changes_requested", "submitted", "planner_a"),
        ("submitted", "approved", "coordinator"),
        ("approved", "published", "coordinator"),
    ]
    assert Comment.objects.get(edition=edition).body == "지표 출처를 보완해 주세요"
    assert edition.history.first().history_user == coordinator


@pytest.mark.django_db
@pytest.mark.parametrize("action, actor", [("submit", "coordinator"), ("submit", "planner_b"), ("approve", "planner_a")])
def test_roles_are_enforced(request, edition, action, actor, planner_a):
    if action == "approve":
        edition_transition(edition=edition, action="submit", actor=planner_a)
    with pytest.raises(PermissionDeniedError):
        edition_transition(edition=edition, action=action, actor=request.getfixturevalue(actor))


@pytest.mark.django_db
def test_invalid_transition_is_a_conflict_and_changes_nothing(edition, coordinator):
    with pytest.raises(ConflictError) as error:
        edition_transition(edition=edition, action="approve", actor=coordinator)
    assert error.value.status_code == 409
    assert Edition.objects.get(pk=edition.pk).status == EditionStatus.DRAFT
    assert not EditionTransition.objects.exists()


@pytest.mark.django_db
def test_request_changes_needs_a_comment(edition, planner_a, coordinator):
    edition_transition(edition=edition, action="submit", actor=planner_a)
    with pytest.raises(ApplicationError, match="comment is required"):
        edition_transition(edition=edition, action="request_changes", actor=coordinator, comment="  ")


@pytest.mark.django_db
def test_second_approval_from_a_stale_copy_gets_409_and_nothing_changes_twice(edition, planner_a, coordinator, coordinator_all):
    edition_transition(edition=edition, action="submit", actor=planner_a)
    stale = Edition.objects.get(pk=edition.pk)  # the second coordinator loaded the page before the first approved
    edition_transition(edition=edition, action="approve", actor=coordinator)
    stale.status = EditionStatus.SUBMITTED
    with pytest.raises(ConflictError):
        edition_transition(edition=stale, action="approve", actor=coordinator_all)
    assert EditionTransition.objects.filter(to_status=EditionStatus.APPROVED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_in_two_threads_record_exactly_one(muni_a, planner_a, coordinator, coordinator_all):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the threaded race is exercised on PostgreSQL in CI")
    edition = edition_create(municipality=muni_a, year=2025, actor=planner_a)
    edition_transition(edition=edition, action="submit", actor=planner_a)
    barrier, outcomes = threading.Barrier(2), []

    def approve(user):
        copy = Edition.objects.get(pk=edition.pk)
        barrier.wait()
        try:
            edition_transition(edition=copy, action="approve", actor=user)
            outcomes.append("ok")
        except ConflictError:
            outcomes.append("409")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (coordinator, coordinator_all)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["409", "ok"]
    assert EditionTransition.objects.filter(to_status=EditionStatus.APPROVED).count() == 1


@pytest.mark.django_db
def test_sections_are_locked_once_submitted(edition, planner_a, planner_b):
    section = edition.sections.get(code="opening")
    section_update(section=section, actor=planner_a, body_ko="구청장 인사말")
    with pytest.raises(PermissionDeniedError):
        section_update(section=section, actor=planner_b, body_ko="침입")
    edition_transition(edition=edition, action="submit", actor=planner_a)
    section.refresh_from_db()
    with pytest.raises(ApplicationError, match="cannot be edited"):
        section_update(section=section, actor=planner_a, body_ko="변경")
    section.refresh_from_db()
    assert section.body_ko == "구청장 인사말"


@pytest.mark.django_db
def test_comments_by_planner_and_coordinator_but_not_outsiders(edition, planner_a, coordinator, planner_b):
    first = comment_create(edition=edition, actor=coordinator, body="검토 의견")
    reply = comment_create(edition=edition, actor=planner_a, body="반영했습니다", parent=first)
    assert reply.parent == first
    with pytest.raises(PermissionDeniedError):
        comment_create(edition=edition, actor=planner_b, body="남의 VLR")


def test_every_transition_leaves_from_a_real_status():
    for transition in TRANSITIONS.values():
        assert set(transition.source) <= set(EditionStatus.values)
        assert transition.target in EditionStatus.values
    assert [t.action for t in allowed_transitions(EditionStatus.SUBMITTED)] == ["request_changes", "approve"]

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
    edition_transition(
        edition=edition, action="request_changes", actor=coordinator, comment="지표 출처를 보완해 주세요"
    )
    edition_transition(edition=edition, action="submit", actor=planner_a)
    edition_transition(edition=edition, action="approve", actor=coordinator)
    edition_transition(edition=edition, action="publish", actor=coordinator)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.PUBLISHED
    log = list(
        EditionTransition.objects.filter(edition=edition).values_list(
            "from_status", "to_status", "actor__username"
        )
    )
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
@pytest.mark.parametrize(
    "action, actor", [("submit", "coordinator"), ("submit", "planner_b"), ("approve", "planner_a")]
)
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
def test_second_approval_from_a_stale_copy_gets_409_and_nothing_changes_twice(
    edition, planner_a, coordinator, coordinator_all
):
    edition_transition(edition=edition, action="submit", actor=planner_a)
    stale = Edition.objects.get(
        pk=edition.pk
    )  # the second coordinator loaded the page before the first approved
    edition_transition(edition=edition, action="approve", actor=coordinator)
    stale.status = EditionStatus.SUBMITTED
    with pytest.raises(ConflictError):
        edition_transition(edition=stale, action="approve", actor=coordinator_all)
    assert EditionTransition.objects.filter(to_status=EditionStatus.APPROVED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_in_two_threads_record_exactly_one(
    muni_a, planner_a, coordinator, coordinator_all
):
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


# --------------------------------------------------------------------------- edition writes and the lock


@pytest.mark.django_db
def test_edition_update_changes_the_edition_and_its_focus_goals(edition, planner_a):
    from apps.sdg.models import Goal
    from apps.vlr.services import edition_update

    edition_update(
        edition=edition,
        actor=planner_a,
        title_en="Jungnang VLR",
        participation="주민 토론회",
        focus_goals=list(Goal.objects.filter(number__in=[3, 11])),
    )
    edition.refresh_from_db()
    assert (edition.title_en, edition.participation) == ("Jungnang VLR", "주민 토론회")
    assert sorted(edition.focus_goals.values_list("number", flat=True)) == [3, 11]
    assert edition.history.first().history_user == planner_a
    with pytest.raises(ApplicationError):
        edition_update(edition=edition, actor=planner_a, year=2030)  # not editable here


@pytest.mark.django_db
def test_edition_update_is_refused_out_of_scope_and_once_submitted(
    edition, planner_a, planner_b, coordinator
):
    from apps.vlr.services import edition_update

    for user in (planner_b, coordinator):
        with pytest.raises(PermissionDeniedError):
            edition_update(edition=edition, actor=user, title_en="x")
    edition_transition(edition=edition, action="submit", actor=planner_a)
    with pytest.raises(ApplicationError) as locked:
        edition_update(edition=edition, actor=planner_a, title_en="x")
    assert locked.value.code == "edition_locked"


@pytest.mark.django_db
def test_the_edition_lock_is_one_rule_for_the_page_the_api_and_the_services(edition, planner_a):
    """``editable_by`` (the page's forms) and the services' refusal (the API's 400) agree in
    every status."""
    from django.test import Client
    from rest_framework.test import APIClient

    from apps.vlr.services import edition_update
    from apps.vlr.workflow import editable_by

    api = APIClient()
    api.force_authenticate(planner_a)
    page = Client()
    page.force_login(planner_a)
    seen = []
    for status in EditionStatus.values:
        Edition.objects.filter(pk=edition.pk).update(status=status)
        edition.refresh_from_db()
        section = edition.sections.get(code="opening")
        answers = {
            "rule": editable_by(planner_a, edition),
            "page": page.get(f"/vlr/{edition.pk}/").context["editable"],
            "api_edition": api.patch(
                f"/api/v1/editions/{edition.pk}/", {"title_en": status}, format="json"
            ).status_code
            == 200,
            "api_section": api.patch(
                f"/api/v1/edition-sections/{section.pk}/", {"body_en": status}, format="json"
            ).status_code
            == 200,
        }
        try:
            edition_update(edition=edition, actor=planner_a, title_en=f"{status}!")
            answers["service"] = True
        except ApplicationError:
            answers["service"] = False
        assert len(set(answers.values())) == 1, (status, answers)
        seen.append((status, answers["rule"]))
    assert [s for s, editable in seen if editable] == [EditionStatus.DRAFT, EditionStatus.CHANGES_REQUESTED]


@pytest.mark.django_db
def test_page_buttons_and_api_allowed_actions_are_the_same_moves(edition, planner_a, coordinator, viewer_a):
    from django.test import Client
    from rest_framework.test import APIClient

    from apps.vlr.workflow import transitions_for

    for status in (EditionStatus.DRAFT, EditionStatus.SUBMITTED, EditionStatus.APPROVED):
        Edition.objects.filter(pk=edition.pk).update(status=status)
        edition.refresh_from_db()
        for user in (planner_a, coordinator, viewer_a):
            page = Client()
            page.force_login(user)
            api = APIClient()
            api.force_authenticate(user)
            rule = [t.action for t in transitions_for(user, edition)]
            shown = [t.action for t, _form in page.get(f"/vlr/{edition.pk}/").context["buttons"]]
            listed = api.get(f"/api/v1/editions/{edition.pk}/").json()["allowed_actions"]
            assert rule == shown == listed, (status, user.username)


@pytest.mark.django_db
def test_the_admin_keeps_the_edition_lock(edition, planner_a, admin, client):
    """The admin asks the same ``editable_by``: it edits a draft, shows a submitted one read-only."""
    client.force_login(admin)
    url = f"/admin/vlr/edition/{edition.pk}/change/"
    assert 'name="_save"' in client.get(url).content.decode()
    edition_transition(edition=edition, action="submit", actor=planner_a)
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()

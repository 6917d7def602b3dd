"""Edition workflow over HTTP: verbs call apps.vlr.services; invalid or concurrent transitions are 409."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from apps.vlr.choices import EditionStatus
from apps.vlr.models import Comment, Edition, EditionTransition

from . import factories as f

API = "/api/v1"


@pytest.mark.django_db
def test_full_review_cycle_records_every_transition(muni_a, planner_a, coordinator, api):
    edition = f.edition(muni_a)
    planner, reviewer = api(planner_a), api(coordinator)
    url = f"{API}/editions/{edition.pk}"
    assert planner.post(f"{url}/submit/").json()["status"] == "submitted"
    response = reviewer.post(f"{url}/request-changes/", {"comment": "목표 11 근거 보완"}, format="json")
    assert response.json()["status"] == "changes_requested"
    assert planner.post(f"{url}/submit/").json()["allowed_actions"] == []
    assert reviewer.post(f"{url}/approve/").json()["allowed_actions"] == ["publish", "reopen"]
    body = reviewer.post(f"{url}/publish/").json()
    assert body["status"] == "published"
    assert [t["action"] for t in body["transitions"]] == [
        "submit",
        "request_changes",
        "submit",
        "approve",
        "publish",
    ]
    assert Comment.objects.filter(edition=edition, body="목표 11 근거 보완").exists()


@pytest.mark.django_db
def test_request_changes_without_a_comment_is_400_and_changes_nothing(muni_a, coordinator, api):
    edition = f.edition(muni_a, state="submitted")
    response = api(coordinator).post(
        f"{API}/editions/{edition.pk}/request-changes/", {"comment": "  "}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "comment_required"
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SUBMITTED


@pytest.mark.django_db
def test_second_approval_gets_409_and_one_transition_is_recorded(muni_a, coordinator, coordinator_all, api):
    edition = f.edition(muni_a, state="submitted")
    first = api(coordinator).post(f"{API}/editions/{edition.pk}/approve/")
    second = api(coordinator_all).post(f"{API}/editions/{edition.pk}/approve/")
    assert (first.status_code, second.status_code) == (200, 409)
    assert second.json()["code"] == "invalid_transition"
    assert EditionTransition.objects.filter(edition=edition, action="approve").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_approval_over_http_one_wins_the_other_gets_409(
    muni_a, planner_a, coordinator, coordinator_all
):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the HTTP race runs on PostgreSQL in CI")
    edition = f.edition(muni_a, state="submitted")
    barrier, statuses = threading.Barrier(2), []

    def approve(user):
        client = APIClient()
        client.force_authenticate(user)
        barrier.wait()
        try:
            statuses.append(client.post(f"{API}/editions/{edition.pk}/approve/").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (coordinator, coordinator_all)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    assert EditionTransition.objects.filter(edition=edition, action="approve").count() == 1
    assert Edition.objects.get(pk=edition.pk).status == EditionStatus.APPROVED


@pytest.mark.django_db
def test_section_narrative_is_updated_through_the_service_and_locked_after_submit(muni_a, planner_a, api):
    edition = f.edition(muni_a)
    section = edition.sections.get(code="enabling.lnob")
    client = api(planner_a)
    response = client.patch(
        f"{API}/edition-sections/{section.pk}/",
        {"body_ko": "장애인 이동권", "included": False},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["body_ko"], response.json()["included"]) == ("장애인 이동권", False)
    section.refresh_from_db()
    assert section.history.first().history_user == planner_a
    client.post(f"{API}/editions/{edition.pk}/submit/")
    locked = client.patch(f"{API}/edition-sections/{section.pk}/", {"body_ko": "변경"}, format="json")
    assert (locked.status_code, locked.json()["code"]) == (400, "edition_locked")


@pytest.mark.django_db
def test_comments_thread_and_cannot_reply_across_editions(muni_a, planner_a, coordinator, api):
    edition, other = f.edition(muni_a), f.edition(muni_a)
    first = (
        api(coordinator)
        .post(f"{API}/comments/", {"edition": edition.pk, "body": "근거?"}, format="json")
        .json()
    )
    reply = api(planner_a).post(
        f"{API}/comments/", {"edition": edition.pk, "parent": first["id"], "body": "추가함"}, format="json"
    )
    assert reply.status_code == 201 and reply.json()["author"] == "planner_a"
    wrong = api(planner_a).post(
        f"{API}/comments/", {"edition": other.pk, "parent": first["id"], "body": "x"}, format="json"
    )
    assert wrong.status_code == 400 and "parent" in wrong.json()["errors"]


@pytest.mark.django_db
def test_an_edition_is_created_with_the_default_outline_and_a_duplicate_year_is_400(muni_a, planner_a, api):
    client = api(planner_a)
    created = client.post(
        f"{API}/editions/", {"municipality": "11260", "year": 2025, "focus_goals": [11]}, format="json"
    )
    assert created.status_code == 201
    assert len(created.json()["sections"]) == 16 and created.json()["focus_goals"] == [11]
    duplicate = client.post(f"{API}/editions/", {"municipality": "11260", "year": 2025}, format="json")
    assert duplicate.status_code == 400
    assert "이미 있습니다" in duplicate.json()["errors"]["non_field_errors"][0]


@pytest.mark.django_db
def test_an_edition_cannot_be_moved_to_another_city_or_year(muni_a, planner_a, api):
    edition = f.edition(muni_a, year=2026)
    response = api(planner_a).patch(
        f"{API}/editions/{edition.pk}/",
        {"municipality": "41210", "year": 2020, "title_en": "Renamed"},
        format="json",
    )
    assert response.status_code == 200
    edition.refresh_from_db()
    assert (edition.municipality_id, edition.year, edition.title_en) == (muni_a.pk, 2026, "Renamed")

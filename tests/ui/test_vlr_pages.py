"""The VLR edition page: workflow buttons per role, narrative, comments, notifications, frozen
numbers, changes since the last approved edition, Excel download, public pages."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse

from apps.indicators.models import Observation
from apps.indicators.services import progress_refresh
from apps.notifications.models import Notification
from apps.vlr.models import Edition
from apps.vlr.services import edition_create, edition_transition

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def buttons(response) -> list[str]:
    return [t.action for t, _ in response.context["buttons"]]


def test_edition_page_shows_sections_checklist_and_generated_data(ui, planner_a, city):
    response = ui(planner_a).get(reverse("vlr:edition", args=[city["edition"].pk]))
    page = html(response)
    assert response.status_code == 200
    assert len(response.context["sections"]) == 16
    assert "발간사 / Opening statement" in page and "통계 부록 / Statistical annex" in page
    assert [item["ok"] for item in response.context["checklist"]] == [False, False, False, False]
    assert "L-1" in page  # progress section table
    assert buttons(response) == ["submit"]


def test_buttons_follow_the_workflow_and_the_role(ui, planner_a, coordinator, viewer_a, city):
    edition = city["edition"]
    url = reverse("vlr:edition", args=[edition.pk])
    assert buttons(ui(viewer_a).get(url)) == []
    assert buttons(ui(coordinator).get(url)) == []
    edition_transition(edition=edition, action="submit", actor=planner_a)
    assert buttons(ui(planner_a).get(url)) == []
    assert buttons(ui(coordinator).get(url)) == ["request_changes", "approve"]


def test_planner_saves_narrative_while_draft_only(ui, planner_a, city):
    edition = city["edition"]
    section = edition.sections.get(code="opening")
    url = reverse("vlr:section", args=[edition.pk, section.pk])
    data = {
        f"s{section.pk}-title_ko": "발간사",
        f"s{section.pk}-title_en": "Opening statement",
        f"s{section.pk}-included": "on",
        f"s{section.pk}-body_ko": "구청장 인사말",
        f"s{section.pk}-body_en": "Mayor",
    }
    client = ui(planner_a)
    assert client.post(url, data).status_code == 302
    section.refresh_from_db()
    assert section.body_ko == "구청장 인사말"
    edition_transition(edition=edition, action="submit", actor=planner_a)
    data[f"s{section.pk}-body_ko"] = "바뀐 글"
    client.post(url, data)
    section.refresh_from_db()
    assert section.body_ko == "구청장 인사말"


def test_full_review_cycle_through_the_pages_notifies_the_people_concerned(
    ui, planner_a, coordinator, city, django_capture_on_commit_callbacks
):
    edition = city["edition"]
    transition = reverse("vlr:transition", args=[edition.pk])
    planner, coord = ui(planner_a), ui(coordinator)

    with django_capture_on_commit_callbacks(execute=True):  # e-mails leave after the commit
        planner.post(transition, {"action": "submit", "confirmed": "yes"})
    edition.refresh_from_db()
    assert edition.status == "submitted"
    assert Notification.objects.filter(recipient=coordinator, verb="submit").count() == 1
    assert [m.to for m in mail.outbox] == [["coordinator@example.org"]]

    # A reason is required to send it back; without one nothing changes.
    coord.post(transition, {"action": "request_changes", "confirmed": "yes"})
    edition.refresh_from_db()
    assert edition.status == "submitted"
    coord.post(
        transition,
        {
            "action": "request_changes",
            "confirmed": "yes",
            "request_changes-comment": "참여 기록을 보완해 주세요",
        },
    )
    edition.refresh_from_db()
    assert edition.status == "changes_requested"
    note = Notification.objects.get(recipient=planner_a, verb="request_changes")
    assert "참여 기록을 보완해 주세요" in note.message_ko

    planner.post(transition, {"action": "submit", "confirmed": "yes"})
    coord.post(transition, {"action": "approve", "confirmed": "yes"})
    edition.refresh_from_db()
    assert edition.status == "approved" and edition.snapshot
    assert Notification.objects.filter(recipient=planner_a, verb="approve").count() == 1
    # The actor is never notified of their own step.
    assert not Notification.objects.filter(recipient=coordinator, verb="approve").exists()


def test_notifications_are_idempotent_per_event(planner_a, coordinator, city):
    from apps.notifications.services import edition_transition_notify

    edition = edition_transition(edition=city["edition"], action="submit", actor=planner_a)
    transition = edition.transitions.get()
    assert Notification.objects.get().recipient == coordinator  # notified by the service
    assert edition_transition_notify(transition=transition) == []  # a retry adds nothing
    assert Notification.objects.count() == 1


def test_notification_list_and_mark_read(ui, planner_a, coordinator, city):
    edition_transition(edition=city["edition"], action="submit", actor=planner_a)
    ui(coordinator).post(
        reverse("vlr:transition", args=[city["edition"].pk]), {"action": "approve", "confirmed": "yes"}
    )
    client = ui(planner_a)
    page = html(client.get(reverse("notifications:list")))
    assert "승인했습니다" in page
    note = Notification.objects.get(recipient=planner_a)
    response = client.post(reverse("notifications:read"), {"id": note.pk, "next": note.url})
    assert response["Location"] == note.url
    note.refresh_from_db()
    assert note.read_at is not None


def test_threaded_comments_notify_the_thread(ui, planner_a, coordinator, city):
    edition = city["edition"]
    url = reverse("vlr:comment", args=[edition.pk])
    ui(coordinator).post(url, {"body": "L-1 출처를 밝혀 주세요", "local_indicator": city["indicators"][0].pk})
    first = edition.comments.get()
    assert first.local_indicator == city["indicators"][0]
    assert Notification.objects.filter(recipient=planner_a, verb="comment").count() == 1
    ui(planner_a).post(url, {"body": "추가했습니다", "parent": first.pk})
    reply = edition.comments.exclude(pk=first.pk).get()
    assert reply.parent == first
    assert Notification.objects.filter(recipient=coordinator, verb="comment").count() == 1
    tree = ui(planner_a).get(reverse("vlr:edition", args=[edition.pk])).context["comments"]
    assert tree[0][0] == first and tree[0][1][0][0] == reply


def test_other_city_cannot_comment_or_move_the_edition(ui, planner_b, city):
    edition = city["edition"]
    assert ui(planner_b).post(reverse("vlr:comment", args=[edition.pk]), {"body": "x"}).status_code == 404
    assert (
        ui(planner_b)
        .post(reverse("vlr:transition", args=[edition.pk]), {"action": "submit", "confirmed": "yes"})
        .status_code
        == 404
    )
    edition.refresh_from_db()
    assert edition.status == "draft" and not edition.comments.exists()


def test_approved_edition_shows_frozen_numbers_after_data_change(ui, planner_a, coordinator, city):
    edition = city["edition"]
    indicator = city["indicators"][0]
    edition_transition(edition=edition, action="submit", actor=planner_a)
    edition_transition(edition=edition, action="approve", actor=coordinator)
    Observation.objects.filter(local_indicator=indicator, year=2023).update(value=99.0)
    response = ui(planner_a).get(reverse("vlr:edition", args=[edition.pk]))
    assert response.context["frozen"] is True
    frozen = next(i for i in response.context["data"]["indicators"] if i["code"] == "L-1")
    assert frozen["series"][0]["progress"]["xt"] == 19.0
    assert "동결된 수치" in html(response)


def test_edition_page_shows_what_changed_since_the_last_approved_edition(
    ui, planner_a, coordinator, city, muni_a
):
    previous = edition_create(municipality=muni_a, year=2023, actor=planner_a)
    edition_transition(edition=previous, action="submit", actor=planner_a)
    edition_transition(edition=previous, action="approve", actor=coordinator)
    Observation.objects.create(local_indicator=city["indicators"][0], year=2024, value=14.0)  # target met
    progress_refresh(indicator_ids=[city["indicators"][0].pk])  # what the value services do
    response = ui(planner_a).get(reverse("vlr:edition", args=[city["edition"].pk]))
    changes = response.context["changes"]
    assert changes["year"] == 2023
    moved = {m["code"]: m for m in changes["moved"]}
    assert moved["L-1"]["new_status"] == "achieved" and moved["L-1"]["new_latest"] == (2024, 14.0)
    assert "지난 승인 보고서(2023) 이후 달라진 점" in html(response)


def test_workbook_downloads_and_opens(ui, planner_a, city):
    response = ui(planner_a).get(reverse("vlr:workbook", args=[city["edition"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) > 3


def test_other_city_cannot_download_a_draft_workbook(ui, planner_b, city):
    assert ui(planner_b).get(reverse("vlr:workbook", args=[city["edition"].pk])).status_code == 404


def test_planner_creates_an_edition_with_the_default_outline(ui, planner_a, muni_a):
    response = ui(planner_a).post(reverse("vlr:edition_list", args=["11260"]), {"year": 2026})
    edition = Edition.objects.get(municipality=muni_a, year=2026)
    assert response["Location"] == reverse("vlr:edition", args=[edition.pk])
    assert edition.sections.count() == 16


def test_published_edition_is_readable_anonymously(ui, anon, planner_a, coordinator, city):
    edition = city["edition"]
    for action, actor in (("submit", planner_a), ("approve", coordinator), ("publish", coordinator)):
        edition_transition(edition=edition, action=action, actor=actor)
    client = ui(anon)
    assert edition.title_ko in html(client.get(reverse("vlr:public_list")))
    response = client.get(reverse("vlr:public_edition", args=[edition.pk]))
    assert response.status_code == 200
    # Outsiders read the frozen snapshot whole: neither indicator is flagged public, both were approved.
    assert [ind["code"] for ind in response.context["data"]["indicators"]] == ["L-1", "L-2"]
    assert client.get(reverse("vlr:edition", args=[edition.pk]))["Location"] == reverse(
        "vlr:public_edition", args=[edition.pk]
    )


def test_unpublished_edition_has_no_public_page(ui, anon, planner_a, city):
    assert ui(anon).get(reverse("vlr:public_edition", args=[city["edition"].pk])).status_code == 404
    assert ui(planner_a).get(reverse("vlr:public_edition", args=[city["edition"].pk])).status_code == 404


def test_edition_page_and_workbook_state_the_same_section_facts(ui, planner_a, city, muni_a):
    """One selector (apps.vlr.selectors.section_facts) feeds both: for an indicator whose target is
    only a note (demo L-4.7, "지속 확대") the page lists it and the workbook counts 1."""
    from tests.ui.conftest import pm25

    pm25(
        muni_a,
        "L-4.7",
        {2020: 900.0, 2023: 1200.0},
        targets=("4.7",),
        target_value=None,
        target_note="지속 확대",
    )
    edition = city["edition"]
    page = ui(planner_a).get(reverse("vlr:edition", args=[edition.pk]))
    listed = [
        ind["code"]
        for ind in next(s for s in page.context["sections"] if s.code == "next_steps").facts["no_target"]
    ]
    assert listed == ["L-4.7"]
    book = openpyxl.load_workbook(
        io.BytesIO(ui(planner_a).get(reverse("vlr:workbook", args=[edition.pk])).content)
    )
    summaries = [
        row[6]
        for ws in book.worksheets
        for row in ws.iter_rows(values_only=True)
        if len(row) > 6 and row[1] == "next_steps"
    ]
    assert summaries and all(f"without a numeric target: {len(listed)}" in text for text in summaries)

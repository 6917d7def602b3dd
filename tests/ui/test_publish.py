"""Publishing publishes what was approved (issue 15, items 3 and 4): the public edition page shows
the frozen snapshot whole, a "preview as the public" page before submit and publish, the
checklist's inputs in the UI, and a confirm step before every workflow action — through real
HTTP with CSRF enforced, as a browser would."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from apps.indicators.models import Observation
from apps.sdg.models import Goal
from apps.vlr.models import Edition

pytestmark = pytest.mark.django_db


def browser_for(user=None) -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None:
        client.force_login(user)
    return client


def post(client: Client, page: str, url: str, data: dict):
    """POST as a browser does: read the page first (which sets the CSRF cookie), send its token."""
    assert client.get(page).status_code == 200
    return client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def act(client: Client, edition: Edition, action: str, comment: str = ""):
    """Press a workflow button, then the confirm button of the page it shows."""
    page = reverse("vlr:edition", args=[edition.pk])
    url = reverse("vlr:transition", args=[edition.pk])
    data = {"action": action, f"{action}-comment": comment}
    first = post(client, page, url, data)
    assert first.status_code == 200 and 'data-action="confirm"' in first.content.decode()
    assert Edition.objects.get(pk=edition.pk).status == edition.status  # nothing happened yet
    done = client.post(
        url, {**data, "confirmed": "yes", "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )
    assert done.status_code == 302
    edition.refresh_from_db()
    return edition


def latest_values(html: str) -> dict[str, str]:
    """Indicator code → the "latest" cell of the progress table of an edition page."""
    rows = re.findall(
        r'<tr><th scope="row">(L-\d) .*?</th>.*?</td>\s*<td>.*?</td><td class="n">.*?</td>'
        r'<td class="n">(.*?)</td>',
        html,
        flags=re.DOTALL,
    )
    return dict(rows)


def test_anonymous_reads_every_approved_indicator_with_the_approved_numbers(planner_a, coordinator, city):
    edition = city["edition"]
    planner, coord = browser_for(planner_a), browser_for(coordinator)
    assert not any(ind.is_public for ind in city["indicators"])  # neither indicator is flagged public

    edition = act(planner, edition, "submit")
    edition = act(coord, edition, "request_changes", "참여 기록을 보완해 주세요")
    edition = act(planner, edition, "submit")
    edition = act(coord, edition, "approve")
    approved = latest_values(coord.get(reverse("vlr:preview", args=[edition.pk])).content.decode())
    assert approved == {"L-1": "2023: 19", "L-2": "2023: 9"}
    # A value changed after the approval does not change what is published.
    Observation.objects.filter(local_indicator=city["indicators"][0], year=2023).update(value=99.0)
    edition = act(coord, edition, "publish")
    assert edition.status == "published"

    anonymous = browser_for()
    response = anonymous.get(reverse("vlr:public_edition", args=[edition.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert latest_values(html) == approved
    assert city["initiative"].title_ko in html  # the approved (non-public) initiative is published too
    # Planners read the same page as the public.
    assert (
        latest_values(
            browser_for(planner_a).get(reverse("vlr:public_edition", args=[edition.pk])).content.decode()
        )
        == approved
    )


def test_preview_shows_the_public_page_before_submit_to_the_city_only(planner_a, planner_b, city):
    url = reverse("vlr:preview", args=[city["edition"].pk])
    response = browser_for(planner_a).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="preview-banner"' in html
    assert latest_values(html) == {"L-1": "2023: 19", "L-2": "2023: 9"}
    assert browser_for(planner_b).get(url).status_code == 404
    assert browser_for().get(url).status_code == 302  # to the login page
    # The edition page offers the preview.
    assert (
        url in browser_for(planner_a).get(reverse("vlr:edition", args=[city["edition"].pk])).content.decode()
    )


def test_public_view_hides_who_reviewed_the_evidence(planner_a, coordinator, city):
    from apps.evidence.choices import LinkStatus
    from apps.vlr.selectors import export_data
    from apps.vlr.services import edition_transition

    link = city["suggestion"]
    link.status, link.decided_by, link.note = LinkStatus.CONFIRMED, coordinator, "내부 메모"
    link.save()
    edition = city["edition"]
    for action, actor in (("submit", planner_a), ("approve", coordinator), ("publish", coordinator)):
        edition = edition_transition(edition=edition, action=action, actor=actor)
    from django.contrib.auth.models import AnonymousUser

    data = export_data(municipality=edition.municipality, edition=edition, user=AnonymousUser())
    assert len(data["evidence"]) == 1  # counted as approved …
    (evidence,) = data["evidence"]
    assert all(evidence[key] is None for key in ("decided_by", "decided_at", "note", "score", "origin"))
    assert (
        evidence["document"]["title"] == "" and evidence["excerpt"] == ""
    )  # … but the private document stays inside


def test_submit_asks_for_confirmation_and_names_the_missing_checklist_items(planner_a, city):
    client = browser_for(planner_a)
    edition = city["edition"]
    response = post(
        client,
        reverse("vlr:edition", args=[edition.pk]),
        reverse("vlr:transition", args=[edition.pk]),
        {"action": "submit"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="checklist-warning"' in html and "참여" in html
    assert Edition.objects.get(pk=edition.pk).status == "draft"


def test_the_confirm_step_is_refused_without_a_csrf_token(planner_a, city):
    client = browser_for(planner_a)
    url = reverse("vlr:transition", args=[city["edition"].pk])
    assert client.post(url, {"action": "submit", "confirmed": "yes"}).status_code == 403
    assert (
        client.post(reverse("vlr:checklist", args=[city["edition"].pk]), {"participation": "x"}).status_code
        == 403
    )
    assert Edition.objects.get(pk=city["edition"].pk).status == "draft"


def test_planner_records_participation_and_focus_goals_and_the_checklist_turns_green(planner_a, city):
    client = browser_for(planner_a)
    edition = city["edition"]
    page = reverse("vlr:edition", args=[edition.pk])
    goal = Goal.objects.get(number=11)
    response = post(
        client,
        page,
        reverse("vlr:checklist", args=[edition.pk]),
        {"participation": "주민참여단 30명", "focus_goals": [goal.pk]},
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.participation == "주민참여단 30명"
    assert list(edition.focus_goals.values_list("number", flat=True)) == [11]
    html = client.get(page).content.decode()
    assert re.search(r'data-mark="✔" class="ok">.*?참여', html)


def test_checklist_cannot_change_once_submitted(planner_a, city):
    client = browser_for(planner_a)
    edition = act(client, city["edition"], "submit")
    post(
        client,
        reverse("vlr:edition", args=[edition.pk]),
        reverse("vlr:checklist", args=[edition.pk]),
        {"participation": "늦은 기록"},
    )
    edition.refresh_from_db()
    assert edition.participation == ""


def test_a_published_edition_without_a_snapshot_shows_outsiders_only_public_live_rows(
    planner_a, coordinator, city
):
    from apps.vlr.services import edition_transition

    edition = city["edition"]
    for action, actor in (("submit", planner_a), ("approve", coordinator), ("publish", coordinator)):
        edition = edition_transition(edition=edition, action=action, actor=actor)
    # As an edition published long ago, before snapshots and the summaries made of them.
    Edition.objects.filter(pk=edition.pk).update(snapshot=None, public_summary=None)
    html = browser_for().get(reverse("vlr:public_edition", args=[edition.pk])).content.decode()
    assert latest_values(html) == {}  # neither indicator is public: nothing unapproved leaks out


def test_the_confirm_page_query_count_is_pinned(planner_a, city, django_assert_num_queries):
    client = browser_for(planner_a)
    edition = city["edition"]
    client.get(reverse("vlr:edition", args=[edition.pk]))
    data = {"action": "submit", "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    # session, user, the user's scopes, edition with its municipality, report data for the
    # checklist (edition visibility, focus goals, sections, targets, indicators, alignments, their
    # framework nodes, stored progress, the count of the values, initiatives, their targets, groups, indicators, updates and
    # framework nodes, evidence, the review register and the forums of the period), the
    # switcher's municipalities, unread notifications
    with django_assert_num_queries(24):
        client.post(reverse("vlr:transition", args=[edition.pk]), data)

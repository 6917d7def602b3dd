"""Initiative progress updates entered in the web UI, and budgets counted once (issue 15, item 5):
through real HTTP with CSRF enforced, as a browser would."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from apps.initiatives.models import Initiative, InitiativeTarget, ProgressUpdate
from apps.initiatives.selectors import budget_lines
from apps.sdg.models import Target
from apps.vlr.services import edition_create

pytestmark = pytest.mark.django_db


def browser_for(user=None) -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None:
        client.force_login(user)
    return client


def initiative(muni, title: str, budget: int | None, *targets: str) -> Initiative:
    """``targets``: codes, the first primary."""
    item = Initiative.objects.create(municipality=muni, title_ko=title, title_en=title, budget_krw=budget)
    for index, code in enumerate(targets):
        InitiativeTarget.objects.create(
            initiative=item, target=Target.objects.get(code=code), is_primary=index == 0
        )
    return item


@pytest.fixture
def shared(muni_a):
    """Three initiatives; one serves goals 11, 7 and 13, one goals 7 and 11."""
    return [
        initiative(muni_a, "전기버스", 3_000_000_000, "11.6", "7.2", "13.2"),
        initiative(muni_a, "태양광", 1_000_000_000, "7.2", "11.6"),
        initiative(muni_a, "기후교육", 190_000_000, "13.3"),
    ]


def test_planner_adds_a_progress_update_and_sees_it(planner_a, muni_a, shared):
    item = shared[0]
    client = browser_for(planner_a)
    page = reverse("initiatives:detail", args=[muni_a.code, item.pk])
    assert 'id="update-form"' in client.get(page).content.decode()
    response = client.post(
        reverse("initiatives:update_add", args=[muni_a.code, item.pk]),
        {
            "date": "2026-11-30",
            "text": "전기버스 20대 도입 완료",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#updates")
    update = ProgressUpdate.objects.get(initiative=item)
    assert (update.date, update.text, update.author) == (
        date(2026, 11, 30),
        "전기버스 20대 도입 완료",
        planner_a,
    )
    assert update.history.first().history_user == planner_a
    html = client.get(page).content.decode()
    assert "전기버스 20대 도입 완료" in html and "진행 상황을 저장했습니다" in html


def test_a_progress_update_without_text_is_refused_with_a_bilingual_reason(planner_a, muni_a, shared):
    client = browser_for(planner_a)
    page = reverse("initiatives:detail", args=[muni_a.code, shared[0].pk])
    client.get(page)
    client.post(
        reverse("initiatives:update_add", args=[muni_a.code, shared[0].pk]),
        {"date": "2026-11-30", "text": "", "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )
    assert not ProgressUpdate.objects.exists()
    assert "필수 항목입니다 / this field is required" in client.get(page).content.decode()


def test_progress_updates_need_a_csrf_token_and_a_planner_of_the_city(
    planner_a, planner_b, coordinator, muni_a, shared
):
    url = reverse("initiatives:update_add", args=[muni_a.code, shared[0].pk])
    data = {"date": "2026-11-30", "text": "x"}
    assert browser_for(planner_a).post(url, data).status_code == 403  # no CSRF token
    for outsider in (planner_b, coordinator, None):
        client = Client()
        if outsider is not None:
            client.force_login(outsider)
        assert client.post(url, data).status_code == 404
    # Reviewers and outsiders get no form.
    page = reverse("initiatives:detail", args=[muni_a.code, shared[0].pk])
    assert 'id="update-form"' not in browser_for(coordinator).get(page).content.decode()
    assert not ProgressUpdate.objects.exists()


def test_budget_lines_count_each_initiative_once_under_its_primary_target():
    lines = budget_lines(
        [
            (300, [(11, True), (7, False), (13, False)]),
            (100, [(7, True), (11, False)]),
            (19, [(13, True)]),
            (5, []),
            (None, [(11, True)]),
        ]
    )
    assert lines.lines == {11: 300, 7: 100, 13: 19}
    assert lines.shared == {7: 1, 11: 1, 13: 1}
    assert lines.unplaced == 5 and lines.total == 424
    assert sum(lines.lines.values()) + lines.unplaced == lines.total


def _shown(html: str, table_id: str) -> list[int]:
    table = re.search(rf'<table id="{table_id}".*?</table>', html, flags=re.DOTALL).group(0)
    body = re.search(r"<tbody>.*?</tbody>", table, flags=re.DOTALL).group(0)
    return [int(n) for n in re.findall(r'data-krw="(\d+)"', body)]


def test_the_vlr_budget_lines_add_up_to_the_budget_of_distinct_initiatives(planner_a, muni_a, shared):
    edition = edition_create(municipality=muni_a, year=2026, actor=planner_a)
    html = browser_for(planner_a).get(reverse("vlr:edition", args=[edition.pk])).content.decode()
    budget = sum(item.budget_krw for item in shared)
    assert sorted(_shown(html, "budget-by-goal")) == sorted([1_000_000_000, 3_000_000_000, 190_000_000])
    assert sum(_shown(html, "budget-by-goal")) == budget
    assert f'id="budget-total" data-krw="{budget}"' in html
    assert 'id="budget-rule"' in html


def test_the_gap_matrix_counts_a_shared_initiative_once(planner_a, muni_a, shared):
    html = browser_for(planner_a).get(reverse("reports:gap_matrix", args=[muni_a.code])).content.decode()
    rows = dict(re.findall(r'<tr id="gap-([\d.a-z]+)">.*?data-krw="(\d+)"', html, flags=re.DOTALL))
    assert rows == {"7.2": "1000000000", "11.6": "3000000000", "13.2": "0", "13.3": "190000000"}
    assert sum(map(int, rows.values())) == sum(item.budget_krw for item in shared)
    assert f'data-krw="{sum(item.budget_krw for item in shared)}"' in html

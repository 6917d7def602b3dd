"""In a real browser: a panel's scores are typed from the keyboard alone (Tab from box to box,
Enter saves every row), and the results page flags the indicator whose target value needs
revision."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.vlr.assessment import panel_create
from apps.vlr.choices import PanelGroup, ReportKind
from apps.vlr.models import IndicatorRating
from apps.vlr.services import edition_create
from tests.factories import make_indicator

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_panel_is_scored_from_the_keyboard_and_the_results_flag_the_weak_target(
    new_page, planner_a, muni_a
):
    for code in ("K1", "K2"):
        make_indicator(muni_a, code, {2020: 1.0})
    edition = edition_create(municipality=muni_a, year=2026, kind=ReportKind.ASSESSMENT, actor=planner_a)
    panel = panel_create(edition=edition, group=PanelGroup.EXPERTS, participants=6, actor=planner_a)
    page = new_page()
    login(page, "planner_a", "pw-planner_a")
    page.goto(f"/vlr/{edition.pk}/assessment/panels/{panel.pk}/")
    page.locator("#r-K1-sdg_link").focus()
    # K1: 5, 4, 2, comment; then on to K2's boxes: 3, 3, 4.
    for keys in ("5", "Tab", "4", "Tab", "2", "Tab", "목표 낮음", "Tab", "3", "Tab", "3", "Tab", "4"):
        if keys == "Tab":
            page.keyboard.press(keys)
        else:
            page.keyboard.type(keys)
    page.keyboard.press("Enter")
    expect(page.locator(".messages, [role=status], .message").first).to_contain_text("2")
    ratings = {r.local_indicator.code: (r.scores, r.comment) for r in IndicatorRating.objects.all()}
    assert ratings == {
        "K1": ({"sdg_link": 5, "difficulty": 4, "target": 2}, "목표 낮음"),
        "K2": ({"sdg_link": 3, "difficulty": 3, "target": 4}, ""),
    }
    page.goto(f"/vlr/{edition.pk}/assessment/")
    expect(page.locator("tr[data-code=K1]")).to_have_attribute("data-flagged", "target")
    expect(page.locator("tr[data-code=K1]")).to_contain_text("목표값 수정 필요")
    expect(page.locator("tr[data-code=K2]")).not_to_have_attribute("data-flagged", "target")

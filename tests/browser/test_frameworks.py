"""The crosswalk edited in a real browser, from the keyboard: a planner finds a UN target in the
shared picker by Korean words and by English words, links the city's node to it with a
relation, sees the link on the framework tree, and removes it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.frameworks.models import CrosswalkLink
from tests.factories import make_local_framework

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_planner_links_a_node_to_a_un_target_found_by_words_and_removes_it_from_the_keyboard(
    new_page, planner_a, muni_a
):
    framework = make_local_framework(muni_a, goals=1, per_goal=1)
    node = framework.nodes.get(code="G1-S1")
    page = new_page()
    login(page, "planner_a", "pw-planner_a")
    page.goto(f"/frameworks/nodes/{node.pk}/")

    search = page.locator("#id_to_node-search")
    results = page.locator("#id_to_node-results")
    search.focus()
    page.keyboard.type("대중교통 접근성")  # Korean words of UN target 11.2
    expect(
        results.get_by_role("radio", name=re.compile(r"^11\.2 대중교통 접근성 향상 .*\[UN-SDG\]$"))
    ).to_be_visible()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("road traffic accidents")  # English words of UN target 3.6
    expect(results.get_by_role("radio")).to_have_count(1)
    expect(results).to_contain_text("3.6 교통사고 사망 및 상해를 절반으로 감소")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("type", "radio")
    page.keyboard.press("Space")
    expect(page.locator("#id_to_node-chosen")).to_contain_text("3.6")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("name", "relation")
    page.keyboard.press("ArrowUp")  # contributes to → part of
    expect(page.locator("select[name=relation]")).to_have_value("part_of")
    page.keyboard.press("Tab")
    page.keyboard.type("시 교통안전 계획")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("연결 추가")
    page.keyboard.press("Enter")

    expect(page.locator(".msg.success")).to_contain_text("연결을 추가했습니다.")
    link = CrosswalkLink.objects.get(from_node=node)
    assert (link.to_node.framework.code, link.to_node.code, link.relation, link.note) == (
        "UN-SDG",
        "3.6",
        "part_of",
        "시 교통안전 계획",
    )
    assert link.created_by == planner_a

    page.goto(f"/frameworks/{framework.pk}/")
    line = page.locator('li[data-node="G1-S1"]')
    expect(line.locator(".crosswalk").first).to_contain_text("→ UN-SDG 3.6 (일부 / part of)")

    page.goto(f"/frameworks/nodes/{node.pk}/")
    remove = page.locator("button[name=delete_link]")
    remove.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".msg.success")).to_contain_text("연결을 삭제했습니다.")
    assert not CrosswalkLink.objects.filter(from_node=node).exists()
    page.goto(f"/frameworks/{framework.pk}/")
    expect(page.locator('li[data-node="G1-S1"] .crosswalk')).to_have_count(0)

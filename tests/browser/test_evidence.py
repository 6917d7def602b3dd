"""In a real browser (Debian chromium): a planner links a document by hand to an SDG target and
to an initiative with the keyboard alone, through the same searchable picker as the indicator
and initiative forms, and without JavaScript through the plain selects."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.evidence.models import EvidenceLink
from tests.factories import make_document, make_initiative

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def document(muni_a, planner_a):
    make_initiative(muni_a, "미세먼지 저감 사업", title_en="Fine dust reduction")
    return make_document(muni_a)  # no suggestion: only a person can link it


def tab_to(page, element_id: str) -> None:
    """Press Tab until the element with this id has the focus (as a keyboard user does)."""
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    pytest.fail(f"#{element_id} is not reachable with the keyboard")


def pick(page, field: str, words: str, expected: str) -> None:
    """In the picker of ``field``: Tab to its search, type, Tab to the first match, Space."""
    tab_to(page, f"id_{field}-search")
    page.keyboard.type(words)
    page.keyboard.press("Enter")  # searches; must not submit the form
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("type", "radio")
    page.keyboard.press("Space")
    expect(page.locator(f"#id_{field}-chosen")).to_contain_text(expected)


def submit(page) -> None:
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "연결 추가":
            break
    else:
        pytest.fail("the Add link button is not reachable with the keyboard")
    page.keyboard.press("Enter")
    expect(page.locator("#main .messages")).to_contain_text("연결")


def test_a_document_is_linked_to_a_target_and_an_initiative_from_the_keyboard(new_page, document):
    page = new_page()
    login(page, "planner_a", "pw-planner_a")
    url = f"/evidence/documents/{document.pk}/"
    page.goto(url)
    expect(page.locator(".suggestion")).to_have_count(0)

    pick(page, "target", "대기질과 폐기물", "11.6")
    pick(page, "excerpt", "대기질", "대기질 개선이 목표다.")
    assert not EvidenceLink.objects.exists(), "Enter in a search saved nothing"
    submit(page)

    pick(page, "initiative", "fine dust", "미세먼지 저감 사업 / Fine dust reduction")  # English words
    pick(page, "excerpt", "전기버스", "전기버스를 도입한다.")
    submit(page)

    page.goto(url)  # saved: still there after a reload
    links = page.locator(".suggestion")
    expect(links).to_have_count(2)
    expect(links.filter(has_text="11.6")).to_contain_text("대기질 개선이 목표다.")
    expect(links.filter(has_text="미세먼지 저감 사업")).to_contain_text("전기버스를 도입한다.")
    saved = {
        (link.target.code if link.target else link.initiative.title_en, link.status, link.excerpt)
        for link in EvidenceLink.objects.select_related("target", "initiative")
    }
    assert saved == {
        ("11.6", "confirmed", "대기질 개선이 목표다."),
        ("Fine dust reduction", "confirmed", "중랑구는 미세먼지 저감을 위해 전기버스를 도입한다."),
    }


def test_without_javascript_a_document_is_linked_through_plain_selects(browser, live_server, document):
    context = browser.new_context(base_url=live_server.url, locale="ko-KR", java_script_enabled=False)
    page = context.new_page()
    login(page, "planner_a", "pw-planner_a")
    page.goto(f"/evidence/documents/{document.pk}/")
    page.locator("select#id_target").select_option("11.6")
    sentence = page.locator("select#id_excerpt option", has_text=re.compile("^대기질"))
    page.locator("select#id_excerpt").select_option(sentence.get_attribute("value"))
    page.get_by_role("button", name="연결 추가").click()
    expect(page.locator(".suggestion")).to_contain_text("11.6")
    link = EvidenceLink.objects.get()
    assert (link.target.code, link.excerpt) == ("11.6", "대기질 개선이 목표다.")
    context.close()

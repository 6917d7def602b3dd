"""In a real browser (Debian chromium): a planner creates a local indicator whose SDG alignment is
picked after two searches, enters values and sees the status change at once; the shared picker
keeps every ticked target for initiatives too, from the keyboard and without JavaScript; the
plausibility question, delete with confirmation and restore from the history."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.indicators.models import LocalIndicator, Observation
from apps.initiatives.models import Initiative
from tests.factories import make_indicator
from tests.ui.conftest import pm25

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def statuses(page) -> tuple[str, str]:
    """The status in the page header and in the table of numbers behind it."""
    return (
        page.locator("dl.facts-list .badge").first.inner_text(),
        page.locator("table.numbers tbody .badge").first.inner_text(),
    )


def add_value(page, year: str, value: str) -> None:
    form = page.locator("#add-observation")
    form.get_by_label("연도").fill(year)
    form.get_by_label(re.compile("^값")).fill(value)
    form.get_by_role("button", name="값 추가").click()


def test_planner_creates_an_indicator_aligned_after_two_searches_and_sees_the_status_follow_values(
    new_page, planner_a, muni_a
):
    page = new_page()
    login(page, "planner_a", "pw-planner_a")
    page.get_by_role("link", name="새 지표").click()  # from the dashboard
    page.get_by_label("지표 코드").fill("L-11.2.1")
    page.get_by_label("지표명 (국문)").fill("대중교통 분담률")
    page.get_by_label("지표명 (영문)").fill("Public transport share")
    page.get_by_label("단위").fill("%")
    page.get_by_label("방향").select_option("1")
    page.get_by_label("목표 연도").fill("2030")
    page.get_by_label("목표값").fill("60")
    page.get_by_label("공개 (누구나 열람)").check()

    picker = page.get_by_label("연계 SDG 세부목표", exact=False).first
    picker.fill("대중교통")  # Korean words
    page.locator("#id_targets-results").get_by_role("checkbox", name=re.compile(r"^11\.2 ")).check()
    picker.fill("road traffic")  # then English words: the first tick must survive this search
    page.locator("#id_targets-results").get_by_role("checkbox", name=re.compile(r"^3\.6 ")).check()
    chosen = page.locator("#id_targets-chosen")
    expect(chosen).to_contain_text("11.2")
    expect(chosen).to_contain_text("3.6")
    page.get_by_role("button", name="저장").click()

    expect(page.locator(".msg.success")).to_contain_text("지표를 저장했습니다.")
    expect(page.locator("h1")).to_contain_text("L-11.2.1 대중교통 분담률")
    indicator = LocalIndicator.objects.get(code="L-11.2.1")
    assert sorted(a.target.code for a in indicator.alignments.all()) == ["11.2", "3.6"]
    assert (indicator.unit, indicator.target_value, indicator.is_public) == ("%", 60.0, True)

    add_value(page, "2019", "40")
    expect(page.locator(".msg.success")).to_contain_text("값을 저장했습니다: 2019 = 40")
    expect(page.locator("#main .messages")).to_be_focused()  # keyboard users land on the news
    expect(page.locator("table.numbers")).to_contain_text("자료 부족")
    add_value(page, "2021", "45")
    expect(page.locator(".msg.success")).to_contain_text("값을 저장했습니다: 2021 = 45")
    expect(page.locator("#observation-table")).to_contain_text("45")
    header, table = statuses(page)
    assert header == table and "자료 부족" not in header, "the header follows the new value at once"
    add_value(page, "2023", "41")
    expect(page.locator(".msg.success")).to_contain_text("값을 저장했습니다: 2023 = 41")
    expect(page.locator("svg.chart")).to_be_visible()
    expect(page.locator("svg.chart circle title", has_text="2023")).to_have_count(1)
    new_header, new_table = statuses(page)
    assert new_header == new_table and new_header != header, "a fall after a rise changes the status"
    assert Observation.objects.filter(local_indicator=indicator).count() == 3


def test_an_initiative_keeps_both_targets_ticked_in_two_searches_from_the_keyboard(
    new_page, planner_a, muni_a
):
    make_indicator(muni_a, "L-3.6", {2020: 12.0}, name_ko="교통사고 사망자 수", name_en="Road traffic deaths")
    make_indicator(muni_a, "L-11.6", {2020: 20.0}, name_ko="초미세먼지 농도", name_en="PM2.5 concentration")
    page = new_page()
    login(page, "planner_a", "pw-planner_a")
    page.goto("/m/11260/initiatives/new/")
    page.get_by_label("제목 (국문)").fill("어린이 보호구역 정비")
    page.get_by_label("제목 (영문)").fill("School zones")
    primary = page.get_by_label("주 SDG 세부목표", exact=False).first
    primary.fill("대기질과 폐기물")
    page.locator("#id_primary_target-results").get_by_role("radio", name=re.compile(r"^11\.6 ")).check()

    others = page.get_by_label("기타 SDG 세부목표", exact=False).first
    others.fill("유해물질")
    page.locator("#id_targets-results").get_by_role("checkbox", name=re.compile(r"^3\.9 ")).check()
    # The second target with the keyboard only: type, Tab to the first match, Space.
    others.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("3.6")
    page.keyboard.press("Enter")  # must not submit the form
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("type", "checkbox")
    page.keyboard.press("Space")
    expect(page.locator("#id_targets-chosen")).to_contain_text("3.9")
    expect(page.locator("#id_targets-chosen")).to_contain_text("3.6")
    assert not Initiative.objects.filter(title_en="School zones").exists(), (
        "Enter in the search saved nothing"
    )
    # The related local indicator with the same picker, found by English words, from the keyboard.
    related = page.get_by_label("관련 지역 지표", exact=False).first
    related.focus()
    page.keyboard.type("traffic deaths")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("type", "checkbox")
    page.keyboard.press("Space")
    expect(page.locator("#id_local_indicators-chosen")).to_contain_text("L-3.6")
    page.get_by_role("button", name="저장").click()

    expect(page.locator("h1")).to_contain_text("어린이 보호구역 정비")
    saved = Initiative.objects.get(title_en="School zones")
    assert [i.code for i in saved.local_indicators.all()] == ["L-3.6"]
    links = saved.target_links.all()
    assert {(link.target.code, link.is_primary) for link in links} == {
        ("11.6", True),
        ("3.9", False),
        ("3.6", False),
    }


def test_without_javascript_the_picker_is_a_plain_multi_select(browser, live_server, planner_a, muni_a):
    context = browser.new_context(base_url=live_server.url, locale="ko-KR", java_script_enabled=False)
    page = context.new_page()
    login(page, "planner_a", "pw-planner_a")
    page.goto("/m/11260/indicators/new/")
    page.get_by_label("지표 코드").fill("L-NOJS")
    page.get_by_label("지표명 (국문)").fill("자바스크립트 없이")
    page.locator("select#id_targets").select_option(
        [
            page.locator("select#id_targets option", has_text=re.compile(r"^11\.2 ")).get_attribute("value"),
            page.locator("select#id_targets option", has_text=re.compile(r"^3\.6 ")).get_attribute("value"),
        ]
    )
    page.get_by_role("button", name="저장").click()
    expect(page.locator("h1")).to_contain_text("L-NOJS")
    assert sorted(a.target.code for a in LocalIndicator.objects.get(code="L-NOJS").alignments.all()) == [
        "11.2",
        "3.6",
    ]
    context.close()


def test_a_slip_is_questioned_then_confirmed_deleted_with_confirmation_and_restored(
    new_page, planner_a, muni_a
):
    indicator = pm25(muni_a, "L-7", {2015: 6.0, 2019: 6.5, 2023: 7.0}, direction=1, target_value=9.0)
    page = new_page()
    login(page, "planner_a", "pw-planner_a")
    page.goto(f"/m/11260/indicators/{indicator.pk}/")

    add_value(page, "2024", "1,234")
    warning = page.locator(".msg.warning")
    expect(warning).to_be_focused()
    expect(warning).to_contain_text("1,234")
    expect(warning).to_contain_text("크게 다릅니다")
    assert not Observation.objects.filter(local_indicator=indicator, year=2024).exists()
    page.get_by_label("확인했습니다: 이 값 그대로 저장").check()
    page.locator("#add-observation").get_by_role("button", name="값 추가").click()
    expect(page.locator(".msg.success")).to_contain_text("값을 저장했습니다: 2024 = 1234")
    assert Observation.objects.get(local_indicator=indicator, year=2024).value == 1234

    page.get_by_role("link", name="삭제 2024").click()
    expect(page.locator("main")).to_contain_text("2024년 값 1,234을(를) 삭제할까요?")
    page.get_by_role("button", name="예, 이 값을 삭제합니다").click()
    expect(page.locator(".msg.success")).to_contain_text("값을 삭제했습니다")
    expect(page.locator("#observation-table")).not_to_contain_text("1,234")
    assert not Observation.objects.filter(local_indicator=indicator, year=2024).exists()

    history = page.locator("#history-table")
    expect(history).to_contain_text("planner_a")
    history.locator("tr", has_text="삭제").get_by_role("button", name=re.compile("이 버전으로 복원")).click()
    expect(page.locator(".msg.success")).to_contain_text("이전 버전으로 복원했습니다.")
    expect(page.locator("#observation-table")).to_contain_text("1,234")
    assert Observation.objects.get(local_indicator=indicator, year=2024).value == 1234


def test_retire_asks_first_and_marks_the_indicator(new_page, planner_a, muni_a):
    indicator = pm25(muni_a, "L-R")
    page = new_page()
    login(page, "planner_a", "pw-planner_a")
    page.goto("/m/11260/indicators/")
    page.get_by_role("link", name=re.compile("초미세먼지 농도 L-R")).click()
    page.get_by_role("link", name="지표 폐지").click()
    page.get_by_role("link", name="취소").click()
    indicator.refresh_from_db()
    assert not indicator.is_retired
    page.get_by_role("link", name="지표 폐지").click()
    page.get_by_role("button", name="예, 이 지표를 폐지합니다").click()
    expect(page.locator("h1 .badge")).to_have_text("폐지됨")
    indicator.refresh_from_db()
    assert indicator.is_retired and indicator.observations.count() == 3

"""End to end in a real browser: a planner and a coordinator carry a VLR edition from draft to
approval, with an initiative, a value and the workbook; the English switch; keyboard use."""

from __future__ import annotations

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from apps.evidence.models import EvidenceLink
from apps.initiatives.models import Initiative
from apps.vlr.models import Edition
from tests.factories import make_document, make_initiative, make_suggestion
from tests.ui.conftest import pm25

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def journey(muni_a, planner_a, coordinator):
    from apps.vlr.services import edition_create

    muni_a.is_sample_data = True
    muni_a.save()
    indicator = pm25(muni_a, "L-11.6")
    pm25(
        muni_a, "L-7.2", {2015: 8.0, 2019: 9.5, 2023: 12.0}, targets=("7.2",), direction=1, target_value=30.0
    )
    make_initiative(muni_a, "미세먼지 저감 사업", title_en="Fine dust reduction", groups=("older_people",))
    suggestion = make_suggestion(make_document(muni_a))
    edition = edition_create(municipality=muni_a, year=2025, actor=planner_a)
    return {"indicator": indicator, "edition": edition, "suggestion": suggestion}


def test_planner_and_coordinator_take_an_edition_to_approval(new_page, journey, screenshot_dir, tmp_path):
    edition, indicator = journey["edition"], journey["indicator"]
    planner = new_page()
    login(planner, "planner_a", "pw-planner_a")
    expect(planner.locator("h1")).to_contain_text("중랑구 / Jungnang-gu")
    expect(planner.locator(".goal-tile")).to_have_count(17)
    expect(planner.get_by_role("note")).to_contain_text("시연용 자료")
    planner.screenshot(path=str(screenshot_dir / "dashboard.png"), full_page=True)

    # Adds an initiative, picking a second target by searching its Korean title.
    planner.get_by_role("link", name="사업", exact=True).click()
    planner.get_by_role("link", name="새 사업").click()
    planner.get_by_label("제목 (국문)").fill("전기버스 도입")
    planner.get_by_label("제목 (영문)").fill("Electric buses")
    planner.get_by_label("주 SDG 세부목표", exact=False).first.fill("11.6")
    planner.locator("#id_primary_target-results").get_by_role("radio", name=re.compile(r"^11\.6 ")).check()
    planner.get_by_label("기타 SDG 세부목표", exact=False).first.fill("유해물질")
    planner.locator("#id_targets-results").get_by_role("checkbox", name=re.compile(r"3\.9 유해물질")).check()
    planner.get_by_role("button", name="저장").click()
    expect(planner.locator("h1")).to_contain_text("전기버스 도입 / Electric buses")
    created = Initiative.objects.get(title_en="Electric buses")
    assert {(t.target.code, t.is_primary) for t in created.target_links.all()} == {
        ("11.6", True),
        ("3.9", False),
    }

    # Records a value on the indicator page (htmx swaps the data block, no reload).
    planner.goto(f"/m/11260/indicators/{indicator.pk}/")
    form = planner.locator("#add-observation")
    form.get_by_label("연도").fill("2024")
    form.get_by_label(re.compile("^값")).fill("17.2")
    form.get_by_role("button", name="값 추가").click()
    expect(planner.locator("#observation-table")).to_contain_text("17.2")
    expect(planner.locator("svg.chart")).to_be_visible()
    planner.screenshot(path=str(screenshot_dir / "indicator.png"), full_page=True)

    # Confirms a suggestion in the inbox, when the evidence services exist.
    planner.get_by_role("link", name="근거 자료함").click()
    planner.get_by_role("link", name="중랑구 대기질 개선 보도자료").click()
    expect(planner.locator("#doc-body mark").first).to_have_text("미세먼지")
    planner.screenshot(path=str(screenshot_dir / "evidence.png"), full_page=True)
    confirm = planner.get_by_role("button", name=re.compile("^확인"))
    if confirm.count():
        confirm.first.click()
        expect(planner.locator(".msg.success")).to_be_visible()
        journey["suggestion"].refresh_from_db()
        assert journey["suggestion"].status == "confirmed"

    # Submits the edition.
    planner.goto(f"/vlr/{edition.pk}/")
    planner.get_by_role("button", name="검토 요청(제출)").click()
    planner.get_by_role("button", name="확인", exact=True).click()  # the confirm step
    expect(planner.locator("#edition-status")).to_have_attribute("data-status", "submitted")

    # The coordinator requests changes, with a reason.
    coord = new_page()
    login(coord, "coordinator", "pw-coordinator")
    coord.goto(f"/vlr/{edition.pk}/")
    coord.get_by_label(re.compile("^사유")).fill("참여 기록을 보완해 주세요")
    coord.get_by_role("button", name="수정 요청").click()
    coord.get_by_role("button", name="확인", exact=True).click()
    expect(coord.locator("#edition-status")).to_have_attribute("data-status", "changes_requested")

    # The planner sees the notification, fixes the narrative and submits again.
    planner.goto("/notifications/")
    planner.get_by_role("button", name=re.compile("수정을 요청했습니다")).click()
    section = planner.locator("#section-methodology")
    section.locator("summary").click()
    section.get_by_label("서술 (국문)").fill("주민참여단 30명과 부서 협의회가 참여했습니다.")
    section.get_by_role("button", name=re.compile("절 저장")).click()
    expect(planner.locator("#section-methodology")).to_contain_text("주민참여단 30명")
    planner.get_by_role("button", name="검토 요청(제출)").click()
    planner.get_by_role("button", name="확인", exact=True).click()  # the confirm step
    expect(planner.locator("#edition-status")).to_have_attribute("data-status", "submitted")

    # The coordinator approves; the numbers are frozen; the workbook downloads and opens.
    coord.reload()
    coord.get_by_role("button", name="승인").click()
    coord.get_by_role("button", name="확인", exact=True).click()
    expect(coord.locator("#edition-status")).to_have_attribute("data-status", "approved")
    expect(coord.get_by_text("동결된 수치")).to_be_visible()
    assert Edition.objects.get(pk=edition.pk).snapshot
    coord.screenshot(path=str(screenshot_dir / "edition.png"), full_page=True)
    with coord.expect_download() as info:
        coord.get_by_role("link", name="엑셀 통합문서 내려받기").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    book = openpyxl.load_workbook(saved)
    assert len(book.sheetnames) > 3

    # The gap matrix for the same city.
    coord.goto("/m/11260/gaps/")
    expect(coord.locator("table.gap")).to_contain_text("11.6")
    coord.screenshot(path=str(screenshot_dir / "gap_matrix.png"), full_page=True)


def test_english_switch_and_keyboard_only_use(new_page, journey):
    page = new_page()
    login(page, "planner_a", "pw-planner_a")
    page.get_by_label("언어").select_option("en")
    page.get_by_role("button", name="적용").click()
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Initiatives")
    expect(page.locator(".goal-tile").first).to_contain_text("빈곤퇴치 / No poverty")

    # Keyboard only: tab to the submit button of the edition and press Enter.
    page.goto(f"/vlr/{journey['edition'].pk}/")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.action") == "submit":
            break
    else:
        pytest.fail("the submit button is not reachable with the keyboard")
    page.keyboard.press("Enter")
    # The confirm page: tab to its confirm button and press Enter again.
    expect(page.locator("h1")).to_contain_text("Confirm")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.action") == "confirm":
            break
    else:
        pytest.fail("the confirm button is not reachable with the keyboard")
    page.keyboard.press("Enter")
    expect(page.locator("#edition-status")).to_have_attribute("data-status", "submitted")
    assert EvidenceLink.objects.count() == 1

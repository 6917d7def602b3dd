"""In a real browser: a planner completes the checklist and submits (warned of what is missing,
asked to confirm), the coordinator requests changes, the planner resubmits, the coordinator
previews, approves and publishes — and an anonymous visitor reads exactly the approved numbers,
even after a value changed (issue 15, items 3 and 4)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.indicators.models import Observation
from tests.factories import make_initiative
from tests.ui.conftest import pm25

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def edition(muni_a, planner_a, coordinator):
    from apps.vlr.services import edition_create

    # Neither indicator nor the initiative is flagged public: publishing the approved edition
    # publishes them all the same.
    pm25(muni_a, "L-1")
    pm25(muni_a, "L-2", {2015: 8.0, 2019: 9.5, 2023: 12.0}, targets=("7.2",), direction=1, target_value=30.0)
    make_initiative(muni_a, "미세먼지 저감 사업", title_en="Fine dust reduction", groups=("older_people",))
    return edition_create(municipality=muni_a, year=2025, actor=planner_a)


def progress_rows(page) -> list[str]:
    return page.locator("#section-progress tbody tr").all_inner_texts()


def act(page, button: str, reason: str | None = None) -> None:
    if reason is not None:
        page.get_by_label("사유 (필수)").first.fill(reason)
    page.get_by_role("button", name=button).click()
    expect(page.locator("h1")).to_contain_text("확인")
    page.get_by_role("button", name="확인", exact=True).click()


def test_anonymous_reads_the_numbers_the_coordinator_approved(new_page, edition):
    planner = new_page()
    login(planner, "planner_a", "pw-planner_a")
    planner.goto(f"/vlr/{edition.pk}/")

    # Submitting with an incomplete checklist warns, and nothing happens until confirmed.
    planner.get_by_role("button", name="검토 요청(제출)").click()
    expect(planner.locator("#checklist-warning")).to_contain_text("참여")
    planner.get_by_role("link", name="취소").click()
    expect(planner.locator("#edition-status")).to_have_attribute("data-status", "draft")

    # Completes the checklist in the page, then submits.
    planner.get_by_label("참여 (검토 준비에 누가 어떻게 참여했는지)").fill("주민참여단 30명, 부서 협의회")
    planner.get_by_role("checkbox", name="SDG 11", exact=False).first.check()
    planner.get_by_role("button", name="점검표 저장").click()
    expect(planner.locator(".checklist li").first).to_have_attribute("data-mark", "✔")
    act(planner, "검토 요청(제출)")
    expect(planner.locator("#edition-status")).to_have_attribute("data-status", "submitted")

    coord = new_page()
    login(coord, "coordinator", "pw-coordinator")
    coord.goto(f"/vlr/{edition.pk}/")
    act(coord, "수정 요청", reason="목표 7 서술을 보완해 주세요")
    expect(coord.locator("#edition-status")).to_have_attribute("data-status", "changes_requested")

    planner.reload()
    act(planner, "검토 요청(제출)")
    expect(planner.locator("#edition-status")).to_have_attribute("data-status", "submitted")

    # The coordinator previews what the public will read, then approves.
    coord.reload()
    coord.get_by_role("link", name="공개 화면 미리 보기").click()
    expect(coord.locator("#preview-banner")).to_be_visible()
    previewed = progress_rows(coord)
    assert len(previewed) == 2
    coord.go_back()
    act(coord, "승인")
    expect(coord.locator("#edition-status")).to_have_attribute("data-status", "approved")
    coord.get_by_role("link", name="공개 화면 미리 보기").click()
    approved = progress_rows(coord)
    assert approved == previewed

    # A value changes after the approval; publishing shows the approved one.
    Observation.objects.filter(local_indicator__code="L-1", year=2023).update(value=99.0)
    coord.go_back()
    act(coord, "공개")
    expect(coord.locator("#edition-status")).to_have_attribute("data-status", "published")

    visitor = new_page()
    visitor.goto(f"/public/vlr/{edition.pk}/")
    expect(visitor.locator("h1")).to_contain_text("2025")
    assert progress_rows(visitor) == approved
    assert not any("99" in row for row in progress_rows(visitor))
    expect(visitor.locator("main")).to_contain_text("미세먼지 저감 사업")

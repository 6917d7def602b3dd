"""The pages work under the Content-Security-Policy: chromium reports no violation while a
planner uses the target picker, adds a value (htmx), the evidence excerpt picker and the public pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_document, make_initiative, make_suggestion
from tests.ui.conftest import pm25

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_page_breaks_the_content_security_policy(new_page, muni_a, planner_a):
    indicator = pm25(muni_a, "L-11.6")
    make_initiative(
        muni_a, "미세먼지 저감 사업", title_en="Fine dust reduction", groups=("older_people",), is_public=True
    )
    document = make_document(muni_a)
    make_suggestion(document)
    page = new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    login(page, "planner_a", "pw-planner_a")
    page.goto("/m/11260/initiatives/new/")
    page.get_by_label("기타 SDG 세부목표", exact=False).first.fill("유해물질")
    expect(page.locator("#id_targets-results").get_by_role("checkbox").first).to_be_visible()  # picker.js ran
    page.goto(f"/m/11260/indicators/{indicator.pk}/")
    form = page.locator("#add-observation")
    form.get_by_label("연도").fill("2024")
    form.get_by_label(re.compile("^값")).fill("18")
    form.get_by_role("button", name="값 추가").click()
    expect(page.locator(".msg.success")).to_be_visible()  # htmx swapped <main> in
    for path in (
        "/m/11260/",
        "/m/11260/goals/11/",
        "/m/11260/gaps/",
        "/m/11260/evidence/",
        f"/evidence/documents/{document.pk}/",
        "/m/11260/indicators/",
        "/m/11260/indicators/new/",
        "/public/",
        "/accounts/password-reset/",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui").first).to_be_visible()
    assert violations == []

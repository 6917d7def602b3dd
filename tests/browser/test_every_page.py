"""Every page, each role that has pages, in a real browser (issue 15 item 8):

- accessibility: axe-core (shipped by the axe-playwright-python package) finds no serious or
  critical violation, and no heading-order issue;
- phone: at 390×844 no page scrolls horizontally;
- languages: with English active no Korean-only UI label where English is expected, and with
  Korean active none of the English UI strings below;
- print: the indicator, goal, gap-matrix and edition pages print without the header's menus.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from apps.core.models import Job
from apps.evidence.services import document_dismiss
from apps.vlr.assessment import panel_create
from apps.vlr.services import edition_create, edition_transition
from tests.factories import make_data_call, make_local_framework
from tests.pages import every_page
from tests.ui.conftest import (
    make_document,
    make_indicator,
    make_initiative,
    make_suggestion,
)

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# UI strings of the header, filters and tables, (Korean, English). In English mode no element
# reads the Korean one, in Korean mode none reads the English one.
UI_STRINGS = [
    ("대시보드", "Dashboard"),
    ("사업", "Initiatives"),
    ("근거 자료함", "Evidence inbox"),
    ("VLR 보고서", "VLR editions"),
    ("격차 매트릭스", "Gap matrix"),
    ("공개된 보고서", "Published reviews"),
    ("알림", "Notifications"),
    ("로그아웃", "Log out"),
    ("언어", "Language"),
    ("상태", "Status"),
    ("유형", "Kind"),
    ("정렬", "Order by"),
    ("제목 (국문)", "Title (Korean)"),
    ("검토 대기열", "Review queue"),
    ("대기 시작", "Waiting since"),
    ("대상 집단 (예: 여성)", "Group served (e.g. women)"),
]
# Words that give a mixed label away wherever they occur inside one.
MIXED = {"ko": ["descending", "sunny", "cloudy", "thunderstorm"], "en": ["내림차순", "맑음", "흐림", "뇌우"]}

CHROME = "label, button, legend, summary, caption, th, dt, nav a, option, .badge, h2, .weather"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture
def site(muni_a, planner_a, viewer_a, coordinator):
    """중랑구 with indicators, an initiative, a document, a draft, a submitted and a published
    edition, a notification for the planner and an open data call for 2023."""
    indicator = make_indicator(
        muni_a,
        "L-11.6",
        {2015: 40.0, 2019: 35.0, 2023: 30.0},
        department="환경과",
        owner_name="김환경",
        owner_email="planner_a@example.org",
    )
    make_indicator(
        muni_a,
        "L-7.2",
        {2015: 8.0, 2019: 9.5, 2023: 12.0},
        targets=("7.2",),
        direction=1,
        target_value=30.0,
    )
    initiative = make_initiative(muni_a, "미세먼지 저감 사업", title_en="Fine dust reduction")
    # A long unbroken address and long Korean words: the document page must still fit a phone.
    document = make_document(
        muni_a,
        body="중랑구는 미세먼지 저감을 위해 전기버스를 도입한다. 대기질 개선이 목표다. 출처: "
        "https://www.jungnang.go.kr/portal/bbs/view/B0000002/123456.do?menuNo=200475&pageIndex=1"
        "&searchCondition=all&searchKeyword=%EB%AF%B8%EC%84%B8%EB%A8%BC%EC%A7%80 "
        "친환경자동차보급활성화지원사업추진계획수립및시행에관한사항",
    )
    make_suggestion(document)
    # Nothing suggested: one waits in the inbox's "no suggestion" group, one was dismissed.
    quiet = make_document(muni_a, "구청 민원실 운영 시간 안내. 점심시간에도 운영한다.", title="민원실 안내")
    dismissed = make_document(muni_a, "구청 주차장 공사 안내.", title="주차장 공사 안내")
    document_dismiss(document=dismissed, actor=planner_a)
    job = Job.objects.create(
        kind="observations_import",
        started_by=planner_a,
        municipality_id=muni_a.pk,
        errors=["row 2, column value: 숫자가 아닙니다 / not a number"],
    )
    published = edition_create(municipality=muni_a, year=2024, actor=planner_a)
    for action, actor in (("submit", planner_a), ("approve", coordinator), ("publish", coordinator)):
        edition_transition(edition=published, action=action, actor=actor)
    draft = edition_create(municipality=muni_a, year=2025, actor=planner_a)
    assessment = edition_create(municipality=muni_a, year=2025, kind="assessment", actor=planner_a)
    panel = panel_create(edition=assessment, group="experts", participants=5, actor=planner_a)
    submitted = edition_create(municipality=muni_a, year=2023, actor=planner_a)
    edition_transition(edition=submitted, action="submit", actor=planner_a)
    framework = make_local_framework(muni_a)
    node = framework.nodes.get(code="G1-S1")
    data_call = make_data_call(muni_a, 2023, message="3월 말까지 입력해 주세요")
    pages = every_page(
        code=muni_a.code,
        indicator=indicator,
        initiative=initiative,
        document=document,
        quiet=quiet,
        dismissed=dismissed,
        job=job,
        draft=draft,
        published=published,
        submitted=submitted,
        assessment=assessment,
        panel=panel,
        framework=framework,
        node=node,
        data_call=data_call,
    )
    code = muni_a.code
    return {
        "roles": {
            None: [*pages["public"], "/no-such-page/"],
            "planner_a": pages["planner"],
            "viewer_a": pages["viewer"],
            "coordinator": pages["coordinator"],
        },
        "print": [
            reverse("indicators:detail", args=[code, indicator.pk]),
            reverse("sdg:goal", args=[code, 11]),
            reverse("reports:gap_matrix", args=[code]),
            reverse("vlr:edition", args=[published.pk]),
            reverse("vlr:public_edition", args=[published.pk]),
        ],
    }


def _page_for(new_page, username, locale="ko-KR"):
    page = new_page(locale)
    if username:
        login(page, username, f"pw-{username}")
    return page


def _set_language(page, code: str, base_url: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": code, "url": base_url}])


def _chrome_texts(page) -> list[str]:
    """Text of the UI's labels, leaving out what is marked as another language (lang=...):
    data in its own language, such as a Korean document title or "한국어" in the language menu."""
    return page.eval_on_selector_all(
        CHROME,
        """els => els
        .filter(e => !e.closest('[lang]:not(html)'))
        .map(e => { const c = e.cloneNode(true); c.querySelectorAll('[lang]').forEach(x => x.remove());
                    return c.textContent.trim().replace(/\\s+/g, ' '); })
        .filter(t => t)""",
    )


def test_every_page_passes_axe_the_phone_and_the_language_passes(new_page, site, live_server):
    axe = Axe()
    problems: list[str] = []
    visited = 0
    for username, urls in site["roles"].items():
        page = _page_for(new_page, username)
        for url in urls:
            for lang in ("ko", "en"):
                _set_language(page, lang, live_server.url)
                page.set_viewport_size(DESKTOP)
                response = page.goto(url)
                assert response.status == (404 if url == "/no-such-page/" else 200), (username, url)
                visited += 1
                assert page.locator("html").get_attribute("lang") == lang, (username, url)
                texts = _chrome_texts(page)
                for ko, en in UI_STRINGS:
                    unwanted = ko if lang == "en" else en
                    if unwanted in texts:
                        problems.append(f"{lang} {username} {url}: UI string {unwanted!r}")
                for word in MIXED[lang]:
                    problems += [f"{lang} {username} {url}: mixed label {t!r}" for t in texts if word in t]
                if lang == "en":
                    problems += [
                        f"en {username} {url}: Korean-only label {t!r}"
                        for t in texts
                        if HANGUL.search(t) and not LATIN.search(t)
                    ]
                if lang == "ko":
                    results = axe.run(page)
                    for v in results.response["violations"]:
                        if v["impact"] in ("serious", "critical") or v["id"] == "heading-order":
                            targets = [n["target"] for n in v["nodes"]][:3]
                            problems.append(f"axe {username} {url}: {v['id']} ({v['impact']}) {targets}")
                page.set_viewport_size(PHONE)
                width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
                if width[0] > width[1]:
                    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                        .slice(0, 3).map(e => e.tagName + '.' + e.className)""")
                    problems.append(f"phone {lang} {username} {url}: {width[0]} px wide > {width[1]} {wide}")
    assert visited >= 2 * 38
    assert not problems, "\n".join(problems)


def test_print_view_drops_menus_and_keeps_the_content(new_page, site):
    page = _page_for(new_page, "planner_a")
    for url in site["print"]:
        page.goto(url)
        page.emulate_media(media="print")
        assert page.locator("header nav").is_hidden(), url
        assert page.locator(".site-header .tools").is_hidden(), url
        assert page.locator("main h1").is_visible(), url
        assert page.locator("main form").evaluate_all(
            "fs => fs.every(f => getComputedStyle(f).display === 'none')"
        )
        page.emulate_media(media="screen")
        assert page.locator("header nav").is_visible(), url
    assert page.pdf(format="A4")[:4] == b"%PDF"  # chromium lays the last page out for paper

"""Evidence inbox actions through the pages, wired to apps.evidence.services."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from apps.evidence.models import Document, EvidenceLink
from apps.evidence.services import sentence_spans
from tests.factories import make_document

pytestmark = pytest.mark.django_db


def test_confirm_in_one_click(ui, planner_a, city):
    link = city["suggestion"]
    response = ui(planner_a).post(reverse("evidence:decide", args=[link.pk]), {"decision": "confirm"})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == "confirmed" and link.decided_by == planner_a


def test_reject_in_one_click(ui, coordinator, city):
    link = city["suggestion"]
    ui(coordinator).post(reverse("evidence:decide", args=[link.pk]), {"decision": "reject"})
    link.refresh_from_db()
    assert link.status == "rejected"


def test_other_city_cannot_decide(ui, planner_b, viewer_a, city):
    link = city["suggestion"]
    assert (
        ui(planner_b).post(reverse("evidence:decide", args=[link.pk]), {"decision": "confirm"}).status_code
        == 404
    )
    ui(viewer_a).post(reverse("evidence:decide", args=[link.pk]), {"decision": "confirm"})
    link.refresh_from_db()
    assert link.status == "suggested"


def test_document_page_offers_confirm_reject_and_manual_link_to_planners(ui, planner_a, viewer_a, city):
    url = reverse("evidence:document", args=[city["document"].pk])
    page = ui(planner_a).get(url).content.decode()
    assert 'value="confirm"' in page and 'value="reject"' in page and 'id="manual-link"' in page
    viewer_page = ui(viewer_a).get(url).content.decode()
    assert 'value="confirm"' not in viewer_page and 'id="manual-link"' not in viewer_page


def browser_for(user) -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="ko")
    client.force_login(user)
    return client


def post(client: Client, page: str, url: str, data: dict):
    """POST as a browser does: read the page first (which sets the CSRF cookie), send its token."""
    assert client.get(page).status_code == 200
    return client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def sentence(document, words: str) -> str:
    """The excerpt picker's value of the sentence holding ``words``: its offsets, as listed."""
    start = document.body.index(words)
    return next(f"{s}-{e}" for s, e in sentence_spans(document.body) if s <= start < e)


def test_link_by_hand_offers_every_choice_as_a_searchable_select(ui, planner_a, city):
    """Targets, indicators and initiatives by code and both titles, and the body's sentences:
    native selects (usable from the keyboard and without JavaScript) that picker.js enhances."""
    page = ui(planner_a).get(reverse("evidence:document", args=[city["document"].pk])).content.decode()
    form = page[page.index('id="manual-link"') :]
    assert form.count("data-picker=") == 4 and "js/picker.js" in form
    assert '<option value="11.6">11.6 ' in form
    assert (
        f'<option value="{city["initiative"].pk}">미세먼지 저감 사업 / Fine dust reduction</option>' in form
    )
    assert "L-1 초미세먼지 농도 L-1 / PM2.5 L-1</option>" in form
    assert '">중랑구는 미세먼지 저감을 위해 전기버스를 도입한다.</option>' in form


def test_link_by_hand_quotes_the_chosen_sentence(planner_a, city):
    document, initiative = city["document"], city["initiative"]
    page = reverse("evidence:document", args=[document.pk])
    response = post(
        browser_for(planner_a),
        page,
        reverse("evidence:link_create", args=[document.pk]),
        {"initiative": initiative.pk, "excerpt": sentence(document, "대기질")},
    )
    assert response.status_code == 302
    link = EvidenceLink.objects.get(document=document, initiative=initiative)
    assert link.excerpt == "대기질 개선이 목표다." and link.status == "confirmed"


def test_link_by_hand_needs_exactly_one_object_and_a_sentence(planner_a, city):
    document = city["document"]
    client, page = browser_for(planner_a), reverse("evidence:document", args=[document.pk])
    url = reverse("evidence:link_create", args=[document.pk])
    response = post(client, page, url, {"target": "11.6"})
    assert response.status_code == 200 and "choose the sentence of the text" in response.content.decode()
    both = {"target": "11.6", "initiative": city["initiative"].pk, "excerpt": sentence(document, "대기질")}
    assert "choose exactly one" in post(client, page, url, both).content.decode()
    # an excerpt that is not one of the listed sentences is refused, in both languages
    response = post(client, page, url, {"target": "11.6", "excerpt": "0-3"})
    assert (
        "목록에 없는 값입니다" in response.content.decode() and "not in the list" in response.content.decode()
    )
    response = post(client, page, url, {"target": "11.6 words", "excerpt": sentence(document, "대기질")})
    assert "not an SDG target: choose one from the list" in response.content.decode()
    assert not EvidenceLink.objects.filter(origin="manual").exists()


def test_documents_with_no_suggestion_stay_in_the_inbox_until_linked_by_hand(planner_a, city, muni_a):
    quiet = make_document(muni_a, "구청 민원실 운영 시간 안내. 점심시간에도 운영한다.", title="민원실 안내")
    client = browser_for(planner_a)
    inbox = reverse("evidence:inbox", args=["11260"])
    default = client.get(inbox).content.decode()
    assert "민원실 안내" not in default  # nothing suggested: not among the suggestions …
    assert '<a href="?status=none">제안이 없는 문서 1건: 직접 연결하세요.</a>' in default  # … but pointed to
    group = client.get(inbox, {"status": "none"}).content.decode()
    assert "민원실 안내" in group and city["document"].title not in group
    linking = reverse("evidence:document", args=[quiet.pk])
    assert f'href="{linking}#manual-link-h"' in group
    response = post(
        client,
        linking,
        reverse("evidence:link_create", args=[quiet.pk]),
        {"target": "16.6", "excerpt": sentence(quiet, "점심")},
    )
    assert response.status_code == 302
    assert "민원실 안내" not in client.get(inbox, {"status": "none"}).content.decode()
    assert "민원실 안내" in client.get(inbox, {"status": "confirmed"}).content.decode()


def test_a_document_with_no_suggestion_is_dismissed_and_restored_through_the_page(planner_a, city, muni_a):
    quiet = make_document(muni_a, "구청 민원실 운영 시간 안내.", title="민원실 안내")
    client, inbox = browser_for(planner_a), reverse("evidence:inbox", args=["11260"])
    page, url = reverse("evidence:document", args=[quiet.pk]), reverse("evidence:dismiss", args=[quiet.pk])
    assert 'value="dismiss"' in client.get(page).content.decode()
    assert post(client, page, url, {"decision": "dismiss"}).status_code == 302
    assert "민원실 안내" not in client.get(inbox, {"status": "none"}).content.decode()
    assert "제안이 없는 문서" not in client.get(inbox).content.decode()
    assert "민원실 안내" in client.get(inbox, {"status": "dismissed"}).content.decode()
    shown = client.get(page).content.decode()
    assert 'value="restore"' in shown and 'id="manual-link"' not in shown and "planner_a" in shown
    post(client, page, url, {"decision": "restore"})
    assert "민원실 안내" in client.get(inbox, {"status": "none"}).content.decode()
    # a document with a suggestion waiting offers no dismissal: its suggestions are decided
    assert (
        'value="dismiss"'
        not in client.get(reverse("evidence:document", args=[city["document"].pk])).content.decode()
    )
    assert (
        post(
            client, page, reverse("evidence:dismiss", args=[city["document"].pk]), {"decision": "dismiss"}
        ).status_code
        == 302
    )
    city["document"].refresh_from_db()
    assert city["document"].dismissed_at is None


def test_the_highlighter_marks_no_term_across_a_word_boundary(planner_a, muni_a):
    """ "산림이나 무단경작지" holds "나 무" across two words: not the term 나무 (tree). The real
    나무 in "나무를" is marked."""
    text = (
        "중랑구, 산림 복원과 도시숲 조성 추진\n\n"
        "중랑구는 봉화산 산림이나 무단경작지를 정비하고 나무를 심어 산림 생태계를 복원한다고 밝혔다. "
        "구는 훼손된 산림을 복원하고 도시숲을 조성해 탄소 흡수원을 늘릴 계획이다.\n"
    )
    client = browser_for(planner_a)
    response = post(
        client,
        reverse("evidence:inbox", args=["11260"]),
        reverse("evidence:add", args=["11260"]),
        {"text": text},
    )
    page = client.get(response["Location"]).content.decode()
    assert "<mark>나무</mark>를 심어" in page and "<mark>산림 생태</mark>계" in page
    assert "이<mark>나" not in page and "<mark>나 무</mark>" not in page and "산림이나 무단경작지" in page


def test_paste_a_document_and_get_suggestions(ui, planner_a, muni_a):
    text = (
        "중랑구, 탄소중립 실천 위해 공공건물 태양광 설치 확대\n\n"
        "중랑구는 온실가스 감축과 기후변화 대응을 위해 공공건물 옥상에 태양광 발전 설비를 설치한다고 밝혔다. "
        "구는 재생에너지 비중을 높이고 에너지 효율을 개선해 2050 탄소중립을 달성할 계획이다.\n"
    )
    response = ui(planner_a).post(reverse("evidence:add", args=["11260"]), {"text": text})
    document = Document.objects.get()
    assert response["Location"] == reverse("evidence:document", args=[document.pk])
    assert document.municipality == muni_a and document.created_by == planner_a


def test_upload_refuses_a_binary_with_a_message(ui, planner_a, muni_a):
    upload = SimpleUploadedFile("scan.txt", b"\x00\x01\x02PNG\x00" * 200, content_type="text/plain")
    client = ui(planner_a)
    response = client.post(reverse("evidence:add", args=["11260"]), {"file": upload}, follow=True)
    assert not Document.objects.exists()
    assert list(response.context["messages"])


def test_viewer_cannot_add_documents(ui, viewer_a, muni_a):
    assert ui(viewer_a).post(reverse("evidence:add", args=["11260"]), {"text": "x"}).status_code == 404

"""Evidence inbox actions through the pages, wired to apps.evidence.services."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.evidence.models import Document, EvidenceLink

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


def test_link_by_hand_quotes_the_selected_excerpt(ui, planner_a, city):
    document = city["document"]
    start = document.body.index("전기버스")
    response = ui(planner_a).post(
        reverse("evidence:link_create", args=[document.pk]),
        {
            "initiative": city["initiative"].pk,
            "excerpt_start": start,
            "excerpt_end": start + 4,
        },
    )
    assert response.status_code == 302
    link = EvidenceLink.objects.get(document=document, initiative=city["initiative"])
    assert link.excerpt == "전기버스" and link.status == "confirmed"


def test_link_by_hand_needs_exactly_one_object_and_an_excerpt(ui, planner_a, city):
    document = city["document"]
    response = ui(planner_a).post(reverse("evidence:link_create", args=[document.pk]), {"target": "11.6"})
    page = response.content.decode()
    assert response.status_code == 200 and "select the excerpt" in page
    response = ui(planner_a).post(
        reverse("evidence:link_create", args=[document.pk]),
        {"target": "11.6", "initiative": city["initiative"].pk, "excerpt_start": 0, "excerpt_end": 3},
    )
    assert "choose exactly one" in response.content.decode()


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

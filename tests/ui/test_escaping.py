"""Ingested text is data, never markup: scripts in a document are shown as text."""

import pytest
from django.urls import reverse

from apps.evidence.services import document_ingest

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert('x')</script>"


def test_markup_in_an_ingested_text_is_escaped_on_the_document_and_inbox_pages(ui, planner_a, muni_a):
    text = (
        "중랑구, 탄소중립 실천 주민 교육\n\n"
        f"중랑구가 주민을 대상으로 탄소중립과 온실가스 감축 교육을 실시했다 {PAYLOAD} 고 밝혔다. "
        "구는 재생에너지 확대와 기후변화 대응 교육을 이어갈 계획이다.\n"
    )
    result = document_ingest(data=text, filename="note.txt", actor=planner_a, municipality=muni_a)
    assert result.status == "created" and PAYLOAD in result.document.body
    client = ui(planner_a)
    for url in (
        reverse("evidence:document", args=[result.document.pk]),
        reverse("evidence:inbox", args=["11260"]),
    ):
        page = client.get(url).content.decode()
        assert PAYLOAD not in page, url
    detail = client.get(reverse("evidence:document", args=[result.document.pk])).content.decode()
    assert "&lt;script&gt;alert(" in detail

"""Issue 13, evidence: permission before analysis, a time budget, metadata that degrades to
unknown, a batch that reports every file, per-tenant deduplication, no review internals in
public responses, and the EUC-KR 하남시 article. Real files, real HTTP with CSRF enforced."""

from __future__ import annotations

import codecs
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from apps.core.exceptions import PermissionDeniedError
from apps.evidence.choices import LinkStatus
from apps.evidence.models import Document, EvidenceLink
from apps.evidence.services import document_ingest, suggestion_confirm
from tests.conftest import make_user

API = "/api/v1"
GWANGMYEONG = (
    "광명시, 탄소중립 실천 주민교육\n\n광명시(시장 박승원)가 온실가스 감축을 위한 탄소중립 실천 교육을 "
    "시민 500명을 대상으로 실시했다고 밝혔다. 시는 태양광 설치를 확대하고 재생에너지 비중을 높일 계획이다.\n"
)


def session(user, api: bool = False):
    """A logged-in client that enforces CSRF like a browser, and its token."""
    client = (APIClient if api else Client)(enforce_csrf_checks=True)
    client.login(username=user.username, password=f"pw-{user.username}")
    client.get("/admin/login/")  # sets the csrftoken cookie
    return client, client.cookies["csrftoken"].value


@pytest.fixture
def nobody(db):
    return make_user("nobody")


# 1. permission before analysis ------------------------------------------------------------


@pytest.mark.django_db
def test_a_user_with_no_role_cannot_store_documents_through_the_api(nobody):
    client, token = session(nobody, api=True)
    response = client.post(
        f"{API}/documents/ingest/", {"text": GWANGMYEONG}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_permission_is_asked_before_the_text_is_analysed(nobody, viewer_a):
    # a binary would be refused by the analysis; the refusal must be "not allowed", unread
    for user in (nobody, viewer_a):
        with pytest.raises(PermissionDeniedError):
            document_ingest(data=b"\x00\x01binary\x00" * 100, filename="x.txt", actor=user)


# 2. time budget ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_past_the_time_budget_the_document_is_stored_with_a_note(settings, planner_b):
    settings.EVIDENCE_ANALYSIS_BUDGET_SECONDS = 0
    result = document_ingest(data=GWANGMYEONG, filename="a.txt", actor=planner_b)
    assert result.status == "created", result.reason
    document = result.document
    assert "광명시" in document.body and document.municipality is None
    assert "budget" in document.analysis_note and "SDG suggestions" in document.analysis_note
    assert not document.links.exists()


# 3. unparseable metadata degrades to unknown ----------------------------------------------

ARTICLE_HTML = (
    "<html><head>{head}<title>하남시 청렴 교육</title></head><body><article><h1>하남시, 전 직원 청렴 교육 실시</h1>"
    "<p>하남시(시장 이현재)가 공직자 부패방지와 청렴도 향상을 위해 전 직원을 대상으로 청렴 교육을 실시했다고 밝혔다.</p>"
    "<p>시는 반부패 시책을 강화하고 공익신고 제도를 알리는 등 청렴한 공직문화를 만들어 갈 계획이다. {n}</p>"
    "</article></body></html>"
)


@pytest.mark.django_db
def test_ingest_stores_pages_with_unusable_addresses_and_reports_every_file(tmp_path):
    (tmp_path / "relative.html").write_text(
        ARTICLE_HTML.format(head='<link rel="canonical" href="/news/view.php?idx=1">', n=1), encoding="utf-8"
    )
    (tmp_path / "app.html").write_text(
        ARTICLE_HTML.format(head='<meta property="og:url" content="android-app://kr.news/123">', n=2),
        encoding="utf-8",
    )
    (tmp_path / "www.txt").write_text(
        "하남시, 탄소중립 숲 조성\n하남시(시장 이현재)는 미사호수공원에 탄소중립 숲을 조성한다고 밝혔다. "
        "시는 나무 3만 그루를 심어 온실가스를 줄일 계획이다.\n출처: www.hanam.go.kr/news 1\n",
        encoding="utf-8",
    )
    (tmp_path / "z_empty.txt").write_bytes(b"")
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 4 files not stored"):
        call_command("ingest", str(tmp_path), stdout=out)
    output = out.getvalue()
    assert sum(line.startswith("created") for line in output.splitlines()) == 3
    assert "z_empty.txt: 빈 파일입니다 / empty file" in output
    assert "Summary: 3 created, 0 duplicate, 1 refused." in output and "Traceback" not in output
    assert Document.objects.get(filename="relative.html").source_url == ""
    assert Document.objects.get(filename="app.html").source_url == ""
    assert Document.objects.get(filename="www.txt").source_url == "http://www.hanam.go.kr/news"


@pytest.mark.django_db
def test_the_upload_page_never_shows_a_python_dict(planner_b):
    client, token = session(planner_b)
    page = ARTICLE_HTML.format(head='<link rel="canonical" href="/news/1">', n=3).replace("하남시", "광명시")
    upload = SimpleUploadedFile("page.html", page.encode("utf-8"), content_type="text/html")
    response = client.post(
        reverse("evidence:add", args=["41210"]), {"file": upload, "csrfmiddlewaretoken": token}, follow=True
    )
    text = response.content.decode()
    assert response.status_code == 200 and "{&#x27;" not in text and "{'" not in text
    document = Document.objects.get(filename="page.html")
    assert document.municipality.code == "41210" and document.source_url == ""


@pytest.mark.django_db
def test_utf16_with_a_broken_surrogate_and_lone_surrogates_get_a_clear_400(planner_a):
    client, token = session(planner_a, api=True)
    broken = (
        codecs.BOM_UTF16_LE
        + "중랑구 탄소중립 교육".encode("utf-16-le")
        + b"\x00\xd8"
        + "기사".encode("utf-16-le")
    )
    upload = SimpleUploadedFile("broken.txt", broken)
    response = client.post(
        f"{API}/documents/ingest/",
        {"file": upload, "municipality": "11260"},
        format="multipart",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 400 and "UTF-16" in response.json()["errors"]["file"][0]
    response = client.post(
        f"{API}/documents/ingest/",
        b'{"text": "\\ud800 \\uc911\\ub791\\uad6c", "municipality": "11260"}',
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 400 and "surrogate" in response.json()["errors"]["text"][0]
    assert not Document.objects.exists()


# 4. deduplication per tenant --------------------------------------------------------------


@pytest.mark.django_db
def test_text_another_city_holds_privately_is_stored_as_our_own_copy(planner_a, planner_b):
    theirs = document_ingest(data=GWANGMYEONG, filename="", actor=planner_b).document
    assert theirs.municipality.code == "41210" and not theirs.is_public
    client, token = session(planner_a, api=True)
    response = client.post(
        f"{API}/documents/ingest/",
        {"text": GWANGMYEONG, "municipality": "11260"},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201 and response.json()["status"] == "created"
    ours = response.json()["document"]
    assert ours["id"] != theirs.pk and ours["municipality"] == "11260" and ours["created_by"] == "planner_a"
    assert "planner_b" not in response.content.decode()
    again = client.post(
        f"{API}/documents/ingest/",
        {"text": GWANGMYEONG, "municipality": "11260"},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert again.status_code == 200 and again.json()["document"]["id"] == ours["id"]
    assert Document.objects.filter(content_hash=theirs.content_hash).count() == 2


# 5. no review internals in public responses -----------------------------------------------


@pytest.mark.django_db
def test_decision_notes_and_deciders_are_not_public(planner_a, coordinator):
    text = GWANGMYEONG.replace("광명시", "중랑구").replace("박승원", "류경기")
    document = document_ingest(data=text, filename="", actor=planner_a).document
    link = document.links.first()
    suggestion_confirm(link=link, actor=coordinator, note="내부 검토: 예산 확인 필요")
    Document.objects.filter(pk=document.pk).update(is_public=True)

    anonymous = APIClient().get(f"{API}/evidence-links/{link.pk}/").json()
    assert (
        anonymous["status"] == LinkStatus.CONFIRMED
        and anonymous["note"] == ""
        and anonymous["decided_by"] is None
    )
    listed = APIClient().get(f"{API}/evidence-links/").json()
    assert "내부 검토" not in str(listed) and "coordinator" not in str(listed)
    page = Client().get(reverse("evidence:document", args=[document.pk])).content.decode()
    assert "내부 검토" not in page and "coordinator" not in page
    client, _ = session(planner_a, api=True)
    insider = client.get(f"{API}/evidence-links/{link.pk}/").json()
    assert insider["note"] == "내부 검토: 예산 확인 필요" and insider["decided_by"] == "coordinator"
    assert EvidenceLink.objects.get(pk=link.pk).note == "내부 검토: 예산 확인 필요"


# 6. the EUC-KR 하남시 article -------------------------------------------------------------

HANAM = (
    "경기도 하남시(시장 이현재)는 미사호수공원 일대에 탄소중립 숲을 조성한다고 2일 밝혔다. "
    "시는 온실가스 감축과 도시 열섬 완화를 위해 나무 3만 그루를 심을 계획이다.\n"
    "경기도는 이번 사업에 도비 10억원을 지원한다.\n"
)


@pytest.mark.django_db
def test_an_euc_kr_article_about_hanam_is_filed_under_hanam_not_the_province(tmp_path):
    # a province named before its own city ("경기도 하남시") is the city's address, not a
    # second actor; and an XML declaration of the encoding no longer hides the page's headline
    (tmp_path / "hanam.txt").write_bytes(HANAM.encode("euc-kr"))
    (tmp_path / "hanam.html").write_bytes(
        (
            "<?xml version='1.0' encoding='euc-kr'?><html><head><title>하남시 소식</title></head><body>"
            "<h1>하남시, 미사호수공원 일대 탄소중립 숲 조성</h1><p>"
            + HANAM.replace("\n", "</p><p>")
            + "시는 가을에 시민 500명이 참여하는 나무 심기 행사도 연다고 전했다.</p></body></html>"
        ).encode("euc-kr")
    )
    call_command("ingest", str(tmp_path), stdout=StringIO())
    text = Document.objects.get(filename="hanam.txt")
    page = Document.objects.get(filename="hanam.html")
    assert text.encoding == "cp949" and text.municipality.code == "41450"
    assert page.municipality.code == "41450" and page.title == "하남시, 미사호수공원 일대 탄소중립 숲 조성"

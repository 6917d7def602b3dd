"""Issue 21: a proof file is ingested through the page (CSRF enforced), its original kept under
MEDIA_ROOT and downloadable by whoever may read the document; the two scores are stored and the
inbox ranks the city's own public action first."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from apps.evidence.models import Document
from apps.evidence.services import document_ingest, document_reclassify

from .proof_files import docx_file, hwp_file

pytestmark = pytest.mark.django_db

TITLE = "중랑구, 공공건물 태양광 설치 확대"
BODY = (
    "중랑구는 온실가스 감축을 위해 공공건물 옥상에 태양광 발전 설비를 설치하고 재생에너지를 늘린다고 밝혔다."
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _client(user) -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None:
        client.force_login(user)
    return client


def _csrf(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_upload_a_hwp_through_the_page_keeps_the_original_and_offers_it_for_download(planner_a, media):
    client = _client(planner_a)
    inbox = reverse("evidence:inbox", args=["11260"])
    data = hwp_file([TITLE, BODY])
    response = client.post(
        reverse("evidence:add", args=["11260"]),
        {
            "csrfmiddlewaretoken": _csrf(client, inbox),
            "file": SimpleUploadedFile("보도자료.hwp", data, content_type="application/x-hwp"),
        },
    )
    document = Document.objects.get()
    assert response["Location"] == reverse("evidence:document", args=[document.pk])
    assert document.title == TITLE and document.body == BODY and document.filename == "보도자료.hwp"
    assert document.original_file.name.endswith(".hwp")
    assert (media / document.original_file.name).read_bytes() == data
    page = client.get(response["Location"]).content.decode()
    download = reverse("evidence:document_file", args=[document.pk])
    assert download in page and "원본 파일" in page and "공공 활동 근거" in page
    got = client.get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content) == data
    assert "attachment" in got["Content-Disposition"]


def test_original_file_download_follows_the_document_permissions(planner_a, planner_b, coordinator):
    result = document_ingest(data=docx_file([TITLE, BODY]), filename="release.docx", actor=planner_a)
    url = reverse("evidence:document_file", args=[result.document.pk])
    assert _client(planner_b).get(url).status_code == 404
    assert _client(None).get(url).status_code == 404
    assert _client(coordinator).get(url).status_code == 200


def test_a_text_document_has_no_file_to_download(planner_a):
    result = document_ingest(data=(TITLE + "\n\n" + BODY + "\n").encode(), filename="a.txt", actor=planner_a)
    assert not result.document.original_file
    assert (
        _client(planner_a).get(reverse("evidence:document_file", args=[result.document.pk])).status_code
        == 404
    )


def test_a_refused_file_is_a_bilingual_message_and_nothing_is_stored(planner_a, media):
    client = _client(planner_a)
    inbox = reverse("evidence:inbox", args=["11260"])
    response = client.post(
        reverse("evidence:add", args=["11260"]),
        {
            "csrfmiddlewaretoken": _csrf(client, inbox),
            "file": SimpleUploadedFile("scan.pdf", b"%PDF-1.7\nbroken", content_type="application/pdf"),
        },
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("malformed PDF" in m and " / " in m for m in messages)
    assert not Document.objects.exists() and not media.exists()


def test_reclassifying_a_file_document_reads_its_text(planner_a):
    document = document_ingest(
        data=docx_file([TITLE, BODY]), filename="release.docx", actor=planner_a
    ).document
    assert document_reclassify(document=document) == []  # nothing new, and no refusal of the stored text


def test_both_scores_are_stored_and_the_inbox_ranks_public_action_first(planner_a, muni_a):
    city = document_ingest(
        data=(TITLE + "\n\n" + BODY + "\n").encode(), filename="city.txt", actor=planner_a
    ).document
    other = document_ingest(
        data=(
            "태양광 시장 전망\n\n태양광 발전과 재생에너지 설비 시장이 커지고 온실가스 감축 수요가 늘어난다는 분석이 나왔다.\n"
        ).encode(),
        filename="market.txt",
        municipality=muni_a,
        actor=planner_a,
    ).document
    assert city.evidence_score == 1.0 and city.evidence_reasons[0] == {
        "rule": "municipality",
        "code": "11260",
    }
    assert other.evidence_score < city.evidence_score
    assert other.links.exists()  # the topic is answered all the same
    # the less public document was stored later (newer id): the inbox still lists the city first
    page = _client(planner_a).get(reverse("evidence:inbox", args=["11260"])).content.decode()
    assert page.index(reverse("evidence:document", args=[city.pk])) < page.index(
        reverse("evidence:document", args=[other.pk])
    )


def test_ingest_command_takes_proof_files_from_a_folder(tmp_path, media):
    from io import StringIO

    from django.core.management import CommandError, call_command

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.docx").write_bytes(docx_file([TITLE, BODY]))
    (folder / "b.hwp").write_bytes(
        hwp_file(
            [
                "광명시, 빗물 재이용 확대",
                "광명시는 공공시설에 빗물 저장 시설을 설치해 물 절약에 나선다고 밝혔다.",
            ]
        )
    )
    (folder / "c.pdf").write_bytes(b"%PDF-1.7\nbroken")
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 3 files not stored"):  # exit status 1
        call_command("ingest", str(folder), stdout=out)
    text = out.getvalue()
    assert "Summary: 2 created, 0 duplicate, 1 refused." in text
    assert "/in/c.pdf: PDF 파일을 읽을 수 없습니다 / malformed PDF file" in text
    assert sorted(d.original_file.name.rsplit("/", 1)[-1] for d in Document.objects.all()) == [
        "a.docx",
        "b.hwp",
    ]

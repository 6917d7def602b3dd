"""Issue 21 through the API: a proof file (HWPX) is ingested like text, its original kept; the
document carries the evidence score and its reasons beside the topic suggestions."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.evidence.models import Document
from tests.evidence.proof_files import hwpx_file

API = "/api/v1"


@pytest.mark.django_db
def test_an_uploaded_hwpx_is_ingested_with_both_scores(planner_a, api, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = hwpx_file(
        [
            "중랑구, 공공건물 태양광 확대",
            "중랑구는 온실가스 감축을 위해 공공건물 옥상에 태양광 발전 설비를 설치한다고 밝혔다.",
        ]
    )
    upload = SimpleUploadedFile("release.hwpx", data)
    response = api(planner_a).post(f"{API}/documents/ingest/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["document"]["evidence_score"] == 1.0
    assert body["document"]["evidence_reasons"][0] == {"rule": "municipality", "code": "11260"}
    assert body["suggestions"] > 0
    assert (tmp_path / Document.objects.get().original_file.name).read_bytes() == data


@pytest.mark.django_db
def test_an_encrypted_pdf_is_refused_with_a_bilingual_reason(planner_a, api):
    from tests.evidence.proof_files import pdf_file

    upload = SimpleUploadedFile("locked.pdf", pdf_file(["secret"], password="pw"))
    response = api(planner_a).post(
        f"{API}/documents/ingest/", {"file": upload, "municipality": "11260"}, format="multipart"
    )
    assert response.status_code == 400 and response.json()["code"] == "refused"
    reason = response.json()["errors"]["file"][0]
    assert "암호" in reason and "encrypted (password-protected) PDF" in reason
    assert not Document.objects.exists()

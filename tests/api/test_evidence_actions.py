"""Evidence and import actions call the same services as the commands, with the same refusals."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.evidence.models import Document, EvidenceLink
from apps.indicators.models import Observation

from . import factories as f

API = "/api/v1"
ARTICLE = (
    "중랑구, 탄소중립 실천 주간 운영\n\n중랑구는 온실가스 감축을 위해 주민과 함께 에너지 절약 캠페인을 벌이고, "
    "재생에너지 보급과 기후변화 적응 교육을 확대한다고 밝혔다."
)


@pytest.mark.django_db
def test_ingesting_pasted_text_twice_makes_one_document(planner_a, api):
    client = api(planner_a)
    first = client.post(f"{API}/documents/ingest/", {"text": ARTICLE, "municipality": "11260"}, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["document"]["municipality"] == "11260"
    again = client.post(f"{API}/documents/ingest/", {"text": ARTICLE, "municipality": "11260"}, format="json")
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert Document.objects.count() == 1


@pytest.mark.django_db
def test_an_uploaded_binary_is_refused_with_the_services_reason(planner_a, api):
    upload = SimpleUploadedFile("page.txt", b"\x00\x01\x02binary\x00" * 50)
    response = api(planner_a).post(
        f"{API}/documents/ingest/", {"file": upload, "municipality": "11260"}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "refused" and "binary" in response.json()["errors"]["file"][0]
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_an_upload_over_5_mb_is_413_and_not_stored(planner_a, api):
    upload = SimpleUploadedFile("big.txt", b"a" * (5 * 1024 * 1024 + 1))
    response = api(planner_a).post(f"{API}/documents/ingest/", {"file": upload}, format="multipart")
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_ingest_wants_a_file_or_text_not_both(planner_a, api):
    upload = SimpleUploadedFile("a.txt", ARTICLE.encode())
    response = api(planner_a).post(
        f"{API}/documents/ingest/", {"file": upload, "text": ARTICLE}, format="multipart"
    )
    assert response.status_code == 400 and "non_field_errors" in response.json()["errors"]


@pytest.mark.django_db
def test_confirming_a_suggestion_records_who_and_rejecting_it_later_is_allowed(muni_a, coordinator, api):
    link = f.evidence_link(muni_a)
    confirmed = api(coordinator).post(
        f"{API}/evidence-links/{link.pk}/confirm/", {"note": "확인"}, format="json"
    )
    assert confirmed.json()["status"] == "confirmed" and confirmed.json()["decided_by"] == "coordinator"
    rejected = api(coordinator).post(f"{API}/evidence-links/{link.pk}/reject/", {}, format="json")
    assert rejected.json()["status"] == "rejected"


@pytest.mark.django_db
def test_a_manual_link_quotes_the_excerpt_from_the_body(muni_a, planner_a, api):
    document = f.document(muni_a)
    initiative = f.initiative(muni_a)
    response = api(planner_a).post(
        f"{API}/evidence-links/",
        {"document": document.pk, "initiative": initiative.pk, "excerpt_start": 0, "excerpt_end": 3},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["excerpt"], body["origin"], body["status"]) == (document.body[:3], "manual", "confirmed")


@pytest.mark.django_db
def test_a_manual_link_with_an_excerpt_outside_the_body_is_400(muni_a, planner_a, api):
    document = f.document(muni_a)
    response = api(planner_a).post(
        f"{API}/evidence-links/",
        {"document": document.pk, "target": "11.6", "excerpt_start": 5, "excerpt_end": 99999},
        format="json",
    )
    assert response.status_code == 400 and "excerpt_end" in response.json()["errors"]
    assert not EvidenceLink.objects.filter(origin="manual").exists()


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("annex.csv", text.encode(), content_type="text/csv")


@pytest.mark.django_db
def test_import_dry_run_reports_and_saves_nothing(muni_a, planner_a, api):
    indicator = f.local_indicator(muni_a, code="E-1")
    response = api(planner_a).post(
        f"{API}/observations/import/",
        {
            "file": _csv("indicator_code,year,value\nE-1,2021,3\nE-1,2022,4\n"),
            "municipality": "11260",
            "dry_run": True,
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["created"], response.json()["dry_run"]) == (2, True)
    assert not Observation.objects.filter(local_indicator=indicator).exists()


@pytest.mark.django_db
def test_import_with_a_bad_cell_lists_the_row_and_saves_nothing(muni_a, planner_a, api):
    f.local_indicator(muni_a, code="E-1")
    response = api(planner_a).post(
        f"{API}/observations/import/",
        {"file": _csv("indicator_code,year,value\nE-1,2021,3\nE-1,2022,많음\n"), "municipality": "11260"},
        format="multipart",
    )
    assert response.status_code == 400 and response.json()["code"] == "import_failed"
    lines = response.json()["errors"]["non_field_errors"]
    assert len(lines) == 1 and lines[0].startswith("row 3")
    assert not Observation.objects.exists()

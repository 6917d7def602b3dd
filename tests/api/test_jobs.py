"""Which imports the API hands to a worker (202 + job URL) and which it runs in the request."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.models import Job, JobStatus
from apps.indicators.models import Observation

from . import factories as f

pytestmark = pytest.mark.django_db


def _upload(indicator, rows: int) -> SimpleUploadedFile:
    lines = ["indicator_code,year,district,value"] + [f"{indicator.code},2020,동{n},{n}" for n in range(rows)]
    return SimpleUploadedFile("annex.csv", "\n".join(lines).encode(), content_type="text/csv")


def test_a_file_over_the_threshold_becomes_a_queued_job_and_nothing_is_imported_yet(
    settings, api, planner_a, muni_a
):
    settings.IMPORT_BACKGROUND_BYTES = 1000
    indicator = f.local_indicator(muni_a)

    response = api(planner_a).post(
        "/api/v1/observations/import/",
        {"file": _upload(indicator, 100), "municipality": muni_a.code},
        format="multipart",
    )

    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["id"])
    assert (job.status, job.kind, job.started_by, job.municipality_id) == (
        JobStatus.QUEUED,
        "observations_import",
        planner_a,
        muni_a.pk,
    )
    assert bytes(job.payload).startswith(b"indicator_code,year")
    assert not Observation.objects.filter(local_indicator=indicator).exists()


def test_a_small_file_is_imported_in_the_request_as_before(settings, api, planner_a, muni_a):
    settings.IMPORT_BACKGROUND_BYTES = 1_000_000
    indicator = f.local_indicator(muni_a)

    response = api(planner_a).post(
        "/api/v1/observations/import/",
        {"file": _upload(indicator, 100), "municipality": muni_a.code},
        format="multipart",
    )

    assert response.status_code == 200 and response.json()["created"] == 100
    assert not Job.objects.exists()


def test_background_false_keeps_a_large_file_in_the_request(settings, api, planner_a, muni_a):
    settings.IMPORT_BACKGROUND_BYTES = 1000
    indicator = f.local_indicator(muni_a)

    response = api(planner_a).post(
        "/api/v1/observations/import/",
        {"file": _upload(indicator, 100), "municipality": muni_a.code, "background": "false"},
        format="multipart",
    )

    assert response.status_code == 200 and response.json()["created"] == 100


def test_indicator_metadata_import_can_run_as_a_job_too(api, planner_a, muni_a):
    content = "code,name_ko,unit\nJOB-1,작업 지표,명\n".encode()
    response = api(planner_a).post(
        "/api/v1/local-indicators/import/",
        {
            "file": SimpleUploadedFile("indicators.csv", content),
            "municipality": muni_a.code,
            "background": "true",
        },
        format="multipart",
    )

    assert response.status_code == 202
    assert Job.objects.get(pk=response.json()["id"]).kind == "indicators_import"


def test_indicator_metadata_import_through_the_api_answers_its_report(api, planner_a, planner_b, muni_a):
    content = "code,name_ko,unit\nAPI-1,새 지표,명\n".encode()

    refused = api(planner_b).post(
        "/api/v1/local-indicators/import/",
        {"file": SimpleUploadedFile("indicators.csv", content), "municipality": muni_a.code},
        format="multipart",
    )
    response = api(planner_a).post(
        "/api/v1/local-indicators/import/",
        {"file": SimpleUploadedFile("indicators.csv", content), "municipality": muni_a.code},
        format="multipart",
    )

    assert refused.status_code == 403
    assert response.status_code == 200 and response.json()["created"] == 1
    assert muni_a.local_indicators.filter(code="API-1", unit="명").exists()

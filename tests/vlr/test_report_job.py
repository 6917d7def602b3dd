"""A large city's report PDF is made by a background job, from the edition page and the API,
so no request waits for it (README "Background jobs"). The job is run here in this process by
the same ``job_run`` a worker calls (tests/core/test_jobs.py runs a real ``db_worker``)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from apps.core.jobs import job_run
from apps.core.models import Job, JobStatus
from apps.vlr.tasks import _report
from tests.api.conftest import client_for
from tests.factories import populate


@pytest.fixture
def large(muni_a, settings, tmp_path):
    """중랑구 with 4 indicators, counted as a large city (more than 2)."""
    settings.REPORT_BACKGROUND_INDICATORS = 2
    settings.MEDIA_ROOT = tmp_path / "media"
    _indicators, edition = populate(muni_a, 4)
    return edition


def browser(user) -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_edition_page_makes_a_large_citys_pdf_in_a_job_and_gives_the_file(large, planner_a, planner_b):
    client = browser(planner_a)
    url = reverse("vlr:report", args=[large.pk, "pdf"]) + "?lang=en"
    offer = client.get(url)
    assert offer.status_code == 200 and offer["Content-Type"].startswith("text/html")  # no PDF made
    assert "background job" in offer.content.decode()
    assert client.post(url).status_code == 403  # no CSRF token
    token = (
        offer.cookies["csrftoken"].value
        if "csrftoken" in offer.cookies
        else client.cookies["csrftoken"].value
    )
    started = client.post(url, {"csrfmiddlewaretoken": token})
    job = Job.objects.get(kind="vlr_report")
    assert started.status_code == 302 and started["Location"] == reverse("job", args=[job.pk])
    assert job.status == JobStatus.QUEUED and job.params == {
        "edition": large.pk,
        "format": "pdf",
        "lang": "en",
    }
    not_ready = client.get(f"{url}&job={job.pk}")
    assert not_ready.status_code == 400 and "not ready" in not_ready.content.decode()

    assert job_run(job.pk, _report) == JobStatus.SUCCEEDED
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    download = Job.objects.get(pk=job.pk).result["download"]
    assert download.replace("&", "&amp;") in page
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="VLR_{large.municipality.code}_{large.year}_en.pdf"' in response["Content-Disposition"]
    pdf = PdfReader(__import__("io").BytesIO(b"".join(response.streaming_content)))
    assert pdf.pages[1].extract_text().startswith("Contents")
    # someone who may not see the job gets nothing, nor does another edition's URL
    assert browser(planner_b).get(download).status_code == 404
    assert client.get(reverse("vlr:report", args=[large.pk, "docx"]) + f"?job={job.pk}x").status_code == 404
    # the DOCX is quick: still made at once
    docx = client.get(reverse("vlr:report", args=[large.pk, "docx"]) + "?lang=both")
    assert docx.status_code == 200 and docx["Content-Type"].endswith("wordprocessingml.document")


def test_the_api_answers_202_for_a_large_citys_pdf_and_serves_the_jobs_file(large, planner_a, planner_b):
    api = client_for(planner_a)
    url = f"/api/v1/editions/{large.pk}/report/?format=pdf&lang=ko"
    refused = api.get(url)
    assert refused.status_code == 400 and refused.json()["code"] == "use_background_job"
    accepted = api.post(url)
    assert accepted.status_code == 202, accepted.content
    job_url = accepted.json()["url"]
    assert api.get(job_url).json()["status"] == JobStatus.QUEUED
    assert job_run(accepted.json()["id"], _report) == JobStatus.SUCCEEDED
    result = api.get(job_url).json()["result"]
    response = api.get(result["api_download"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(planner_b).get(result["api_download"]).status_code == 404
    assert client_for(planner_b).post(url).status_code == 404  # not their edition

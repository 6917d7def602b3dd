"""The import page: a small file is imported in the request; a large one becomes a job whose
page polls its progress (htmx, no inline script). The worker-run part is in tests/core/test_jobs.py."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.core.models import Job, JobStatus
from apps.indicators.models import Observation
from tests.api import factories as f

pytestmark = pytest.mark.django_db


def _csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _post(client, url, upload, **extra):
    client.get(url)
    return client.post(
        url,
        {"kind": "observations_import", "file": upload, **extra},
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )


def _upload(indicator, rows: int, bad: bool = False) -> SimpleUploadedFile:
    lines = ["indicator_code,year,district,value"] + [f"{indicator.code},2020,동{n},{n}" for n in range(rows)]
    if bad:
        lines.append(f'{indicator.code},2021,동,"22,85"')
    return SimpleUploadedFile("annex.csv", "\n".join(lines).encode(), content_type="text/csv")


def test_a_small_file_is_imported_at_once_and_its_report_shown(planner_a, muni_a):
    indicator = f.local_indicator(muni_a)
    client = _csrf_client(planner_a)

    response = _post(client, f"/m/{muni_a.code}/import/", _upload(indicator, 30))

    assert response.status_code == 200
    assert "Import saved" in response.content.decode()
    assert Observation.objects.filter(local_indicator=indicator).count() == 30
    assert not Job.objects.exists()


def test_a_file_with_a_bad_cell_saves_nothing_and_names_the_row(planner_a, muni_a):
    indicator = f.local_indicator(muni_a)
    client = _csrf_client(planner_a)

    page = _post(client, f"/m/{muni_a.code}/import/", _upload(indicator, 3, bad=True)).content.decode()

    assert "Nothing was saved" in page and "row 5, column" in page
    assert not Observation.objects.filter(local_indicator=indicator).exists()


def test_a_large_file_becomes_a_job_whose_page_polls_until_it_ends(settings, planner_a, muni_a):
    settings.IMPORT_BACKGROUND_BYTES = 1000
    indicator = f.local_indicator(muni_a)
    client = _csrf_client(planner_a)

    response = _post(client, f"/m/{muni_a.code}/import/", _upload(indicator, 200), dry_run="on")

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.params["dry_run"] is True and job.status == JobStatus.QUEUED
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "<script" not in page.split("</head>")[1]
    fragment = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="job-status"') and 'hx-trigger="every 1s"' in fragment


def test_only_editors_open_the_import_page_and_only_those_who_see_a_job_open_it(
    planner_a, planner_b, viewer_a, muni_a, ui
):
    job = f.job(muni_a, started_by=planner_a)
    link = f'href="/m/{muni_a.code}/import/"'
    assert link in ui(planner_a).get(f"/m/{muni_a.code}/indicators/").content.decode()
    assert link not in ui(viewer_a).get(f"/m/{muni_a.code}/indicators/").content.decode()
    assert ui(viewer_a).get(f"/m/{muni_a.code}/import/").status_code == 404

    assert ui(planner_b).get(f"/m/{muni_a.code}/import/").status_code == 404
    assert ui(planner_b).get(f"/jobs/{job.pk}/").status_code == 404
    assert ui(None).get(f"/jobs/{job.pk}/").status_code == 404
    assert ui(planner_a).get(f"/jobs/{job.pk}/").status_code == 200

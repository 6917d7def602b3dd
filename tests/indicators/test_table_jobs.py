"""Table imports (KOSIS-style, apps/indicators/services/tables.py) as background jobs: the page's
import step and the API hand a large table to a worker and return at once; the job keeps the
mapping the person checked; a worker killed inside the transaction leaves the database unchanged
and the job failed with its reason (a real ``db_worker`` process, as in tests/core/test_jobs.py)."""

from __future__ import annotations

import os
import re
import signal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.core.jobs import job_run
from apps.core.models import Job, JobStatus
from apps.indicators.models import Observation
from apps.indicators.tasks import _import
from tests.api.conftest import client_for
from tests.core.test_jobs import _page, _wait_for, _worker
from tests.factories import make_indicator
from tests.indicators.test_tables import KOSIS_CSV


@pytest.fixture
def pm25_a(muni_a):
    return make_indicator(muni_a, "ENV-PM25", {}, unit="μg/m³", name_ko="초미세먼지 농도")


def _preview_then_import(client, pm25) -> tuple:
    """The page's two steps: preview (the detected mapping), then import with 미세먼지 and 2022
    marked 'ignore' (a correction the job must keep)."""
    url = "/m/11260/import/table/"
    client.get(url)
    token = client.cookies["csrftoken"].value
    upload = SimpleUploadedFile("kosis.csv", KOSIS_CSV.encode("cp949"))
    html = client.post(
        url, {"csrfmiddlewaretoken": token, "step": "preview", "file": upload, "indicator": pm25.pk}
    ).content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    fields.update(dict(re.findall(r'<input name="(col-[^"]+)" value="([^"]*)"', html)))
    for i in range(int(fields["columns"])):
        fields[f"col-{i}-role"] = "region" if i < 2 else "value"
    fields["col-3-role"] = fields["col-5-role"] = fields["col-7-role"] = "ignore"
    fields["col-4-role"] = "ignore"
    fields.update({"csrfmiddlewaretoken": token, "indicator": pm25.pk, "save_as": "", "dry_run": ""})
    fields.update({"header_first": "1", "header_last": "2", "data_first": "3"})
    return client.post(url, fields), Observation.objects.filter(local_indicator=pm25)


def test_a_large_table_imported_from_the_page_becomes_a_job_that_keeps_the_corrected_mapping(
    settings, muni_a, pm25_a, planner_a
):
    settings.IMPORT_BACKGROUND_BYTES = 100  # the csv is larger: a worker imports it
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(planner_a)

    done, stored = _preview_then_import(client, pm25_a)

    job = Job.objects.get(kind="observations_import_table")
    assert done.status_code == 302 and done["Location"] == f"/jobs/{job.pk}/"
    assert not stored.exists()  # the request saved nothing
    assert (job.status, job.params["indicator"], job.file_name) == (JobStatus.QUEUED, pm25_a.pk, "kosis.csv")
    assert [c["role"] for c in job.params["layout"]["columns"]][3:5] == ["ignore", "ignore"]
    assert "hx-trigger" in _page(client, job.pk)  # its page polls while it waits

    # The worker's entry point, in this process.
    assert job_run(job.pk, _import) == JobStatus.SUCCEEDED
    assert sorted(stored.values_list("year", "value")) == [(2021, 20.5), (2023, 18.2)]
    fragment = _page(client, job.pk)
    assert "hx-trigger" not in fragment and "Import saved" in fragment
    assert "Missing values (KOSIS markers, not stored)" not in fragment  # 2022's "x" was ignored


def test_a_small_table_is_still_imported_in_the_request(muni_a, pm25_a, planner_a):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(planner_a)
    done, stored = _preview_then_import(client, pm25_a)
    assert done.status_code == 200 and not Job.objects.exists()
    assert sorted(stored.values_list("year", "value")) == [(2021, 20.5), (2023, 18.2)]


def test_the_api_queues_a_table_import_when_asked_and_the_job_reports_missing_values(
    muni_a, pm25_a, planner_a
):
    api = client_for(planner_a)
    upload = SimpleUploadedFile("kosis.csv", KOSIS_CSV.encode("cp949"))
    answer = api.post(
        "/api/v1/observations/import-table/",
        {
            "file": upload,
            "municipality": "11260",
            "indicator": "ENV-PM25",
            "item": "초미세먼지",
            "background": "true",
        },
        format="multipart",
    )
    assert answer.status_code == 202, answer.content
    assert not Observation.objects.exists()
    assert job_run(answer.json()["id"], _import) == JobStatus.SUCCEEDED
    job = api.get(answer.json()["url"]).json()
    assert job["result"]["created"] == 2 and job["result"]["other_regions"] > 0
    assert job["result"]["missing"] == [
        "row 6, column E: 비밀 보호로 공개하지 않음 / confidential (KOSIS 'x') — 값을 저장하지 않음 / no value stored"
    ]
    assert sorted(Observation.objects.values_list("year", "value")) == [(2021, 20.5), (2023, 18.2)]


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_table_import_leaves_the_database_unchanged_and_the_job_failed(
    muni_a, pm25_a, planner_a, tmp_path
):
    kept = Observation.objects.create(local_indicator=pm25_a, year=2021, value=99)
    before = sorted(Observation.objects.values_list("id", "year", "value"))
    history = Observation.history.count()
    api = client_for(planner_a)
    upload = SimpleUploadedFile("kosis.csv", KOSIS_CSV.encode("cp949"))
    answer = api.post(
        "/api/v1/observations/import-table/",
        {
            "file": upload,
            "municipality": "11260",
            "indicator": "ENV-PM25",
            "item": "초미세먼지",
            "background": "true",
        },
        format="multipart",
    )
    job_id = answer.json()["id"]
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(planner_a)  # before the worker: on SQLite nobody writes while it holds the lock
    worker = _worker(JOBS_PAUSE_DIR=str(tmp_path), JOBS_PAUSE_STAGE="written")
    try:
        # Every value is written (2021 updated to 20.5, 2023 created) inside the transaction.
        _wait_for(tmp_path / f"{job_id}.reached", worker)
        fragment = _page(browser, job_id)
        assert 'hx-trigger="every 1s"' in fragment and "checking and saving rows" in fragment
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    assert sorted(Observation.objects.values_list("id", "year", "value")) == before
    assert kept in Observation.objects.all() and Observation.history.count() == history
    job = api.get(answer.json()["url"]).json()
    assert job["status"] == JobStatus.FAILED
    assert "worker stopped during the job" in job["message"] and "unchanged" in job["message"]

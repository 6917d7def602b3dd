"""Background jobs run by a real worker process (``manage.py db_worker``) on the test database.

No fake backend: the API queues the job as a browser or script would, a ``db_worker`` subprocess
(pointed at the same database) runs it, and the test reads the job and the observations back.
The kill test stops the worker with SIGKILL inside the import's transaction, at a point the job
announces by creating a file (``JOBS_PAUSE_DIR``), so no sleep decides anything.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

from apps.core.jobs import job_run, jobs_reap
from apps.core.models import Job, JobStatus
from apps.indicators.models import Observation
from apps.indicators.services import import_start
from apps.indicators.tasks import _import
from tests.api import factories as f
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker(*extra: str, **env) -> subprocess.Popen:
    environment = {**os.environ, "DATABASE_URL": _database_url(), "CONN_MAX_AGE": "0", **env}
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
            *extra,
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _annex(indicator, rows: int) -> SimpleUploadedFile:
    lines = ["indicator_code,year,district,value"] + [
        f"{indicator.code},2020,동{n},{n}.5" for n in range(rows)
    ]
    return SimpleUploadedFile("annex.csv", "\n".join(lines).encode(), content_type="text/csv")


def _client(user):
    return client_for(user)


def _post(client, indicator, muni, upload, **extra):
    return client.post(
        "/api/v1/observations/import/",
        {"file": upload, "municipality": muni.code, **extra},
        format="multipart",
    )


def _browser(user) -> Client:
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(user)
    return browser


def _page(browser, job_id: int) -> str:
    """The job's status as the page's htmx poll gets it."""
    response = browser.get(f"/jobs/{job_id}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def _wait_for(path: Path, worker: subprocess.Popen, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while not path.exists():
        assert worker.poll() is None, worker.stdout.read()
        assert time.monotonic() < deadline, "the worker never reached the pause point"
        time.sleep(0.05)


def test_a_background_import_is_run_by_the_worker_and_reports_its_result(planner_a, muni_a):
    indicator = f.local_indicator(muni_a)
    client = _client(planner_a)

    response = _post(client, indicator, muni_a, _annex(indicator, 150), background="true")

    assert response.status_code == 202, response.content
    url = response.json()["url"]
    assert response["Location"] == url and url.endswith(f"/api/v1/jobs/{response.json()['id']}/")
    assert client.get(url).json()["status"] == JobStatus.QUEUED
    assert not Observation.objects.filter(local_indicator=indicator).exists()

    worker = _worker("--batch")
    output, _ = worker.communicate(timeout=120)
    assert worker.returncode == 0, output

    job = client.get(url).json()
    assert job["status"] == JobStatus.SUCCEEDED, job
    assert (job["result"]["created"], job["result"]["rows"], job["percent"]) == (150, 150, 100)
    assert job["started_by"] == "planner_a"
    assert Observation.objects.filter(local_indicator=indicator).count() == 150
    assert Job.objects.get(pk=job["id"]).payload is None  # the file is not kept after the job
    # The job's page stops polling and shows the report.
    fragment = _page(_browser(planner_a), job["id"])
    assert "hx-trigger" not in fragment and "Import saved" in fragment and "<dd>150</dd>" in fragment


def test_a_background_import_with_bad_rows_fails_with_every_row_error_and_saves_nothing(planner_a, muni_a):
    indicator = f.local_indicator(muni_a)
    client = _client(planner_a)
    content = (
        f'indicator_code,year,value\n{indicator.code},2020,1\n{indicator.code},2021,"22,85"\nNOPE,2022,3\n'
    )
    upload = SimpleUploadedFile("annex.csv", content.encode(), content_type="text/csv")

    url = _post(client, indicator, muni_a, upload, background="true").json()["url"]
    worker = _worker("--batch")
    worker.communicate(timeout=120)

    job = client.get(url).json()
    assert job["status"] == JobStatus.FAILED
    assert "nothing was saved" in job["message"]
    assert any(line.startswith("row 4, column ") for line in job["errors"]), job["errors"]
    assert not Observation.objects.filter(local_indicator=indicator).exists()


def test_a_dry_run_in_the_background_reports_without_saving(planner_a, muni_a):
    indicator = f.local_indicator(muni_a)
    client = _client(planner_a)

    url = _post(client, indicator, muni_a, _annex(indicator, 20), background="true", dry_run="true").json()[
        "url"
    ]
    _worker("--batch").communicate(timeout=120)

    job = client.get(url).json()
    assert job["status"] == JobStatus.SUCCEEDED
    assert job["result"]["created"] == 20 and job["result"]["dry_run"] is True
    assert not Observation.objects.filter(local_indicator=indicator).exists()


def test_killing_the_worker_mid_import_leaves_the_database_unchanged_and_the_job_failed(
    planner_a, muni_a, tmp_path
):
    indicator = f.local_indicator(muni_a)
    kept = f.observation(muni_a, indicator=indicator, year=1800)
    before = sorted(Observation.objects.values_list("id", "year", "value"))
    client = _client(planner_a)
    url = _post(client, indicator, muni_a, _annex(indicator, 5000), background="true").json()["url"]
    job_id = int(url.rstrip("/").rsplit("/", 1)[1])

    # Logged in before the worker starts: on SQLite nobody writes while its transaction is open.
    browser = _browser(planner_a)
    worker = _worker(JOBS_PAUSE_DIR=str(tmp_path), JOBS_PAUSE_STAGE="written")
    try:
        # The worker has written all 5,000 rows and their history inside its transaction.
        _wait_for(tmp_path / f"{job_id}.reached", worker)
        assert client.get(url).json()["status"] == JobStatus.RUNNING
        # Its page shows the stage and the rows, and keeps polling.
        fragment = _page(browser, job_id)
        assert 'hx-trigger="every 1s"' in fragment and "checking and saving rows" in fragment
        assert '<progress max="5000" value="0">' in fragment
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    assert sorted(Observation.objects.values_list("id", "year", "value")) == before
    assert not Observation.history.filter(local_indicator_id=indicator.pk).exclude(id=kept.pk).exists()
    job = client.get(url).json()
    assert job["status"] == JobStatus.FAILED
    assert "worker stopped during the job" in job["message"] and "unchanged" in job["message"]


def test_a_running_job_of_a_live_worker_is_kept_and_one_silent_too_long_on_another_host_is_failed(
    planner_a, muni_a
):
    alive = Job.objects.create(
        kind="observations_import",
        status=JobStatus.RUNNING,
        started_by=planner_a,
        municipality_id=muni_a.pk,
        worker=f"{socket.gethostname()[:60]}:{os.getpid()}",
    )
    silent = Job.objects.create(
        kind="observations_import",
        status=JobStatus.RUNNING,
        started_by=planner_a,
        municipality_id=muni_a.pk,
        worker="elsewhere:1",
        heartbeat_at=timezone.now() - timedelta(seconds=settings.JOBS_STALE_AFTER + 1),
    )

    assert jobs_reap() == 1
    assert Job.objects.get(pk=alive.pk).status == JobStatus.RUNNING
    assert Job.objects.get(pk=silent.pk).status == JobStatus.FAILED


def test_progress_is_written_while_rows_are_read_and_then_the_stage_of_the_transaction(planner_a, muni_a):
    """The worker's own entry point (``job_run`` with the import task's work), in this process:
    what the job row says each time the import reports progress outside its transaction."""
    indicator = f.local_indicator(muni_a)
    job = import_start(
        kind="observations_import", file=_annex(indicator, 5000), municipality=muni_a, actor=planner_a
    )
    seen = []

    def work(job, progress):
        def watched(stage, done=0, total=None):
            progress(stage, done, total)
            if not connection.in_atomic_block:
                seen.append(Job.objects.values_list("stage", "done", "total").get(pk=job.pk))

        return _import(job, watched)

    assert job_run(job.pk, work) == JobStatus.SUCCEEDED
    # Written at the first row, then every 2,000 rows (not on every row), then the stage of the transaction.
    assert list(dict.fromkeys(seen)) == [
        ("reading", 1, None),
        ("reading", 2001, None),
        ("reading", 4001, None),
        ("checking", 0, 5000),
    ]
    assert Observation.objects.filter(local_indicator=indicator).count() == 5000

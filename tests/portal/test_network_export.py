"""The whole-network export: ``manage.py export_network`` and the network page's background job
(one zip of every city's VLR workbook, each read back with openpyxl)."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import timedelta

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.models import Job, JobStatus
from apps.municipalities.models import Municipality
from apps.portal.services import network_export_start, network_export_write
from apps.portal.tasks import network_export_run
from tests.factories import populate
from tests.plans import ON_POSTGRESQL, explained_whole_reads

pytestmark = pytest.mark.django_db


def _annex_rows(content: bytes) -> set[tuple[str, str]]:
    """(municipality code, indicator code) of each row of a workbook's statistical annex."""
    wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return {row[:2] for row in wb["통계 부록 Statistical annex"].iter_rows(min_row=3, values_only=True)}


def test_export_network_writes_every_city_with_data_in_one_zip(muni_a, muni_b, tmp_path):
    populate(muni_a, 2)
    populate(muni_b, 3)
    out = io.StringIO()
    call_command("export_network", str(tmp_path / "all.zip"), "--year", "2023", stdout=out)
    assert "VLR workbooks of 2 municipalities written" in out.getvalue()
    with zipfile.ZipFile(tmp_path / "all.zip") as archive:
        assert archive.namelist() == ["VLR_11260_2023.xlsx", "VLR_41210_2023.xlsx"]
        assert _annex_rows(archive.read("VLR_41210_2023.xlsx")) == {("41210", f"L00{i}") for i in range(3)}
        assert _annex_rows(archive.read("VLR_11260_2023.xlsx")) == {("11260", f"L00{i}") for i in range(2)}


def test_export_network_writes_the_chosen_cities_and_names_an_unknown_code(muni_a, muni_b, tmp_path):
    populate(muni_a, 1)
    populate(muni_b, 1)
    call_command(
        "export_network",
        str(tmp_path / "b.zip"),
        "--year",
        "2023",
        "--municipality",
        "41210",
        stdout=io.StringIO(),
    )
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        assert archive.namelist() == ["VLR_41210_2023.xlsx"]
    with pytest.raises(CommandError, match="unknown or out-of-scope municipality codes: NOPE"):
        call_command(
            "export_network",
            str(tmp_path / "c.zip"),
            "--year",
            "2023",
            "--municipality",
            "NOPE",
            stdout=io.StringIO(),
        )
    assert not (tmp_path / "c.zip").exists()  # refused before anything is written
    with pytest.raises(CommandError, match=r"must end in \.zip"):
        call_command("export_network", str(tmp_path / "d.xlsx"), "--year", "2023", stdout=io.StringIO())


def test_each_city_costs_the_same_queries_whatever_the_others_hold(muni_a, muni_b):
    """Linear in the data: the queries per city are constant (none reads the whole database by
    city; tests/portal/test_network_export.py's EXPLAIN test checks the plans on PostgreSQL)."""
    third = Municipality.objects.get(code="41450")
    populate(muni_a, 2)
    populate(muni_b, 5)
    populate(third, 3)
    counts = []
    for n in (1, 2, 3):
        with CaptureQueriesContext(connection) as ctx:
            network_export_write(municipalities=[muni_a, muni_b, third][:n], year=2023, file=io.BytesIO())
        counts.append(len(ctx.captured_queries))
    assert counts[1] - counts[0] == counts[2] - counts[1] == counts[0] > 0


@ON_POSTGRESQL
def test_a_city_export_reads_only_by_index(muni_a, muni_b):
    """The evidence links of one city's export are read through an index condition: with
    sequential scans priced out (``enable_seqscan = off``), PostgreSQL reads a table whole only
    when no index can narrow the query — as the OR across joined tables of the evidence query
    made it do, for every city."""
    populate(muni_a, 3)
    populate(muni_b, 3)
    with CaptureQueriesContext(connection) as ctx:
        network_export_write(municipalities=[muni_a], year=2023, file=io.BytesIO())
    whole = explained_whole_reads(ctx.captured_queries)
    # The evidence links are what the OR across joined tables read whole, for every city. Other
    # small tables' plans follow the row estimates, which another test's ANALYZE (sixty cities,
    # tests/portal/test_dashboard_plans.py) leaves behind beyond its transaction, so they are
    # held to indexes there, on analysed data, not here.
    assert "evidence_evidencelink" not in whole


def _browser(user) -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _post(client, url, data):
    client.get(reverse("municipalities:network"))
    return client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


@pytest.mark.django_db(
    transaction=True
)  # the job's progress is written outside any transaction, as in a worker
def test_an_all_scope_coordinator_exports_the_network_from_its_page(
    coordinator_all, muni_a, muni_b, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    populate(muni_a, 1)
    populate(muni_b, 2)
    client = _browser(coordinator_all)
    assert 'action="/network/export/"' in client.get(reverse("municipalities:network")).content.decode()

    response = _post(client, reverse("municipalities:network_export"), {"year": "2023"})
    job = Job.objects.get(kind="network_export")
    assert response["Location"] == reverse("job", args=[job.pk]) and job.status == JobStatus.QUEUED
    assert (job.params, job.started_by) == ({"year": 2023}, coordinator_all)

    network_export_run.call(job.pk)  # what the worker runs

    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.result["municipalities"]) == (JobStatus.SUCCEEDED, 2, 2, 2)
    page = client.get(reverse("job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    download = reverse("municipalities:network_export_download", args=[job.pk])
    assert f'href="{download}"' in page and "hx-trigger" not in page
    response = client.get(download)
    assert response.status_code == 200
    assert 'filename="VLR_network_2023.zip"' in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert archive.namelist() == ["VLR_11260_2023.xlsx", "VLR_41210_2023.xlsx"]
        assert _annex_rows(archive.read("VLR_41210_2023.xlsx")) == {("41210", "L000"), ("41210", "L001")}


def test_only_an_all_scope_coordinator_may_export_or_download_the_network(
    coordinator, coordinator_all, muni_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    populate(muni_a, 1)
    client = _browser(coordinator)  # reviews two cities, not all
    assert "/network/export/" not in client.get(reverse("municipalities:network")).content.decode()
    assert _post(client, reverse("municipalities:network_export"), {"year": "2023"}).status_code == 403
    assert not Job.objects.filter(kind="network_export").exists()

    all_client = _browser(coordinator_all)
    _post(all_client, reverse("municipalities:network_export"), {"year": "2023"})
    job = Job.objects.get(kind="network_export")
    network_export_run.call(job.pk)
    download = reverse("municipalities:network_export_download", args=[job.pk])
    assert client.get(download).status_code == 404  # not their job, and not every city's coordinator
    assert all_client.get(download).status_code == 200


def test_a_bad_year_is_refused_with_a_message(coordinator_all):
    client = _browser(coordinator_all)
    response = _post(client, reverse("municipalities:network_export"), {"year": "twenty"})
    assert response["Location"] == reverse("municipalities:network")
    assert "between 2000 and 2100" in client.get(response["Location"]).content.decode()
    assert not Job.objects.exists()


def test_an_export_whose_starter_was_deleted_fails_instead_of_exporting_as_the_system(
    coordinator_all, muni_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    populate(muni_a, 1)
    job = network_export_start(year=2023, actor=coordinator_all)
    coordinator_all.delete()
    network_export_run.call(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "no longer exists" in job.message
    assert not (tmp_path / "exports").exists()


def _finished_export(actor, tmp_path, *, days_ago: int) -> Job:
    """A whole-network export run as the worker runs it, its job ended ``days_ago`` days ago."""
    job = network_export_start(year=2023, actor=actor)
    network_export_run.call(job.pk)
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=days_ago))
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and (tmp_path / job.result["file"]).exists()
    return job


@pytest.mark.django_db(transaction=True)
def test_a_new_export_deletes_the_zips_past_their_retention_period_and_keeps_the_recent(
    coordinator_all, muni_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.NETWORK_EXPORT_KEEP_DAYS = 7
    populate(muni_a, 1)
    old = _finished_export(coordinator_all, tmp_path, days_ago=8)
    old_file = tmp_path / old.result["file"]
    recent = _finished_export(coordinator_all, tmp_path, days_ago=6)
    # A zip no job links to (its job deleted), older than the retention period, and one of today.
    orphan, fresh_orphan = (
        tmp_path / "exports/network_999_2022.zip",
        tmp_path / "exports/network_998_2022.zip",
    )
    orphan.write_bytes(b"old")
    fresh_orphan.write_bytes(b"new")
    ten_days_ago = (timezone.now() - timedelta(days=10)).timestamp()
    os.utime(orphan, (ten_days_ago, ten_days_ago))
    not_ours = tmp_path / "exports/notes.txt"
    not_ours.write_text("kept")
    os.utime(not_ours, (ten_days_ago, ten_days_ago))

    newest = _finished_export(coordinator_all, tmp_path, days_ago=0)  # prunes before writing

    assert not old_file.exists() and not orphan.exists()
    assert (tmp_path / recent.result["file"]).exists() and (tmp_path / newest.result["file"]).exists()
    assert fresh_orphan.exists() and not_ours.exists()
    old.refresh_from_db()
    assert old.result is None and "deleted after the 7-day retention period" in old.message
    client = _browser(coordinator_all)
    page = client.get(reverse("job", args=[old.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "retention period" in page and "network/export/" not in page  # no dead download link
    assert client.get(reverse("municipalities:network_export_download", args=[old.pk])).status_code == 404
    assert client.get(reverse("municipalities:network_export_download", args=[recent.pk])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_prune_exports_keeps_the_zip_of_a_running_export(coordinator_all, muni_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    populate(muni_a, 1)
    done = _finished_export(coordinator_all, tmp_path, days_ago=1)
    running = network_export_start(year=2024, actor=coordinator_all)
    Job.objects.filter(pk=running.pk).update(status=JobStatus.RUNNING)
    partial = tmp_path / f"exports/network_{running.pk}_2024.zip"  # written, not yet linked
    partial.write_bytes(b"being written")
    week_ago = (timezone.now() - timedelta(days=30)).timestamp()
    os.utime(partial, (week_ago, week_ago))

    out = io.StringIO()
    call_command("prune_exports", "--days", "2", stdout=out)
    assert "0 export file(s) deleted" in out.getvalue()
    call_command("prune_exports", "--days", "0", stdout=out)
    assert (
        f"exports/network_{done.pk}_2023.zip" in out.getvalue()
        and "1 export file(s) deleted" in out.getvalue()
    )
    assert partial.exists() and not (tmp_path / f"exports/network_{done.pk}_2023.zip").exists()
    with pytest.raises(CommandError, match="--days must be 0 or more"):
        call_command("prune_exports", "--days", "-1", stdout=out)


def test_prune_exports_with_no_exports_folder_deletes_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("prune_exports", stdout=out)
    assert "0 export file(s) deleted" in out.getvalue()

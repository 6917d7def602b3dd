"""The KOSIS Open API client and refresh against a local HTTP server serving hand-made replies
(tests/indicators/kosis_replies/README.md): rows, an ``err`` reply, a timeout, a revised value,
the stale flag appearing and clearing, and the command, API and page button."""

from __future__ import annotations

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from apps.core.jobs import job_run
from apps.core.models import Job, JobStatus
from apps.indicators.kosis import KosisError
from apps.indicators.models import KosisLink, Observation
from apps.indicators.services.kosis import kosis_link_save, kosis_refresh, kosis_stale
from apps.indicators.tasks import _kosis
from tests.factories import make_indicator

REPLIES = Path(__file__).parent / "kosis_replies"


class _Server:
    """Serves ``reply`` (bytes) to every GET, or holds the request until the test ends
    (``reply = None``: KOSIS not answering); records each request's query."""

    def __init__(self):
        self.reply: bytes | None = b"[]"
        self.queries: list[dict] = []
        self.release = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.queries.append(parse_qs(urlparse(self.path).query))
                if outer.reply is None:
                    outer.release.wait(30)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.end_headers()
                self.wfile.write(outer.reply)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def serve(self, name: str) -> None:
        self.reply = (REPLIES / name).read_bytes()

    def stop(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def kosis(settings):
    server = _Server()
    settings.KOSIS_BASE_URL = (
        f"http://127.0.0.1:{server.httpd.server_port}/openapi/Param/statisticsParameterData.do?method=getList"
    )
    settings.KOSIS_API_KEY = "test-key-not-real"
    settings.KOSIS_TIMEOUT_SECONDS = 0.5
    yield server
    server.stop()


@pytest.fixture
def linked(muni_a):
    indicator = make_indicator(muni_a, "ENV-PM25", {}, unit="㎍/㎥")
    kosis_link_save(
        indicator=indicator,
        actor=None,
        org_id="106",
        tbl_id="DT_106N_99_TEST",
        itm_id="T10",
        region_level=1,
        region_code="11260",
        start_year=2020,
    )
    return indicator


def values(indicator):
    return sorted(Observation.objects.filter(local_indicator=indicator).values_list("year", "value"))


def test_a_refresh_asks_for_the_linked_table_and_stores_values_with_their_source(kosis, linked, planner_a):
    kosis.serve("pm25_2021_2022.json")
    report = kosis_refresh(indicator=linked, actor=planner_a)
    assert (report.created, report.revisions, report.missing) == (2, [], [])
    query = kosis.queries[0]
    assert {
        k: query[k][0] for k in ("apiKey", "orgId", "tblId", "itmId", "objL1", "prdSe", "format", "jsonVD")
    } == {
        "apiKey": "test-key-not-real",
        "orgId": "106",
        "tblId": "DT_106N_99_TEST",
        "itmId": "T10",
        "objL1": "11260",
        "prdSe": "Y",
        "format": "json",
        "jsonVD": "Y",
    }
    assert values(linked) == [(2021, 20.5), (2022, 19.0)]
    obs = Observation.objects.get(local_indicator=linked, year=2021)
    # Provenance as fields (the written source stays empty: KOSIS is the source), cited as text.
    assert (obs.origin_kind, obs.kosis_org_id, obs.kosis_tbl_id, obs.kosis_itm_id) == (
        "kosis",
        "106",
        "DT_106N_99_TEST",
        "T10",
    )
    assert (obs.kosis_classification, obs.kosis_period, obs.kosis_last_change) == (
        "C1=11260",
        "2021",
        "20230410",
    )
    assert (obs.imported_by, obs.source, obs.origin_file) == (planner_a, "", "")
    assert obs.imported_at is not None
    assert obs.citation == "KOSIS 106 DT_106N_99_TEST T10 2021 (최종 수정 / last changed 20230410)"
    assert obs.history.first().history_user == planner_a
    link = KosisLink.objects.get(indicator=linked)
    assert (link.source_newest_period, link.source_last_change, link.refreshed_by) == (
        "2022",
        "20230410",
        planner_a,
    )


def test_a_revised_value_is_reported_and_the_stale_flag_appears_then_clears(kosis, linked):
    kosis.serve("pm25_2021_2022.json")
    kosis_refresh(indicator=linked, actor=None)
    link = KosisLink.objects.get(indicator=linked)
    assert not kosis_stale(link, list(linked.observations.all()))

    kosis.serve("pm25_revised_2023.json")
    check = kosis_refresh(indicator=linked, actor=None, dry_run=True)
    assert check.revisions == ["2022: 19 → 18.6 (KOSIS 20240315)"]
    assert values(linked) == [(2021, 20.5), (2022, 19.0)]  # a dry run saves no value…
    link.refresh_from_db()
    assert link.source_newest_period == "2023"  # …but knows what the source holds
    assert kosis_stale(link, list(linked.observations.all()))

    report = kosis_refresh(indicator=linked, actor=None)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert report.missing == [
        "PRD_DE 2024: 해당 자료 없음 / no data (KOSIS '-') — 값을 저장하지 않음 / no value stored"
    ]
    assert values(linked) == [(2021, 20.5), (2022, 18.6), (2023, 18.1)]  # 2024 '-' is not a zero
    link.refresh_from_db()
    assert not kosis_stale(link, list(linked.observations.all()))


def test_an_err_reply_is_a_clear_error_and_is_kept_on_the_link(kosis, linked):
    kosis.serve("err_bad_key.json")
    with pytest.raises(KosisError) as exc:
        kosis_refresh(indicator=linked, actor=None)
    assert exc.value.message.startswith("KOSIS 오류 11: 인증KEY의 기간이 만료되었습니다.")
    assert "KOSIS refused the request (error 11" in exc.value.message
    assert "test-key-not-real" not in exc.value.message
    assert KosisLink.objects.get(indicator=linked).last_error == exc.value.message
    assert not Observation.objects.exists()


def test_no_request_hangs_a_silent_kosis_times_out(kosis, linked):
    kosis.reply = None  # the server holds the request and never answers
    with pytest.raises(KosisError, match=r"did not answer within 0\.5 s"):
        kosis_refresh(indicator=linked, actor=None)


def test_replies_that_are_not_rows_and_a_missing_key(kosis, linked, settings):
    kosis.reply = b"<html>maintenance</html>"
    with pytest.raises(KosisError, match="not JSON"):
        kosis_refresh(indicator=linked, actor=None)
    kosis.reply = b'{"result": "odd"}'
    with pytest.raises(KosisError, match="not a list of rows"):
        kosis_refresh(indicator=linked, actor=None)
    settings.KOSIS_API_KEY = ""
    with pytest.raises(KosisError, match="KOSIS_API_KEY is not set"):
        kosis_refresh(indicator=linked, actor=None)


def test_command_api_and_page_button_refresh(kosis, linked, planner_a, planner_b):
    kosis.serve("pm25_2021_2022.json")
    out = io.StringIO()
    call_command("refresh_kosis", "--municipality", "11260", "--indicator", "ENV-PM25", stdout=out)
    assert "2 created" in out.getvalue()

    kosis.serve("pm25_revised_2023.json")
    api = APIClient(enforce_csrf_checks=True)
    api.force_authenticate(planner_b)
    assert api.post(f"/api/v1/local-indicators/{linked.pk}/kosis-refresh/").status_code == 404
    api.force_authenticate(planner_a)
    answer = api.post(f"/api/v1/local-indicators/{linked.pk}/kosis-refresh/?dry_run=true")
    assert answer.status_code == 200 and answer.json()["revisions"] == ["2022: 19 → 18.6 (KOSIS 20240315)"]

    page = Client(enforce_csrf_checks=True)
    page.force_login(planner_a)
    url = f"/m/11260/indicators/{linked.pk}/"
    html = page.get(url).content.decode()
    assert "KOSIS 106 / DT_106N_99_TEST / T10" in html and 'class="warning stale"' in html
    done = page.post(
        f"/m/11260/indicators/{linked.pk}/kosis-refresh/",
        {"csrfmiddlewaretoken": page.cookies["csrftoken"].value},
    )
    # The button starts a background job and shows its page; nothing is fetched in the request.
    job = Job.objects.get(kind="kosis_refresh")
    assert done.status_code == 302 and done["Location"] == f"/jobs/{job.pk}/"
    assert (job.status, job.params["indicator"], job.started_by) == (JobStatus.QUEUED, linked.pk, planner_a)
    assert 'class="warning stale"' in page.get(url).content.decode()
    # The worker's entry point, in this process (tests/core/test_jobs.py runs a real worker).
    assert job_run(job.pk, _kosis) == JobStatus.SUCCEEDED
    status = page.get(f"/jobs/{job.pk}/").content.decode()
    assert "2022: 19 → 18.6 (KOSIS 20240315)" in status  # what the source revised, on the job's page
    html = page.get(url).content.decode()
    assert 'class="warning stale"' not in html
    assert "KOSIS 106 DT_106N_99_TEST T10 2023" in html  # each value's source in the table


def test_the_api_refreshes_from_kosis_in_the_background_when_asked(kosis, linked, planner_a):
    kosis.serve("pm25_2021_2022.json")
    api = APIClient(enforce_csrf_checks=True)
    api.force_authenticate(planner_a)
    answer = api.post(f"/api/v1/local-indicators/{linked.pk}/kosis-refresh/?background=true")
    assert answer.status_code == 202 and not kosis.queries
    assert job_run(answer.json()["id"], _kosis) == JobStatus.SUCCEEDED
    job = api.get(answer.json()["url"]).json()
    assert (job["status"], job["result"]["created"], job["result"]["kind"]) == ("succeeded", 2, "kosis")
    assert values(linked) == [(2021, 20.5), (2022, 19.0)]


def test_the_api_links_an_indicator_to_kosis(muni_a, planner_a):
    indicator = make_indicator(muni_a, "X", {})
    api = APIClient(enforce_csrf_checks=True)
    api.force_authenticate(planner_a)
    answer = api.post(
        f"/api/v1/local-indicators/{indicator.pk}/kosis-link/",
        {"org_id": "101", "tbl_id": "DT_1B04005N", "itm_id": "T2", "region_code": "11260", "region_level": 1},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert KosisLink.objects.get(indicator=indicator).tbl_id == "DT_1B04005N"
    bad = api.post(f"/api/v1/local-indicators/{indicator.pk}/kosis-link/", {"region_level": 9}, format="json")
    assert bad.status_code == 400


def test_the_workbook_annex_cites_the_kosis_table_of_each_value(kosis, linked, muni_a):
    from openpyxl import load_workbook

    from apps.core.layout import ANNEX_SHEET
    from apps.vlr.exports.vlr_workbook import vlr_workbook_build

    kosis.serve("pm25_2021_2022.json")
    kosis_refresh(indicator=linked, actor=None)
    out = io.BytesIO()
    vlr_workbook_build(municipality=muni_a, year=2022).save(out)
    sheet = load_workbook(io.BytesIO(out.getvalue()), read_only=True)[ANNEX_SHEET]
    cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v]
    assert "KOSIS 106 DT_106N_99_TEST T10 2022 (최종 수정 / last changed 20230410)" in cells


def test_the_scheduled_refresh_is_a_task_a_worker_runs(kosis, linked):
    from django_tasks_db.models import DBTaskResult

    from apps.indicators.tasks import kosis_refresh_task

    out = io.StringIO()
    call_command("refresh_kosis", "--all", "--background", stdout=out)
    assert "queued" in out.getvalue()
    assert DBTaskResult.objects.get().task_path == "apps.indicators.tasks.kosis_refresh_task"
    assert not Observation.objects.exists()  # nothing runs in the command itself
    kosis.serve("pm25_2021_2022.json")
    assert kosis_refresh_task.call() == [
        "ENV-PM25: kosis: 2 rows — 2 created, 0 updated, 0 unchanged (저장됨 / saved)"
    ]
    assert values(linked) == [(2021, 20.5), (2022, 19.0)]

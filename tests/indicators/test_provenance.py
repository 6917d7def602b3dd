"""Provenance of each value as fields (README "Tables as cities and KOSIS keep them"): written by
the service that stores the value (annex import, table import, KOSIS, the page's form, the API),
read-only in the API, shown on the indicator page and cited in the annex."""

from __future__ import annotations

from django.test import Client

from apps.indicators.models import Observation
from apps.indicators.services import observation_update, observations_import
from tests.api.conftest import client_for
from tests.factories import make_indicator
from tests.indicators.test_services import annex_row, xlsx


def test_an_annex_import_records_the_file_sheet_and_cell_of_each_value_and_keeps_the_written_source(
    muni_a, planner_a
):
    make_indicator(muni_a, "L1", {})
    observations_import(
        file=xlsx([annex_row(year=2020), annex_row(year=2021, source="통계청")], title="부록"),
        municipality=muni_a,
        actor=planner_a,
    )
    rows = {o.year: o for o in Observation.objects.all()}
    assert [(o.origin_kind, o.origin_file, o.origin_sheet, o.origin_cell) for o in rows.values()] == [
        ("file", "upload", "부록", "K2"),
        ("file", "upload", "부록", "K3"),
    ]
    assert (rows[2020].citation, rows[2021].citation) == ("upload · 부록 · K2", "통계청")
    assert rows[2020].imported_by == planner_a and rows[2020].imported_at is not None


def test_the_api_stamps_its_values_api_and_exposes_provenance_read_only(muni_a, planner_a):
    indicator = make_indicator(muni_a, "L1", {})
    api = client_for(planner_a)
    made = api.post(
        "/api/v1/observations/",
        {
            "local_indicator": indicator.pk,
            "year": 2022,
            "value": 3.5,
            "origin_kind": "kosis",  # read-only: ignored
            "kosis_tbl_id": "DT_FAKE",
            "imported_by": "someone_else",
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["origin_kind"], body["kosis_tbl_id"], body["imported_by"]) == ("api", "", "planner_a")
    listed = api.get("/api/v1/observations/", {"local_indicator": indicator.pk}).json()["results"][0]
    assert (listed["origin_kind"], listed["imported_by"], listed["origin_cell"]) == ("api", "planner_a", "")
    assert listed["imported_at"] == body["imported_at"] and listed["imported_at"]


def test_a_changed_note_keeps_the_provenance_and_a_changed_value_is_then_typed_by_hand(muni_a, planner_a):
    indicator = make_indicator(muni_a, "L1", {})
    observations_import(file=xlsx([annex_row(year=2020)]), municipality=muni_a, actor=None)
    obs = Observation.objects.get(local_indicator=indicator)
    observation_update(observation=obs, fields={"note": "잠정"}, actor=planner_a, confirmed=True)
    obs.refresh_from_db()
    assert (obs.origin_kind, obs.origin_cell, obs.imported_by) == ("file", "K2", None)
    observation_update(observation=obs, fields={"value": 1.7}, actor=planner_a, confirmed=True)
    obs.refresh_from_db()
    assert (obs.origin_kind, obs.origin_file, obs.origin_cell, obs.imported_by) == (
        "manual",
        "",
        "",
        planner_a,
    )


def test_the_indicator_page_shows_where_each_value_came_from_and_who_stored_it_only_to_editors(
    muni_a, planner_a, planner_b
):
    indicator = make_indicator(muni_a, "L1", {}, is_public=True)
    observations_import(file=xlsx([annex_row(year=2020)], title="부록"), municipality=muni_a, actor=planner_a)
    url = f"/m/11260/indicators/{indicator.pk}/"
    editor = Client(HTTP_ACCEPT_LANGUAGE="en")
    editor.force_login(planner_a)
    html = editor.get(url).content.decode()
    assert "upload · 부록 · K2" in html
    assert '<small class="provenance">File · planner_a · ' in html
    public = Client(HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()
    assert "upload · 부록 · K2" in public and "planner_a" not in public

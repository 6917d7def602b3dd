"""The report data: plain JSON, fixed queries, tenancy, and the snapshot of an approved edition."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.exceptions import PermissionDeniedError
from apps.indicators.models import Observation
from apps.indicators.selectors import indicator_progress, local_indicators_for
from apps.vlr.choices import EditionStatus
from apps.vlr.selectors.report import (
    SCHEMA_VERSION,
    export_data,
    municipality_report_data,
)
from apps.vlr.services import edition_transition
from tests.factories import make_edition, make_indicator, populate


def _approve(edition, planner, coordinator):
    edition_transition(edition=edition, action="submit", actor=planner)
    return edition_transition(edition=edition, action="approve", actor=coordinator)


def test_report_data_is_plain_json(muni_a):
    populate(muni_a, 3)
    data = municipality_report_data(municipality=muni_a, year=2023)
    # allow_nan=False: NaN/inf would not be valid JSON (PostgreSQL jsonb refuses them)
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert data["schema"] == SCHEMA_VERSION
    assert [g["number"] for g in data["goals"]] == list(range(1, 18))
    assert len(data["indicators"]) == 3 and len(data["initiatives"]) == 3 and len(data["evidence"]) == 3
    assert data["edition"]["focus_goals"] == [11]


def test_every_status_in_the_data_is_the_engines(muni_a):
    populate(muni_a, 4)
    data = municipality_report_data(municipality=muni_a, year=2023)
    live = {
        p.indicator.code: p for p in indicator_progress(local_indicators_for(municipality=muni_a), as_of=2023)
    }
    for ind in data["indicators"]:
        item = live[ind["code"]]
        assert ind["status"]["status"] == item.status
        assert ind["status"]["score"] == pytest.approx(item.aggregate.score)
        for series, expected in zip(ind["series"], item.series):
            assert series["progress"]["status"] == expected.progress.status
            assert series["progress"]["R"] == expected.progress.R
            assert series["points"] == [list(p) for p in expected.points]


def test_only_confirmed_evidence_is_reported(muni_a):
    from tests.factories import make_evidence

    ind = make_indicator(muni_a, "X", {2015: 1.0})
    make_evidence(muni_a, local_indicator=ind, url="https://example.org/a", title="confirmed")
    make_evidence(
        muni_a, local_indicator=ind, url="https://example.org/b", title="suggested", status="suggested"
    )
    data = municipality_report_data(municipality=muni_a, year=2023)
    assert [e["document"]["title"] for e in data["evidence"]] == ["confirmed"]


@pytest.mark.parametrize("n", [2, 20])
def test_queries_do_not_depend_on_the_number_of_indicators(n, muni_a, django_assert_num_queries):
    populate(muni_a, n)
    # edition, its focus goals, its sections; targets with goals; indicators; alignments; their
    # framework nodes (none: no crosswalk hop); observations; initiatives, their targets, groups,
    # indicators, updates, framework nodes (none: no hop); evidence links (a union of index
    # lookups); the Art. 14 review register of the period (with its targets) and its forums
    with django_assert_num_queries(17):
        data = municipality_report_data(municipality=muni_a, year=2023)
    assert len(data["indicators"]) == n


def test_outsiders_get_only_published_rows(muni_a, planner_b, anon):
    populate(muni_a, 4)  # indicators 0 and 2 are public; nothing else is
    for user in (planner_b, anon):
        data = municipality_report_data(municipality=muni_a, year=2023, user=user)
        assert [i["code"] for i in data["indicators"]] == ["L000", "L002"]
        assert data["initiatives"] == [] and data["evidence"] == [] and data["edition"] is None


def test_an_approved_edition_is_exported_from_its_snapshot(muni_a, planner_a, coordinator):
    [ind, *_], edition = populate(muni_a, 2)
    edition = _approve(edition, planner_a, coordinator)
    assert edition.status == EditionStatus.APPROVED and edition.snapshot["schema"] == SCHEMA_VERSION
    frozen_value = Observation.objects.get(local_indicator=ind, year=2023, sex="").value
    Observation.objects.filter(local_indicator=ind, year=2023, sex="").update(value=999.0)

    data = export_data(municipality=muni_a, year=2023)
    assert data["frozen"] is True
    obs = next(o for o in data["indicators"][0]["observations"] if o["year"] == 2023 and not o["sex"])
    assert obs["value"] == frozen_value
    assert data["edition"]["status"] == EditionStatus.APPROVED

    live = export_data(municipality=muni_a, year=2022)  # no edition that year: live data
    assert live["frozen"] is False


def test_a_published_snapshot_shows_outsiders_everything_that_was_approved(
    muni_a, planner_a, coordinator, anon
):
    _inds, edition = populate(muni_a, 4)
    edition = _approve(edition, planner_a, coordinator)
    edition_transition(edition=edition, action="publish", actor=coordinator)
    data = export_data(municipality=muni_a, year=2023, user=anon)
    insider = export_data(municipality=muni_a, year=2023, user=coordinator)
    assert data["frozen"] is True
    # Private (L001, L003) and public indicators alike: what was approved is what is published.
    assert [i["code"] for i in data["indicators"]] == ["L000", "L001", "L002", "L003"]
    assert data["indicators"] == insider["indicators"] and data["initiatives"] == insider["initiatives"]
    assert data["goal_summaries"] == insider["goal_summaries"]


def test_an_edition_of_another_municipality_or_unpublished_is_refused(muni_a, muni_b, planner_b):
    edition = make_edition(muni_a)
    with pytest.raises(PermissionDeniedError):
        export_data(municipality=muni_b, edition=edition)
    with pytest.raises(PermissionDeniedError):
        export_data(municipality=muni_a, edition=edition, user=planner_b)


def test_section_facts_list_an_indicator_without_a_numeric_target_once(muni_a):
    """The next steps' "without a numeric target": a target note ("지속 확대", demo L-4.7) is a
    direction, not a target; a binary indicator's target is "achieved"."""
    from apps.vlr.selectors import section_facts

    make_indicator(muni_a, "L-4.7", {2020: 900.0, 2023: 1200.0}, targets=("4.7",), target_note="지속 확대")
    make_indicator(muni_a, "L-BIN", {2023: 1.0}, is_binary=True)
    make_indicator(muni_a, "L-NUM", {2023: 3.0}, target_year=2030, target_value=5.0)
    facts = section_facts(municipality_report_data(municipality=muni_a, year=2023))
    assert [ind["code"] for ind in facts["next_steps"]["no_target"]] == ["L-4.7"]


@pytest.mark.parametrize("year", [2019, 2023, 2031])
def test_page_data_without_the_annex_is_the_report_data_less_the_values(year, muni_a, planner_a):
    """The edition page's data (``annex=False``): progress from the store where it equals the
    computation as of the year (2023: values up to 2023, targets 2030; 2019: values after the
    year; 2031: every target year passed), the values counted instead of listed; the rest equal."""
    populate(muni_a, 3)
    make_indicator(muni_a, "L-PAST", {2015: 30.0, 2019: 25.0}, target_year=2020, target_value=10.0)
    for user in (None, planner_a):
        full = municipality_report_data(municipality=muni_a, year=year, user=user)
        page = municipality_report_data(municipality=muni_a, year=year, user=user, annex=False)
        assert page.pop("observation_count") == sum(
            len(ind.pop("observations")) for ind in full["indicators"]
        )
        page["generated_at"] = full["generated_at"]
        assert page == full


def test_page_data_of_the_present_reads_no_value(muni_a):
    populate(muni_a, 3)
    with CaptureQueriesContext(connection) as captured:
        municipality_report_data(municipality=muni_a, year=2023, annex=False)
    reads = [q["sql"] for q in captured.captured_queries if 'FROM "indicators_observation"' in q["sql"]]
    assert len(reads) == 1 and reads[0].startswith("SELECT COUNT(*)")

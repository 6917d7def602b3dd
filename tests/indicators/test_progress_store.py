"""The stored progress (ProgressRecord and its series) always equals a fresh computation from the
observations, after every kind of write the services offer, and the pages read it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from apps.core.exceptions import ApplicationError
from apps.indicators.models import LocalIndicator, Observation, ProgressRecord, SeriesProgressRecord
from apps.indicators.progress import Status
from apps.indicators.selectors import (
    NOT_COMPUTED,
    indicator_progress,
    local_indicators_for,
    stored_goal_summaries,
    stored_indicator_progress,
)
from apps.indicators.services import (
    indicator_create,
    indicator_update,
    indicators_import,
    observation_create,
    observation_delete,
    observation_restore,
    observation_update,
    observations_import,
    progress_refresh,
)
from apps.indicators.services.imports import SpreadsheetImportError
from apps.portal.demo import demo_seed
from apps.portal.scale import scale_data_generate
from apps.sdg.models import Target
from tests.factories import make_indicator

pytestmark = pytest.mark.django_db


def assert_stored_is_fresh(indicators) -> None:
    indicators = list(indicators)
    assert stored_indicator_progress(indicators) == indicator_progress(indicators)


def csv(name: str, lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join(lines).encode(), content_type="text/csv")


years = st.integers(2010, 2026)
values = st.floats(-50, 500, allow_nan=False, allow_infinity=False) | st.sampled_from([0.0, 1.0, 100.0])
sexes = st.sampled_from(["", "", "female", "male"])
operations = st.one_of(
    st.tuples(st.just("add"), years, sexes, values),
    st.tuples(st.just("change"), st.integers(0, 50), values),
    st.tuples(st.just("move"), st.integers(0, 50)),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("restore"), st.integers(0, 50)),
    st.tuples(
        st.just("indicator"),
        st.sampled_from([1, -1]),
        st.none() | st.tuples(st.integers(2010, 2020), values),
        st.none() | st.tuples(st.none() | st.integers(2025, 2035), values),
        st.booleans(),
    ),
    st.tuples(st.just("import"), st.lists(st.tuples(years, sexes, values), min_size=1, max_size=6)),
    st.tuples(st.just("import_targets"), st.none() | values),
)


def _apply(op, ind: LocalIndicator, other: LocalIndicator, actor, muni) -> None:
    kind = op[0]
    existing = list(Observation.objects.filter(local_indicator__in=[ind, other]).order_by("pk"))
    try:
        if kind == "add":
            _, year, sex, value = op
            observation_create(
                indicator=ind, fields={"year": year, "sex": sex, "value": value}, actor=actor, confirmed=True
            )
        elif kind == "change" and existing:
            obs = existing[op[1] % len(existing)]
            observation_update(observation=obs, fields={"value": op[2]}, actor=actor, confirmed=True)
        elif kind == "move" and existing:
            obs = existing[op[1] % len(existing)]
            target = other if obs.local_indicator_id == ind.pk else ind
            observation_update(observation=obs, fields={}, indicator=target, actor=actor, confirmed=True)
        elif kind == "delete" and existing:
            observation_delete(observation=existing[op[1] % len(existing)], actor=actor)
        elif kind == "restore":
            records = list(Observation.history.filter(local_indicator_id=ind.pk).order_by("history_id"))
            if records:
                record = records[op[1] % len(records)]
                observation_restore(indicator=ind, history_id=record.history_id, actor=actor)
        elif kind == "indicator":
            _, direction, baseline, target, binary = op
            fields = {"direction": direction, "is_binary": binary}
            fields["baseline_year"], fields["baseline_value"] = baseline or (None, None)
            if target is None:
                fields["target_year"], fields["target_value"] = None, None
            else:
                fields["target_year"], fields["target_value"] = target
            indicator_update(indicator=ind, fields=fields, actor=actor)
        elif kind == "import":
            lines = ["indicator_code,year,sex,value"] + [f"{ind.code},{y},{s},{v!r}" for y, s, v in op[1]]
            observations_import(file=csv("annex.csv", lines), municipality=muni, actor=actor)
        elif kind == "import_targets":
            value = "" if op[1] is None else repr(op[1])
            year = "" if op[1] is None else "2030"
            lines = ["indicator_code,target_year,target_value", f"{ind.code},{year},{value}"]
            indicators_import(file=csv("meta.csv", lines), municipality=muni, actor=actor)
    except (ValidationError, ApplicationError, SpreadsheetImportError):
        pass  # refused writes (a duplicate value, a target year before the baseline…) change nothing
    ind.refresh_from_db()


_examples = iter(range(10_000))


# About 8 s: 30 random sequences of up to 8 writes, each checked against a fresh computation;
# the sequences are what finds a write path that forgets the store.
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operations, min_size=1, max_size=8))
# Found by hypothesis: a base of 5e-324 made both growth rates infinite and their ratio NaN,
# which the store kept as no ratio (NaN equals nothing, not even itself).
@example(ops=[("indicator", 1, (2010, 5e-324), (2030, 100.0), False), ("add", 2020, "", 50.0)])
def test_the_stored_progress_equals_a_fresh_computation_after_every_kind_of_write(muni_a, planner_a, ops):
    n = next(_examples)
    target = {"target": Target.objects.get(code="11.6")}
    ind, other = (
        indicator_create(
            municipality=muni_a,
            fields={"code": f"H{n}-{suffix}", "name_ko": "지표", "unit": "%"},
            alignments=[target],
            actor=planner_a,
        )
        for suffix in "ab"
    )
    assert_stored_is_fresh([ind, other])
    for op in ops:
        _apply(op, ind, other, planner_a, muni_a)
        assert_stored_is_fresh([ind, other])


@pytest.mark.parametrize("sql_bulk_update", [True, False])
def test_an_import_that_updates_values_refreshes_the_store_on_both_bulk_update_paths(
    muni_a, planner_a, settings, sql_bulk_update
):
    settings.IMPORT_SQL_BULK_UPDATE = sql_bulk_update
    ind = make_indicator(muni_a, "U1", {2015: 10.0, 2020: 12.0}, target_year=2030, target_value=20.0)
    before = ind.progress_record.status
    observations_import(
        file=csv("annex.csv", ["indicator_code,year,value", "U1,2020,5", "U1,2021,4"]), municipality=muni_a
    )
    assert_stored_is_fresh([ind])
    assert ProgressRecord.objects.get(pk=ind.pk).status == Status.DETERIORATION != before


def test_a_dry_run_leaves_the_store_as_it_was(muni_a):
    ind = make_indicator(muni_a, "D1", {2015: 10.0, 2020: 12.0})
    stored = list(SeriesProgressRecord.objects.filter(record_id=ind.pk).values())
    observations_import(
        file=csv("annex.csv", ["indicator_code,year,value", "D1,2021,1"]), municipality=muni_a, dry_run=True
    )
    assert list(SeriesProgressRecord.objects.filter(record_id=ind.pk).values()) == stored


def test_the_demo_and_scale_data_are_stored_as_computed(muni_a):
    demo_seed()
    scale_data_generate(
        municipalities=2, indicators=15, years=6, series=4, initiatives=2, documents=1, evidence=1, seed=7
    )
    indicators = LocalIndicator.objects.order_by("pk")
    assert ProgressRecord.objects.count() == indicators.count() > 50
    assert_stored_is_fresh(indicators)


def test_rebuild_progress_fills_what_was_written_around_the_services(muni_a, muni_b):
    a = make_indicator(muni_a, "R1", {2015: 1.0, 2020: 2.0})
    b = make_indicator(muni_b, "R2", {2015: 1.0, 2020: 2.0})
    Observation.objects.create(local_indicator=a, year=2022, value=0.5)  # around the services
    ProgressRecord.objects.filter(pk=b.pk).delete()
    [shown] = stored_indicator_progress([b])
    assert shown.status == Status.INSUFFICIENT_DATA and shown.series[0].progress.note == NOT_COMPUTED
    out = StringIO()
    call_command("rebuild_progress", "--municipality", muni_a.code, stdout=out)
    assert "1 local indicators" in out.getvalue()
    assert_stored_is_fresh([a])
    assert not ProgressRecord.objects.filter(pk=b.pk).exists()
    call_command("rebuild_progress", stdout=StringIO())
    assert_stored_is_fresh([a, b])
    with pytest.raises(CommandError, match="unknown municipality code: NOPE"):
        call_command("rebuild_progress", "--municipality", "NOPE", stdout=StringIO())


def test_goal_summaries_counted_in_the_database_match_the_engine(muni_a, muni_b):
    from apps.indicators.selectors import goal_summaries

    make_indicator(muni_a, "G1", {2015: 10.0, 2020: 20.0}, targets=("11.6", "11.2"), target_value=20.0)
    make_indicator(muni_a, "G2", {2015: 10.0, 2020: 5.0}, targets=("11.6", "3.9"), target_value=20.0)
    make_indicator(muni_a, "G3", {2020: 5.0}, targets=("3.9",))
    make_indicator(muni_b, "G4", {2015: 10.0, 2020: 20.0}, targets=("11.6",))
    indicators = local_indicators_for(municipality=muni_a)
    counted = stored_goal_summaries(indicators)
    computed = goal_summaries(indicator_progress(indicators))
    assert {g: s for (m, g), s in counted.items()} == {g: s for g, s in computed.items() if s.total}
    assert {m for m, _ in counted} == {muni_a.pk}


# Progress as of a report's year (a VLR edition page) from the store where it is the same.
_as_of_examples = iter(range(10**6))


# About 3 s: indicators of random values, baseline and target (or none, or binary), each read
# as of a random year: the edges are a target year passed with or without a value after it, a
# baseline or values after the report's year, a series with no value at all.
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    total=st.dictionaries(years, values, max_size=6),
    female=st.dictionaries(years, values, max_size=4),
    baseline=st.none() | st.tuples(years, values),
    target=st.none() | st.tuples(st.none() | st.integers(2012, 2032), values),
    binary=st.booleans(),
    report_year=st.integers(2008, 2034),
)
# The target year passed by the report's year with no value after it, in both series or in one.
@example(
    total={2015: 30.0, 2019: 20.0},
    female={},
    baseline=None,
    target=(2020, 10.0),
    binary=False,
    report_year=2024,
)
@example(
    total={2015: 30.0, 2022: 20.0},
    female={2015: 40.0, 2019: 35.0},
    baseline=None,
    target=(2020, 10.0),
    binary=False,
    report_year=2024,
)
def test_progress_as_of_a_year_read_from_the_store_equals_the_computation(
    muni_a, total, female, baseline, target, binary, report_year
):
    from apps.indicators.selectors import progress_as_of

    fields = {"direction": -1, "is_binary": binary}
    if binary:
        total = {year: float(value > 50) for year, value in total.items()}
    if baseline:
        fields.update(baseline_year=baseline[0], baseline_value=baseline[1])
    if target:
        target_year = target[0]
        if baseline and target_year is not None and target_year <= baseline[0]:
            target_year = baseline[0] + 1  # the model's constraint: a target after its baseline
        fields.update(target_year=target_year, target_value=target[1])
    ind = make_indicator(
        muni_a,
        f"A{next(_as_of_examples)}",
        total,
        series={("sex", "female"): female} if female else None,
        **fields,
    )
    assert progress_as_of([ind], report_year) == indicator_progress([ind], as_of=report_year)


def test_progress_as_of_the_present_reads_no_observation(muni_a, django_assert_num_queries):
    """A report of a year no value is after, whose target year is still ahead, is the stored
    progress: one query (the stored series), none on the observations."""
    from apps.indicators.selectors import progress_as_of

    ind = make_indicator(muni_a, "P-1", {2015: 30.0, 2020: 25.0}, target_year=2030, target_value=10.0)
    with django_assert_num_queries(1) as captured:
        progress_as_of([ind], 2024)
    assert "indicators_observation" not in captured.captured_queries[0]["sql"]
    with django_assert_num_queries(2):  # the stored series, then the observations of 2019's report
        progress_as_of([ind], 2019)


def test_the_sql_store_of_the_series_writes_what_bulk_create_writes(muni_a, settings):
    """The progress store's one-statement insert of the series rows (points as JSON, numbers
    and notes, None where a series has no number) against the ORM's bulk_create, same input."""
    indicators = [
        make_indicator(muni_a, "S1", {2015: 10.0, 2020: 12.5}, target_year=2030, target_value=20.0),
        make_indicator(
            muni_a,
            "S2",
            {2016: 0.0, 2019: -3.0},
            series={("sex", "female"): {2015: 5.0, 2024: 7.25}, ("district", "동1"): {2021: 1.0}},
            direction=-1,
        ),
        make_indicator(muni_a, "S3", {2020: 1.0}, is_binary=True),
        make_indicator(muni_a, "S4", {}),
    ]
    ids = [ind.pk for ind in indicators]
    stored = []
    for fast in (True, False):
        settings.IMPORT_SQL_BULK_UPDATE = fast
        SeriesProgressRecord.objects.filter(record_id__in=ids).delete()
        assert progress_refresh(indicator_ids=ids) == 4
        stored.append(
            list(
                SeriesProgressRecord.objects.filter(record_id__in=ids)
                .order_by("record_id", "position")
                .values()
            )
        )
    fast_rows, orm_rows = ([{k: v for k, v in row.items() if k != "id"} for row in rows] for rows in stored)
    assert fast_rows == orm_rows and len(fast_rows) == 6
    [female] = [row for row in fast_rows if row["sex"] == "female"]
    assert female["points"] == [[2015, 5.0], [2024, 7.25]] and any(row["note"] for row in fast_rows)
    assert {row["ratio"] is None for row in fast_rows} == {True, False}
    assert_stored_is_fresh(indicators)

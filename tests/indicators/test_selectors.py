"""Progress selectors: the engine fed from the database, in a fixed number of queries."""

from __future__ import annotations

import pytest

from apps.indicators.models import Observation
from apps.indicators.progress import Status, compute_progress
from apps.indicators.selectors import (
    TOTAL_KEY,
    goal_summaries,
    indicator_progress,
    local_indicators_for,
    municipality_progress,
    series_label,
    target_summaries,
)
from tests.factories import make_indicator

A_VALUES = dict(zip(range(2015, 2023), [10.0, 10.4, 11.1, 11.6, 12.3, 12.9, 13.4, 14.2]))


@pytest.fixture
def renewable(muni_a):
    """Test vector A of vlr_structure.md as a local indicator with female/male series."""
    return make_indicator(
        muni_a,
        "A-RENEW",
        A_VALUES,
        targets=("7.2",),
        target_year=2030,
        target_value=30.0,
        series={("sex", "female"): {2015: 10.0, 2022: 16.0}, ("sex", "male"): {2015: 10.0, 2022: 10.5}},
    )


def test_status_of_each_series_is_the_engines(renewable):
    [item] = indicator_progress(local_indicators_for(municipality=renewable.municipality))
    assert item.series[0].key == TOTAL_KEY
    total = item.series[0].progress
    assert total == compute_progress(list(A_VALUES.items()), 1, (2030, 30.0))
    assert round(total.R, 3) == 0.676 and total.status is Status.ACCELERATION_NEEDED
    female = next(s for s in item.series if s.disaggregation == {"sex": "female"})
    assert female.progress == compute_progress([(2015, 10.0), (2022, 16.0)], 1, (2030, 30.0))
    assert female.label_ko == "성별: 여성" and female.label_en == "sex: female"


def test_indicator_status_is_the_mean_score_of_its_series_and_the_worst_group_is_named(renewable):
    [item] = indicator_progress([renewable])
    scores = [s.progress.score for s in item.series]
    assert item.aggregate.score == pytest.approx(sum(scores) / 3)
    assert item.worst.disaggregation == {"sex": "male"}
    assert item.status == item.aggregate.status


def test_progress_ignores_values_after_the_reporting_year(renewable):
    [item] = indicator_progress([renewable], as_of=2019)
    assert item.series[0].progress.t == 2019
    assert item.series[0].progress == compute_progress(list(A_VALUES.items()), 1, (2030, 30.0), as_of=2019)


def test_baseline_from_metadata_is_used_when_the_base_year_has_no_observation(muni_a):
    ind = make_indicator(muni_a, "B", {2018: 12.0, 2020: 14.0}, baseline_year=2015, baseline_value=10.0)
    [item] = indicator_progress([ind])
    progress = item.series[0].progress
    assert (progress.t0, progress.x0) == (2015, 10.0)
    assert "baseline 2015 from indicator metadata" in progress.note


def test_quarterly_values_do_not_enter_the_yearly_assessment(muni_a):
    ind = make_indicator(muni_a, "Q", {2015: 1.0, 2020: 2.0})
    Observation.objects.create(local_indicator=ind, year=2021, quarter=1, value=50.0)
    Observation.objects.create(local_indicator=ind, year=2021, quarter=1, sex="female", value=5.0)
    [item] = indicator_progress([ind])
    assert item.series[0].progress.xt == 2.0
    female = next(s for s in item.series if s.disaggregation)
    assert female.progress.status is Status.INSUFFICIENT_DATA
    assert "quarterly values only" in female.progress.note


def test_an_indicator_without_observations_shows_insufficient_data(muni_a):
    ind = make_indicator(muni_a, "EMPTY", {})
    [item] = indicator_progress([ind])
    assert item.status is Status.INSUFFICIENT_DATA and len(item.series) == 1


def _queries_for(n, muni, django_assert_num_queries):
    for i in range(n):
        make_indicator(
            muni,
            f"N{i:02d}",
            {2015: 1.0 + i, 2020: 2.0 + i},
            targets=("11.6", "3.9"),
            series={("sex", "female"): {2015: 1.0, 2020: 3.0}},
        )
    # Queries: indicators, their alignments (+ target, goal, global indicator), observations,
    # their framework nodes (none here, so no crosswalk query follows).
    with django_assert_num_queries(4):
        result = municipality_progress(municipality=muni)
    assert len(result.indicators) == n
    return result


@pytest.mark.parametrize("n", [2, 20])
def test_query_count_does_not_depend_on_the_number_of_indicators(n, muni_a, django_assert_num_queries):
    result = _queries_for(n, muni_a, django_assert_num_queries)
    assert result.goals[11].total == n


def test_goal_summary_counts_an_indicator_once_per_goal(muni_a):
    make_indicator(
        muni_a, "TWO", {2015: 10.0, 2022: 30.0}, targets=("11.6", "11.1"), target_year=2030, target_value=20.0
    )
    make_indicator(
        muni_a, "DOWN", {2015: 10.0, 2022: 5.0}, targets=("11.6",), target_year=2030, target_value=20.0
    )
    progresses = indicator_progress(local_indicators_for(municipality=muni_a))
    goals = goal_summaries(progresses)
    assert set(goals) == set(range(1, 18))
    assert goals[11].total == 2
    assert goals[11].counts[Status.ACHIEVED] == 1 and goals[11].counts[Status.DETERIORATION] == 1
    assert goals[11].share_on_track_or_achieved == 0.5
    assert goals[1].total == 0 and goals[1].share_on_track_or_achieved is None
    targets = target_summaries(progresses)
    assert list(targets) == ["11.1", "11.6"]
    assert targets["11.6"].total == 2 and targets["11.1"].total == 1


def test_other_municipalities_see_only_public_indicators(muni_a, planner_a, planner_b, anon):
    make_indicator(muni_a, "PUB", {2015: 1.0}, is_public=True)
    make_indicator(muni_a, "PRIV", {2015: 1.0})

    def codes(user):
        return sorted(i.code for i in local_indicators_for(municipality=muni_a, user=user))

    assert codes(planner_a) == ["PRIV", "PUB"]
    assert codes(planner_b) == ["PUB"]
    assert codes(anon) == ["PUB"]


def test_series_label_of_choices_and_free_text():
    assert series_label(TOTAL_KEY) == ("전체", "Total")
    assert series_label(("", "65+", "", "", "with")) == (
        "연령: 65+, 장애: 장애인",
        "age: 65+, disability: persons with disabilities",
    )


def test_goal_summaries_fetch_missing_alignments_in_one_query(muni_a, django_assert_num_queries):
    from apps.indicators.models import LocalIndicator

    for i in range(5):
        make_indicator(muni_a, f"P{i}", {2015: 1.0, 2020: 2.0})
    progresses = indicator_progress(LocalIndicator.objects.filter(municipality=muni_a))  # no prefetch
    # alignments with their targets, goals, global indicators; framework nodes (none: no crosswalk)
    with django_assert_num_queries(2):
        assert goal_summaries(progresses)[11].total == 5

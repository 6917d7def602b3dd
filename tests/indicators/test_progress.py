"""Tests for the pure progress engine (docs/vlr_structure.md §2). No database, no Django."""

from __future__ import annotations

import dataclasses

import pytest

from apps.indicators.progress import (
    ESCAP_LABELS,
    STATUS_LABELS,
    EscapStatus,
    Method,
    Progress,
    Status,
    aggregate,
    cagr,
    compute_progress,
    score_from_growth,
    score_from_ratio,
    status_from_score,
    summarise,
    wls_line,
)

YEARS = range(2015, 2023)
A_POINTS = list(zip(YEARS, [10.0, 10.4, 11.1, 11.6, 12.3, 12.9, 13.4, 14.2]))
B_POINTS = list(zip(YEARS, [9.1, 8.9, 9.0, 9.3, 9.2, 9.5, 9.6, 9.8]))


def r3(x: float | None) -> float:
    assert x is not None
    return round(x, 3)


# --------------------------------------------------------------------------- test vectors


def test_vector_a_renewable_share_acceleration_needed() -> None:
    pr = compute_progress(A_POINTS, +1, (2030, 30.0))
    assert (pr.t0, pr.x0, pr.t, pr.xt, pr.T, pr.xT) == (
        2015,
        10.0,
        2022,
        14.2,
        2030,
        30.0,
    )
    assert r3(pr.p) == 0.210
    assert r3(pr.progress_made) == 0.210 and pr.regression == 0.0
    assert r3(pr.e) == 0.467
    assert r3(pr.cagr_observed * 100) == 5.137  # type: ignore[operator]
    assert r3(pr.cagr_required * 100) == 7.599  # type: ignore[operator]
    assert r3(pr.R) == 0.676
    assert pr.method is Method.RATIO and pr.g is None
    assert pr.status is Status.ACCELERATION_NEEDED
    assert r3(pr.score) == 0.543  # 7.1429·0.676 − 4.2857
    assert r3(pr.wls_slope) == 0.613
    assert pr.projected == pytest.approx(19.03, abs=0.005) and r3(pr.projected) == 19.027
    assert r3(pr.G) == 0.549
    assert pr.escap_status is EscapStatus.ACCELERATE
    assert pr.note == ""


def test_vector_b_road_deaths_deterioration() -> None:
    pr = compute_progress(B_POINTS, -1, (2030, 4.55))
    assert r3(pr.p) == -0.154
    assert pr.progress_made == 0.0 and r3(pr.regression) == -0.154
    assert r3(pr.e) == 0.467
    assert r3(pr.cagr_observed * 100) == 1.064  # type: ignore[operator]
    assert r3(pr.cagr_required * 100) == -4.516  # type: ignore[operator]
    assert r3(pr.R) == -0.236
    assert pr.status is Status.DETERIORATION
    assert r3(pr.score) == -3.482
    assert r3(pr.wls_slope) == 0.137
    assert pr.projected == pytest.approx(10.85, abs=0.005) and r3(pr.projected) == 10.848
    assert r3(pr.G) == 1.384
    assert pr.escap_status is EscapStatus.REVERSE


def test_vector_c_no_target_library_visits() -> None:
    pr = compute_progress([(2015, 5.0), (2020, 5.2)], +1)
    assert pr.method is Method.GROWTH and pr.R is None and pr.cagr_required is None
    assert r3(pr.g * 100) == 0.787  # type: ignore[operator]  # doc: +0.79 %
    assert pr.status is Status.ACCELERATION_NEEDED
    assert pr.p is None and pr.e is None and pr.G is None and pr.escap_status is None


def test_vector_c_no_target_pm25_lower_is_better() -> None:
    pr = compute_progress([(2015, 25.0), (2020, 21.0)], -1)
    assert r3(pr.cagr_observed * 100) == -3.427  # type: ignore[operator]
    assert r3(pr.g * 100) == 3.427  # type: ignore[operator]  # doc: +3.43 %
    assert pr.status is Status.ON_TRACK
    assert pr.score == 5.0


# --------------------------------------------------------------------------- formulas


def test_cagr_and_wls_helpers() -> None:
    assert cagr(100, 121, 2) == pytest.approx(0.10)
    with pytest.raises(ValueError):
        cagr(0, 1, 1)
    a, b = wls_line([(2000, 1.0), (2001, 3.0)])
    assert b == pytest.approx(2.0) and a + b * 2002 == pytest.approx(5.0)


def test_score_mapping_breakpoints() -> None:
    assert score_from_ratio(-0.60) == pytest.approx(-5) and score_from_ratio(-2) == -5
    assert score_from_ratio(0) == pytest.approx(-2.5)
    assert score_from_ratio(0.60) == pytest.approx(0)
    assert score_from_ratio(0.95) == pytest.approx(2.5)
    assert score_from_ratio(1.30) == pytest.approx(5) and score_from_ratio(3) == 5
    assert score_from_growth(-0.02) == pytest.approx(-5) and score_from_growth(-1) == -5
    assert score_from_growth(0) == pytest.approx(-2.5)
    assert score_from_growth(0.005) == pytest.approx(0)
    assert score_from_growth(0.015) == pytest.approx(2.5)
    assert score_from_growth(0.02) == pytest.approx(5) and score_from_growth(1) == 5
    assert status_from_score(2.5) is Status.ON_TRACK
    assert status_from_score(0) is Status.ACCELERATION_NEEDED
    assert status_from_score(-2.5) is Status.LIMITED_PROGRESS
    assert status_from_score(-2.51) is Status.DETERIORATION


@pytest.mark.parametrize(
    ("xt", "expected"),
    [
        (145.0, Status.ON_TRACK),
        (130.0, Status.ACCELERATION_NEEDED),
        (110.0, Status.LIMITED_PROGRESS),
        (99.0, Status.DETERIORATION),
    ],
)
def test_ratio_thresholds(xt: float, expected: Status) -> None:
    # 100 (2015) → 200 (2025) needs 7.18 %/yr; R = 0.95 at xt ≈ 139, R = 0.60 at xt ≈ 123.5
    pr = compute_progress([(2015, 100.0), (2020, xt)], +1, (2025, 200.0))
    assert pr.status is expected


def test_points_unsorted_and_none_skipped() -> None:
    shuffled = [A_POINTS[i] for i in (3, 7, 0, 5, 1, 6, 2, 4)] + [(2023, None)]
    assert compute_progress(shuffled, 1, (2030, 30.0)) == compute_progress(A_POINTS, 1, (2030, 30.0))


def test_duplicate_year_and_bad_direction_rejected() -> None:
    with pytest.raises(ValueError):
        compute_progress([(2015, 1.0), (2015, 2.0)], 1)
    with pytest.raises(ValueError):
        compute_progress([(2015, 1.0), (2016, 2.0)], 0)


def test_progress_is_frozen() -> None:
    pr = compute_progress(A_POINTS, 1, (2030, 30.0))
    with pytest.raises(dataclasses.FrozenInstanceError):
        pr.status = Status.ON_TRACK  # type: ignore[misc]


# --------------------------------------------------------------------------- edge cases


@pytest.mark.parametrize("points", [[], [(2020, 3.0)], [(2020, None), (2021, 4.0)]])
def test_fewer_than_two_points_is_insufficient(points: list) -> None:
    pr = compute_progress(points, 1, (2030, 10.0))
    assert pr.status is Status.INSUFFICIENT_DATA and pr.method is Method.INSUFFICIENT
    assert pr.score is None and "fewer than two" in pr.note
    assert STATUS_LABELS[pr.status].ko == "자료 부족"


def test_base_year_missing_uses_first_year_after() -> None:
    pr = compute_progress([(2012, 1.0), (2017, 10.0), (2019, 11.0)], 1)
    assert (pr.t0, pr.x0, pr.n_points) == (2017, 10.0, 2)
    assert "first year after" in pr.note


def test_all_points_before_base_year_use_first_point() -> None:
    pr = compute_progress([(2010, 10.0), (2012, 11.0), (2014, 12.0)], 1)
    assert (pr.t0, pr.t) == (2010, 2014) and "first point" in pr.note
    assert pr.status is not Status.INSUFFICIENT_DATA


def test_custom_base_year() -> None:
    pr = compute_progress(A_POINTS, 1, (2030, 30.0), base_year=2017)
    assert (pr.t0, pr.x0) == (2017, 11.1)
    assert r3(pr.cagr_observed * 100) == 5.049  # type: ignore[operator]  # research §3.2 ex. C: 5.05 %


def test_zero_base_replaced_by_0001() -> None:
    pr = compute_progress([(2015, 0.0), (2020, 2.0)], 1)
    assert pr.cagr_observed == pytest.approx((2.0 / 0.001) ** (1 / 5) - 1)
    assert "x0 = 0 replaced by 0.001" in pr.note
    assert pr.status is Status.ON_TRACK


def test_zero_target_replaced_by_0001() -> None:
    # road deaths, lower is better, target zero: required CAGR uses 0.001
    pr = compute_progress([(2015, 10.0), (2020, 8.0)], -1, (2030, 0.0))
    assert pr.cagr_required == pytest.approx((0.001 / 10.0) ** (1 / 15) - 1)
    assert "xT = 0 replaced by 0.001" in pr.note
    assert pr.method is Method.RATIO and pr.R is not None and pr.R > 0


def test_sign_change_between_base_and_latest_is_insufficient_but_linear_numbers_shown() -> None:
    pr = compute_progress([(2015, -5.0), (2020, 5.0)], 1, (2030, 20.0))
    assert pr.status is Status.INSUFFICIENT_DATA and pr.method is Method.INSUFFICIENT
    assert "differ in sign" in pr.note
    assert pr.cagr_observed is None and pr.score is None
    assert pr.p == pytest.approx(10 / 25) and pr.escap_status is not None  # ESCAP still works


def test_all_negative_values_flip_direction() -> None:
    # net balance −10 → −5, higher is better: improvement although |x| shrinks
    pr = compute_progress([(2015, -10.0), (2020, -5.0)], 1)
    assert pr.g is not None and pr.g > 0 and pr.status is Status.ON_TRACK
    assert "direction flipped" in pr.note


def test_target_already_met_is_achieved_whatever_the_trend() -> None:
    # lower is better, target 5; latest 4.8 although rising since 2019
    pr = compute_progress([(2015, 6.0), (2019, 4.0), (2022, 4.8)], -1, (2030, 5.0))
    assert pr.status is Status.ACHIEVED and pr.score == 5.0
    assert pr.p is not None and pr.p > 1 and pr.progress_made == 1.0


def test_base_already_beyond_target_then_falls_below_is_deterioration() -> None:
    # higher is better, base 50 already above target 40; latest 35 no longer meets it
    pr = compute_progress([(2015, 50.0), (2020, 35.0)], 1, (2030, 40.0))
    assert pr.R is not None and pr.R < 0  # d·CAGR_obs / |CAGR_req| keeps the sign right
    assert pr.status is Status.DETERIORATION


def test_target_equal_to_base_falls_back_to_growth() -> None:
    pr = compute_progress([(2015, 10.0), (2020, 9.0)], 1, (2030, 10.0))
    assert pr.p is None and pr.G is None and pr.R is None
    assert pr.method is Method.GROWTH and pr.status is Status.DETERIORATION
    assert "target equals base" in pr.note
    kept = compute_progress([(2015, 10.0), (2020, 10.5)], 1, (2030, 10.0))
    assert kept.status is Status.ACHIEVED


def test_target_year_passed_evaluates_up_to_it() -> None:
    pts = [(2015, 10.0), (2018, 14.0), (2020, 20.0), (2022, 12.0)]
    pr = compute_progress(pts, 1, (2020, 20.0))
    assert (pr.t, pr.xt) == (2020, 20.0) and pr.status is Status.ACHIEVED
    assert pr.e == 1.0 and "has passed" in pr.note
    # the same with as_of after the target year
    assert compute_progress(pts[:3], 1, (2020, 20.0), as_of=2024).note.startswith("target year 2020")


def test_as_of_ignores_later_points() -> None:
    pr = compute_progress(A_POINTS, 1, (2030, 30.0), as_of=2019)
    assert (pr.t, pr.xt, pr.n_points) == (2019, 12.3, 5)
    assert "passed" not in pr.note


def test_target_year_not_after_base_year_is_insufficient() -> None:
    pr = compute_progress([(2015, 1.0), (2020, 2.0)], 1, (2015, 3.0))
    assert pr.status is Status.INSUFFICIENT_DATA
    assert "not after the base year" in pr.note
    before = compute_progress([(2016, 1.0), (2020, 2.0)], 1, (2010, 3.0))
    assert before.status is Status.INSUFFICIENT_DATA and "0 point(s)" in before.note


def test_target_year_defaults_to_2030() -> None:
    assert compute_progress(A_POINTS, 1, (None, 30.0)) == compute_progress(A_POINTS, 1, (2030, 30.0))


def test_escap_maintain_when_projection_reaches_target() -> None:
    pr = compute_progress([(2015, 10.0), (2016, 12.0), (2017, 14.0)], 1, (2030, 30.0))
    assert pr.projected == pytest.approx(40.0) and pytest.approx(-0.5) == pr.G
    assert pr.escap_status is EscapStatus.MAINTAIN


@pytest.mark.parametrize(
    ("points", "status", "score"),
    [
        ([(2021, 0.0), (2023, 1.0)], Status.ACHIEVED, 5.0),
        ([(2023, 1.0)], Status.ACHIEVED, 5.0),  # one observation suffices
        ([(2021, 0.0), (2023, 0.0)], Status.LIMITED_PROGRESS, -2.5),
        ([(2021, 1.0), (2023, 0.0)], Status.DETERIORATION, -5.0),
        ([], Status.INSUFFICIENT_DATA, None),
    ],
)
def test_binary_indicator(points: list, status: Status, score: float | None) -> None:
    pr = compute_progress(points, 1, (2030, 1.0), binary=True)
    assert pr.method is (Method.INSUFFICIENT if not points else Method.BINARY)
    assert (pr.status, pr.score) == (status, score)
    assert pr.R is None and pr.escap_status is None


# --------------------------------------------------------------------------- labels


def test_every_status_has_labels_weather_and_accessible_colour() -> None:
    def luminance(hex_colour: str) -> float:
        rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    assert set(STATUS_LABELS) == set(Status) and set(ESCAP_LABELS) == set(EscapStatus)
    assert [STATUS_LABELS[s].ko for s in Status] == [
        "목표 달성",
        "순항",
        "가속 필요",
        "진전 미흡",
        "악화",
        "자료 부족",
    ]
    assert [STATUS_LABELS[s].weather_ko for s in Status] == [
        "맑음",
        "맑음",
        "맑거나 흐림",
        "흐림",
        "뇌우",
        "–",
    ]
    colours = [STATUS_LABELS[s].colour for s in Status]
    assert len(set(colours)) == len(colours)
    for label in STATUS_LABELS.values():
        assert label.ko and label.en  # a text label always accompanies the colour
        assert 1.05 / (luminance(label.colour) + 0.05) >= 4.5  # WCAG AA on white
    assert dict(Status.choices())["on_track"] == "순항"
    assert dict(Status.choices("en"))["deterioration"] == "Deterioration"


# --------------------------------------------------------------------------- aggregation


def _two_series() -> tuple[Progress, Progress]:
    # Hand computation (target (2030, 60), higher is better, t0 = 2015, t = 2020):
    #   men   40 → 44: CAGR_obs = 1.1^(1/5) − 1 = 1.9245 %;  CAGR_req = 1.5^(1/15) − 1 = 2.7400 %
    #                  R = 0.70238 → score = (0.70238 − 0.60)·5/0.70 = +0.7313  (acceleration needed)
    #   women 30 → 29: CAGR_obs = (29/30)^(1/5) − 1 = −0.6757 %; CAGR_req = 2^(1/15) − 1 = 4.7294 %
    #                  R = −0.14288 → score = −0.14288·2.5/0.60 − 2.5 = −3.0953  (deterioration)
    #   mean score = (0.7313 − 3.0953)/2 = −1.1820 → limited progress; worst group = women.
    men = compute_progress([(2015, 40.0), (2020, 44.0)], 1, (2030, 60.0))
    women = compute_progress([(2015, 30.0), (2020, 29.0)], 1, (2030, 60.0))
    return men, women


def test_aggregate_two_series_by_hand() -> None:
    men, women = _two_series()
    assert r3(men.R) == 0.702 and r3(men.score) == 0.731 and men.status is Status.ACCELERATION_NEEDED
    assert r3(women.R) == -0.143 and r3(women.score) == -3.095 and women.status is Status.DETERIORATION
    agg = aggregate([men, women])
    assert r3(agg.score) == -1.182
    assert agg.status is Status.LIMITED_PROGRESS
    assert agg.worst is women and agg.worst_index == 1
    assert (agg.n_series, agg.n_assessed, agg.n_insufficient) == (2, 2, 0)


def test_aggregate_achieved_only_when_every_series_achieved() -> None:
    done = compute_progress([(2015, 10.0), (2020, 31.0)], 1, (2030, 30.0))
    on_track = compute_progress([(2015, 10.0), (2020, 30.0)], 1, (2040, 31.0))
    assert aggregate([done, done]).status is Status.ACHIEVED
    mixed = aggregate([done, on_track])
    assert mixed.status is Status.ON_TRACK and mixed.score == pytest.approx(5.0)
    no_data = compute_progress([], 1, (2030, 30.0))
    with_gap = aggregate([done, no_data])
    assert with_gap.status is Status.ON_TRACK  # a group without data blocks "achieved"
    assert (with_gap.n_assessed, with_gap.n_insufficient) == (1, 1)


def test_aggregate_all_insufficient_and_empty() -> None:
    none = compute_progress([(2020, 1.0)], 1)
    agg = aggregate([none, none])
    assert agg.status is Status.INSUFFICIENT_DATA and agg.score is None and agg.worst is None
    assert aggregate([]).status is Status.INSUFFICIENT_DATA


def test_summarise_counts_and_share() -> None:
    men, women = _two_series()
    s = summarise(
        [
            "achieved",
            Status.ON_TRACK,
            men,
            women,
            aggregate([men, women]),
            "insufficient_data",
        ]
    )
    assert s.counts[Status.ACHIEVED] == 1 and s.counts[Status.ON_TRACK] == 1
    assert s.counts[Status.ACCELERATION_NEEDED] == 1 and s.counts[Status.DETERIORATION] == 1
    assert s.counts[Status.LIMITED_PROGRESS] == 1 and s.counts[Status.INSUFFICIENT_DATA] == 1
    assert (s.total, s.assessed) == (6, 5)
    assert s.share_on_track_or_achieved == pytest.approx(2 / 5)
    empty = summarise([])
    assert empty.total == 0 and empty.share_on_track_or_achieved is None
    assert set(empty.counts) == set(Status)

"""Progress engine for one local indicator — pure functions, no database, no Django.

Implements ``docs/vlr_structure.md`` §2 (shared design doc):

1. current status (UN ESCAP): p, progress made, regression, expected-by-now e;
2. anticipated progress with a numeric target (Statistics Canada / Open SDG, Eurostat-inspired):
   R = d·CAGR_observed / |CAGR_required|, thresholds 0.95 / 0.60 / 0;
3. anticipated progress without a numeric target: g = d·CAGR_observed, thresholds 1.5 % / 0.5 % / 0;
4. ESCAP anticipated gap (second opinion): weighted least squares line (weights 1..n, oldest to
   newest), projected value at T, G = (xT − x̂T) / (xT − x0) → maintain / accelerate / reverse.

Every result is a frozen :class:`Progress` that carries the status *with* the numbers it came from
and a ``note`` naming every fallback taken, so a report never shows a status without its reasons.
Statuses are never typed by hand; callers store the inputs and call :func:`compute_progress`.

Several disaggregation series of one indicator are combined with :func:`aggregate` (Open SDG
score mean, worst group for "leave no one behind"); goal/target summaries use :func:`summarise`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

__all__ = [
    "DEFAULT_BASE_YEAR",
    "DEFAULT_TARGET_YEAR",
    "ESCAP_LABELS",
    "STATUS_LABELS",
    "ZERO_REPLACEMENT",
    "Aggregate",
    "EscapStatus",
    "Method",
    "Progress",
    "Status",
    "StatusLabel",
    "Summary",
    "aggregate",
    "cagr",
    "compute_progress",
    "score_from_growth",
    "score_from_ratio",
    "status_from_score",
    "summarise",
    "summary_from_counts",
    "wls_line",
]

DEFAULT_BASE_YEAR = 2015
DEFAULT_TARGET_YEAR = 2030
ZERO_REPLACEMENT = 0.001  # Open SDG: a zero base/latest/target value is replaced in any CAGR

# Thresholds (vlr_structure.md §2). Ratio R with a target; growth g = d·CAGR without one.
R_ON_TRACK, R_ACCELERATE = 0.95, 0.60
G_ON_TRACK, G_ACCELERATE = 0.015, 0.005
SCORE_MIN, SCORE_MAX = -5.0, 5.0
_TOL = 1e-12


class Status(StrEnum):
    """Progress status of a series/indicator (values are what a model field stores)."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    ACCELERATION_NEEDED = "acceleration_needed"
    LIMITED_PROGRESS = "limited_progress"
    DETERIORATION = "deterioration"
    INSUFFICIENT_DATA = "insufficient_data"

    @classmethod
    def choices(cls, lang: str = "ko") -> list[tuple[str, str]]:
        """``(value, label)`` pairs, usable as a Django ``choices=`` argument."""
        return [(s.value, STATUS_LABELS[s].ko if lang == "ko" else STATUS_LABELS[s].en) for s in cls]


class Method(StrEnum):
    """Which rule produced the status."""

    RATIO = "ratio"  # numeric target: R = d·CAGR_obs / |CAGR_req|
    GROWTH = "growth"  # no numeric target (or ratio undefined): g = d·CAGR_obs
    BINARY = "binary"  # yes/no indicator (ordinance adopted, plan in force…)
    INSUFFICIENT = "insufficient"  # not assessable; ``note`` says why


class EscapStatus(StrEnum):
    """UN ESCAP anticipated-progress dashboard category."""

    MAINTAIN = "maintain"
    ACCELERATE = "accelerate"
    REVERSE = "reverse"


class StatusLabel(NamedTuple):
    """How a status is displayed. The colour never stands alone: always print ``ko``/``en`` too."""

    ko: str
    en: str
    weather_ko: str
    colour: str  # hex; each has >= 4.5:1 contrast on white, so it also works as text colour


# Korean labels and weather words follow the national sustainability report's scale.
STATUS_LABELS: dict[Status, StatusLabel] = {
    Status.ACHIEVED: StatusLabel("목표 달성", "Target achieved", "맑음", "#15803D"),  # green
    Status.ON_TRACK: StatusLabel("순항", "On track", "맑음", "#0F766E"),  # teal
    Status.ACCELERATION_NEEDED: StatusLabel(
        "가속 필요", "Acceleration needed", "맑거나 흐림", "#A16207"
    ),  # amber
    Status.LIMITED_PROGRESS: StatusLabel("진전 미흡", "Limited progress", "흐림", "#C2410C"),  # orange
    Status.DETERIORATION: StatusLabel("악화", "Deterioration", "뇌우", "#B91C1C"),  # red
    Status.INSUFFICIENT_DATA: StatusLabel("자료 부족", "Insufficient data", "–", "#4B5563"),  # grey
}

ESCAP_LABELS: dict[EscapStatus, tuple[str, str]] = {
    EscapStatus.MAINTAIN: ("현 추세 유지", "Maintain progress"),
    EscapStatus.ACCELERATE: ("가속 필요", "Accelerate progress"),
    EscapStatus.REVERSE: ("추세 반전 필요", "Reverse trend"),
}


@dataclass(frozen=True, slots=True)
class Progress:
    """Status of one series together with every number it was derived from.

    Years/values: base ``t0``/``x0``, latest ``t``/``xt``, target ``T``/``xT`` (None without a
    numeric target), ``direction`` +1 (higher is better) or −1 (lower is better). Values are the
    observed ones; zero replacements used inside CAGRs are reported in ``note`` only.
    """

    t0: int | None
    x0: float | None
    t: int | None
    xt: float | None
    T: int | None
    xT: float | None
    direction: int
    n_points: int  # points used (after as_of / target-year cut and base-year choice)
    # 1. ESCAP current status
    p: float | None = None  # (xt − x0) / (xT − x0)
    progress_made: float | None = None  # clamp(p, 0, 1)
    regression: float | None = None  # min(p, 0)
    e: float | None = None  # expected by now, (t − t0) / (T − t0)
    # 2./3. Open SDG anticipated progress
    cagr_observed: float | None = None  # CAGR(x0 → xt), as a fraction (0.05 = 5 %/yr)
    cagr_required: float | None = None  # CAGR(x0 → xT over T − t0)
    R: float | None = None  # d·cagr_observed / |cagr_required|
    g: float | None = None  # d·cagr_observed (only when method is growth)
    method: Method = Method.INSUFFICIENT
    status: Status = Status.INSUFFICIENT_DATA
    score: float | None = None  # Open SDG aggregation score in [−5, 5]; None when insufficient
    # 4. ESCAP anticipated gap
    wls_slope: float | None = None
    projected: float | None = None  # x̂ at T from the weighted line
    G: float | None = None  # (xT − x̂T) / (xT − x0)
    escap_status: EscapStatus | None = None
    note: str = ""

    @property
    def label(self) -> StatusLabel:
        return STATUS_LABELS[self.status]


# --------------------------------------------------------------------------- basic formulas


def cagr(x_a: float, x_b: float, years: float) -> float:
    """Compound annual growth rate from ``x_a`` to ``x_b`` over ``years`` (both values > 0)."""
    if years <= 0:
        raise ValueError("CAGR needs a positive number of years")
    if x_a <= 0 or x_b <= 0:
        raise ValueError("CAGR needs positive values")
    return (x_b / x_a) ** (1.0 / years) - 1.0


def wls_line(points: Sequence[tuple[int, float]]) -> tuple[float, float]:
    """Weighted least squares ``x = a + b·year`` with weights 1..n oldest→newest; returns (a, b).

    Recent years weigh more, as in ESCAP's time-weighted regression. Needs >= 2 distinct years.
    """
    pts = sorted(points)
    w = range(1, len(pts) + 1)
    sw = sum(w)
    ybar = sum(wi * yr for wi, (yr, _) in zip(w, pts)) / sw
    xbar = sum(wi * x for wi, (_, x) in zip(w, pts)) / sw
    sxx = sum(wi * (yr - ybar) ** 2 for wi, (yr, _) in zip(w, pts))
    if sxx == 0:
        raise ValueError("weighted regression needs at least two distinct years")
    sxy = sum(wi * (yr - ybar) * (x - xbar) for wi, (yr, x) in zip(w, pts))
    b = sxy / sxx
    return xbar - b * ybar, b


def _clip(v: float) -> float:
    return max(SCORE_MIN, min(SCORE_MAX, v))


def score_from_ratio(R: float) -> float:
    """Open SDG score for a target series: −60 % → −5, 60 % → 0, 95 % → 2.5, 130 % → +5."""
    return _clip((R - R_ACCELERATE) * 5.0 / 0.70 if R >= R_ACCELERATE else R * 2.5 / R_ACCELERATE - 2.5)


def score_from_growth(g: float) -> float:
    """Open SDG score without a target: −2 % → −5, 0 → −2.5, 0.5 % → 0, 1.5 % → 2.5, 2 % → +5."""
    if g < 0:
        return _clip(125.0 * g - 2.5)
    if g < G_ACCELERATE:
        return 500.0 * g - 2.5
    if g < G_ON_TRACK:
        return 250.0 * g - 1.25
    return _clip(500.0 * g - 5.0)


def status_from_score(score: float) -> Status:
    """Read a (mean) score back to a status: >= 2.5 / >= 0 / >= −2.5 / below."""
    if score >= 2.5:
        return Status.ON_TRACK
    if score >= 0:
        return Status.ACCELERATION_NEEDED
    if score >= -2.5:
        return Status.LIMITED_PROGRESS
    return Status.DETERIORATION


def _status_from_ratio(R: float) -> Status:
    if R >= R_ON_TRACK:
        return Status.ON_TRACK
    if R >= R_ACCELERATE:
        return Status.ACCELERATION_NEEDED
    if R >= 0:
        return Status.LIMITED_PROGRESS
    return Status.DETERIORATION


def _status_from_growth(g: float) -> Status:
    if g >= G_ON_TRACK:
        return Status.ON_TRACK
    if g >= G_ACCELERATE:
        return Status.ACCELERATION_NEEDED
    if g >= 0:
        return Status.LIMITED_PROGRESS
    return Status.DETERIORATION


def _meets(x: float, target: float, direction: int) -> bool:
    """True when ``x`` is at or beyond ``target`` in the desired direction."""
    return direction * (x - target) >= -_TOL * max(1.0, abs(target))


# --------------------------------------------------------------------------- main entry


def compute_progress(
    points: Iterable[tuple[int, float | None]],
    direction: int,
    target: tuple[int | None, float] | None = None,
    *,
    base_year: int = DEFAULT_BASE_YEAR,
    binary: bool = False,
    as_of: int | None = None,
) -> Progress:
    """Assess one series.

    ``points``: (year, value) pairs in any order; ``None`` values are skipped; a repeated year is
    an error (one observation per year and series). ``direction``: +1 higher is better, −1 lower
    is better. ``target``: (year, value), year ``None`` meaning 2030; omit for qualitative targets
    ("지속 확대"). ``binary``: value 1 = condition met, 0 = not met. ``as_of``: ignore later points.

    Window: points after ``as_of`` are ignored, and so are points after the target year ("target
    year passed → evaluate up to it"). Base: the point at ``base_year``, else the first after it;
    if fewer than two points would remain from there (e.g. every point is before ``base_year``),
    the first point of the series, so that a short series can still be assessed. The weighted
    regression uses the points of that window (t0..t).

    Fallbacks, each written to ``note``: fewer than two points → insufficient data; a zero value in
    a CAGR → 0.001 (Open SDG); all values negative → magnitudes with direction flipped (Open SDG);
    base/latest (or base/target) of different sign → no CAGR, status insufficient data, while the
    linear ESCAP numbers (p, e, G) are still shown; target equal to base → p and G undefined, the
    growth method decides; latest value meeting the target in the desired direction → achieved,
    whatever the trend. ESCAP category: maintain when the projection meets the target (G <= 0 in
    the usual case), accelerate when the slope points the desired way, else reverse.
    """
    direction = int(direction)
    if direction not in (1, -1):
        raise ValueError("direction must be +1 (higher is better) or -1 (lower is better)")
    series: dict[int, float] = {}
    for year, value in points:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        if int(year) in series:
            raise ValueError(f"two observations for year {year}")
        series[int(year)] = float(value)

    notes: list[str] = []
    T: int | None = None
    xT: float | None = None
    if target is not None and not binary:
        T = DEFAULT_TARGET_YEAR if target[0] is None else int(target[0])
        xT = float(target[1])

    passed = T is not None and (as_of > T if as_of is not None else any(y > T for y in series))
    if passed:
        notes.append(f"target year {T} has passed: evaluated up to {T}")
    cutoff = T if passed else as_of
    pts = sorted((y, x) for y, x in series.items() if cutoff is None or y <= cutoff)

    if binary:
        return _binary(pts, direction, notes)

    # Base year choice.
    from_base = [pt for pt in pts if pt[0] >= base_year]
    if len(from_base) >= 2:
        window = from_base
        if window[0][0] != base_year:
            notes.append(f"no value for {base_year}: base is the first year after it ({window[0][0]})")
    else:
        window = pts
        if len(pts) >= 2:
            notes.append(f"fewer than two points from {base_year}: base is the first point ({pts[0][0]})")

    if len(window) < 2:
        if passed and len(series) >= 2:
            notes.append(
                f"{len(window)} point(s) up to the target year {T}: target year not after the base year"
            )
        else:
            notes.append("fewer than two data points")
        last = window[-1] if window else None
        return _insufficient(direction, T, xT, len(window), "; ".join(notes), last)

    (t0, x0), (t, xt) = window[0], window[-1]

    # 1. ESCAP current status (linear, works for any sign).
    p = progress_made = regression = e = None
    if xT is not None and T is not None:
        e = (t - t0) / (T - t0)
        if abs(xT - x0) > _TOL:
            p = (xt - x0) / (xT - x0)
            progress_made, regression = min(max(p, 0.0), 1.0), min(p, 0.0)
        else:
            notes.append("target equals base value: p undefined")

    # 4. ESCAP anticipated gap.
    a, slope = wls_line(window)
    projected = G = escap = None
    if xT is not None and T is not None:
        projected = a + slope * T
        if abs(xT - x0) > _TOL:
            G = (xT - projected) / (xT - x0)
        if _meets(projected, xT, direction):
            escap = EscapStatus.MAINTAIN
        elif slope * direction > 0:
            escap = EscapStatus.ACCELERATE
        else:
            escap = EscapStatus.REVERSE

    # 2./3. Open SDG anticipated progress (exponential, needs one sign).
    obs = req = R = g = None
    method, status, score = Method.INSUFFICIENT, Status.INSUFFICIENT_DATA, None
    achieved = xT is not None and _meets(xt, xT, direction)
    growth_inputs = _growth_inputs(x0, xt, xT, direction, notes)
    if growth_inputs is not None:
        gx0, gxt, gxT, d = growth_inputs
        obs = cagr(gx0, gxt, t - t0)
        if gxT is not None and T is not None:
            req = cagr(gx0, gxT, T - t0)
            if not (math.isfinite(obs) and math.isfinite(req)):
                # A base this close to zero (e.g. 5e-324) makes both growth rates overflow to
                # infinity, and their ratio is NaN: no ratio, the growth method decides.
                notes.append(
                    "growth from a base this close to zero overflows: ratio undefined, growth method used"
                )
            elif abs(req) > _TOL:
                R = d * obs / abs(req)
                method, status, score = (
                    Method.RATIO,
                    _status_from_ratio(R),
                    score_from_ratio(R),
                )
            elif not achieved:
                notes.append("target equals base value: ratio undefined, growth method used")
        if R is None and not achieved:
            g = d * obs
            method, status, score = (
                Method.GROWTH,
                _status_from_growth(g),
                score_from_growth(g),
            )
    if achieved:
        # Target met in the desired direction: achieved whatever the trend (Open SDG, UNSD).
        method, status, score = Method.RATIO, Status.ACHIEVED, SCORE_MAX

    return Progress(
        t0=t0,
        x0=x0,
        t=t,
        xt=xt,
        T=T,
        xT=xT,
        direction=direction,
        n_points=len(window),
        p=p,
        progress_made=progress_made,
        regression=regression,
        e=e,
        cagr_observed=obs,
        cagr_required=req,
        R=R,
        g=g,
        method=method,
        status=status,
        score=score,
        wls_slope=slope,
        projected=projected,
        G=G,
        escap_status=escap,
        note="; ".join(notes),
    )


def _growth_inputs(
    x0: float, xt: float, xT: float | None, direction: int, notes: list[str]
) -> tuple[float, float, float | None, int] | None:
    """Values ready for CAGR: one sign, zeros → ±0.001, negatives mirrored with direction flipped.

    Returns None (and explains in ``notes``) when the values differ in sign, where an exponential
    growth rate means nothing; the linear ESCAP numbers are still shown in that case.
    """
    named = [("x0", x0), ("xt", xt)] + ([("xT", xT)] if xT is not None else [])
    signs = {math.copysign(1.0, v) for _, v in named if v != 0}
    if len(signs) > 1:
        which = "base and latest values" if x0 * xt < 0 else "base and target values"
        notes.append(f"{which} differ in sign: growth (CAGR) method does not apply")
        return None
    sign = signs.pop() if signs else 1.0
    out: list[float] = []
    for name, v in named:
        if v == 0:
            notes.append(f"{name} = 0 replaced by {ZERO_REPLACEMENT} in CAGR")
            v = sign * ZERO_REPLACEMENT
        out.append(abs(v))
    d = direction
    if sign < 0:
        d = -direction
        notes.append("all values negative: magnitudes used with direction flipped")
    return out[0], out[1], (out[2] if xT is not None else None), d


def _insufficient(
    direction: int,
    T: int | None,
    xT: float | None,
    n: int,
    note: str,
    last: tuple[int, float] | None = None,
) -> Progress:
    return Progress(
        t0=None,
        x0=None,
        t=last[0] if last else None,
        xt=last[1] if last else None,
        T=T,
        xT=xT,
        direction=direction,
        n_points=n,
        note=note,
    )


def _binary(pts: list[tuple[int, float]], direction: int, notes: list[str]) -> Progress:
    """Yes/no indicator: achieved when the latest value is 1 (met).

    There is no "not achieved" level on the display scale, so a condition not (yet) met shows as
    limited progress (score −2.5), and one that was met earlier but no longer is as deterioration
    (score −5). One observation is enough. Direction is not used.
    """
    if not pts:
        notes.append("no data point")
        return _insufficient(direction, None, None, 0, "; ".join(notes))
    (t0, x0), (t, xt) = pts[0], pts[-1]
    met = [x >= 0.5 for _, x in pts]
    if met[-1]:
        status, score = Status.ACHIEVED, SCORE_MAX
    elif any(met):
        status, score = Status.DETERIORATION, SCORE_MIN
        notes.append("binary: condition met earlier, no longer met")
    else:
        status, score = Status.LIMITED_PROGRESS, -2.5
        notes.append("binary: not achieved (shown as limited progress)")
    return Progress(
        t0=t0,
        x0=x0,
        t=t,
        xt=xt,
        T=None,
        xT=None,
        direction=direction,
        n_points=len(pts),
        method=Method.BINARY,
        status=status,
        score=score,
        note="; ".join(notes),
    )


# --------------------------------------------------------------------------- aggregation


@dataclass(frozen=True, slots=True)
class Aggregate:
    """One indicator's status from several disaggregation series (Open SDG rule).

    ``score`` is the mean of the assessed series' scores (insufficient series are left out and
    counted in ``n_insufficient``); ``status`` reads it back, except that "achieved" requires every
    series — including those without data — to have achieved its target. ``worst`` is the series
    with the lowest score, for the leave-no-one-behind view (``worst_index`` is its position).
    """

    status: Status
    score: float | None
    n_series: int
    n_assessed: int
    n_insufficient: int
    worst: Progress | None
    worst_index: int | None

    @property
    def label(self) -> StatusLabel:
        return STATUS_LABELS[self.status]


def aggregate(progresses: Sequence[Progress]) -> Aggregate:
    """Combine several series of one indicator into one status (mean score, worst group)."""
    scored = [(i, pr) for i, pr in enumerate(progresses) if pr.score is not None]
    n = len(progresses)
    if not scored:
        return Aggregate(Status.INSUFFICIENT_DATA, None, n, 0, n, None, None)
    mean = sum(pr.score for _, pr in scored) / len(scored)  # type: ignore[misc]
    if all(pr.status is Status.ACHIEVED for pr in progresses):
        status = Status.ACHIEVED
    else:
        status = status_from_score(mean)
    worst_index, worst = min(scored, key=lambda ip: ip[1].score)  # type: ignore[arg-type,return-value]
    return Aggregate(status, mean, n, len(scored), n - len(scored), worst, worst_index)


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts per status for a goal or target, and the share on track or achieved.

    ``share_on_track_or_achieved`` is over the assessed items (``assessed`` = total minus
    insufficient data), None when nothing could be assessed; ``total`` lets the report say
    "n of m indicators could be assessed".
    """

    counts: dict[Status, int]
    total: int
    assessed: int
    share_on_track_or_achieved: float | None


def summarise(statuses: Iterable[Status | str | Progress | Aggregate]) -> Summary:
    """Count statuses (strings, :class:`Status`, or anything with a ``status``)."""
    counts = dict.fromkeys(Status, 0)
    for item in statuses:
        counts[Status(getattr(item, "status", item))] += 1
    return summary_from_counts(counts)


def summary_from_counts(counts: dict[Status, int]) -> Summary:
    """A :class:`Summary` from counts per status (statuses left out count 0), e.g. counted in
    the database."""
    counts = {status: counts.get(status, 0) for status in Status}
    total = sum(counts.values())
    assessed = total - counts[Status.INSUFFICIENT_DATA]
    good = counts[Status.ACHIEVED] + counts[Status.ON_TRACK]
    return Summary(counts, total, assessed, good / assessed if assessed else None)

"""Reads of local indicators with their progress, shared by the API, the UI and the exports.

The maths lives in :mod:`apps.indicators.progress` (pure functions); this module only fetches the
observations (a fixed number of queries whatever the number of indicators), groups them into
series and hands them to the engine. Every status returned here travels with the
:class:`~apps.indicators.progress.Progress` numbers it came from.

Rules applied before the engine (vlr_structure.md §2):

- one series per disaggregation (sex, age group, district, income group, disability); the total
  series (all empty) comes first;
- progress uses annual values (quarter 0); quarterly values stay in the annex, and a series with
  quarterly values only is reported as insufficient data with a note saying so;
- the base year is the indicator's ``baseline_year`` (2015 when unset); when the indicator's
  metadata gives a baseline value for a year that has no annual observation, that value is used
  as the total series' point for that year (noted);
- values after ``as_of`` (the VLR reporting year) are ignored;
- the indicator's status is the Open SDG aggregate of all its series (mean score; "achieved" only
  when every series achieved it); the worst series is the leave-no-one-behind view.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet, prefetch_related_objects

from apps.core.permissions import Action
from apps.frameworks.selectors import crosswalk_targets
from apps.sdg.models import Target

from .choices import DISAGGREGATIONS, Disability, Sex
from .models import CITED_FIELDS, IndicatorAlignment, LocalIndicator, Observation, ProgressRecord, cite
from .progress import (
    DEFAULT_BASE_YEAR,
    DEFAULT_TARGET_YEAR,
    STATUS_LABELS,
    Aggregate,
    EscapStatus,
    Method,
    Progress,
    Status,
    StatusLabel,
    Summary,
    aggregate,
    compute_progress,
    summarise,
    summary_from_counts,
)

TOTAL_KEY: tuple[str, ...] = ("",) * len(DISAGGREGATIONS)

# Values fetched per observation (one query, no model instances: 100,000 rows stay cheap).
# What the engine reads of each observation (progress_of_indicator): the first nine
# OBSERVATION_FIELDS.
PROGRESS_ROW_FIELDS = ("local_indicator_id", "year", "quarter", *DISAGGREGATIONS, "value")
OBSERVATION_FIELDS = (
    "local_indicator_id",
    "year",
    "quarter",
    *DISAGGREGATIONS,
    "value",
    "source",
    "is_provisional",
    "is_estimated",
    "note",
    "id",
)

_DIMENSION_LABELS = {
    "sex": ("성별", "sex"),
    "age_group": ("연령", "age"),
    "district": ("지역", "district"),
    "income_group": ("소득", "income"),
    "disability": ("장애", "disability"),
}
_CHOICE_LABELS = {"sex": dict(Sex.choices), "disability": dict(Disability.choices)}


@functools.lru_cache(maxsize=4096)
def _series_label(key: tuple[str, ...]) -> tuple[str, str]:
    if key == TOTAL_KEY:
        return "전체", "Total"
    ko_parts, en_parts = [], []
    for dim, value in zip(DISAGGREGATIONS, key):
        if not value:
            continue
        dim_ko, dim_en = _DIMENSION_LABELS[dim]
        label = _CHOICE_LABELS.get(dim, {}).get(value, value)
        val_ko, _, val_en = str(label).partition(" / ")
        ko_parts.append(f"{dim_ko}: {val_ko}")
        en_parts.append(f"{dim_en}: {val_en or val_ko}")
    return ", ".join(ko_parts), ", ".join(en_parts)


def series_label(key: Sequence[str]) -> tuple[str, str]:
    """Korean and English label of a disaggregation series, e.g. ("성별: 여성", "sex: female")."""
    return _series_label(tuple(key))


@dataclass(frozen=True, slots=True)
class SeriesProgress:
    """One disaggregation series of an indicator: its annual points and their assessment."""

    key: tuple[str, ...]  # values of DISAGGREGATIONS, "" = total
    points: tuple[tuple[int, float], ...]
    progress: Progress

    @property
    def is_total(self) -> bool:
        return self.key == TOTAL_KEY

    @property
    def disaggregation(self) -> dict[str, str]:
        return {dim: value for dim, value in zip(DISAGGREGATIONS, self.key) if value}

    @property
    def label_ko(self) -> str:
        return series_label(self.key)[0]

    @property
    def label_en(self) -> str:
        return series_label(self.key)[1]


@dataclass(frozen=True, slots=True)
class IndicatorProgress:
    """A local indicator, each of its series with its numbers, and the indicator's status."""

    indicator: LocalIndicator
    series: tuple[SeriesProgress, ...]  # total first, then disaggregations in sorted order
    aggregate: Aggregate

    @property
    def status(self) -> Status:
        return self.aggregate.status

    @property
    def label(self) -> StatusLabel:
        return STATUS_LABELS[self.aggregate.status]

    @property
    def headline(self) -> SeriesProgress | None:
        """The total series, or the only series when there is exactly one."""
        for series in self.series:
            if series.is_total:
                return series
        return self.series[0] if len(self.series) == 1 else None

    @property
    def worst(self) -> SeriesProgress | None:
        """The series with the lowest score (leave-no-one-behind view), when several exist."""
        index = self.aggregate.worst_index
        return self.series[index] if index is not None and len(self.series) > 1 else None


_SOURCE = OBSERVATION_FIELDS.index("source")
_CITED = len(OBSERVATION_FIELDS)  # the provenance fields follow the OBSERVATION_FIELDS in a row


def observation_rows(indicator_ids_or_queryset) -> list[tuple]:
    """Observation values (``OBSERVATION_FIELDS`` tuples) of the given indicators, one query,
    ordered by indicator, disaggregation, year and quarter. ``source`` is the value's citation
    (:func:`~apps.indicators.models.cite`: the written source, else one from its provenance), so
    the annex and the report cite a KOSIS table or a file's cell."""
    if isinstance(indicator_ids_or_queryset, QuerySet):
        lookup = {"local_indicator__in": indicator_ids_or_queryset.values("pk")}
    else:
        lookup = {"local_indicator_id__in": list(indicator_ids_or_queryset)}
    rows = []
    for row in (
        Observation.objects.filter(**lookup)
        .order_by("local_indicator_id", *DISAGGREGATIONS, "year", "quarter")
        .values_list(*OBSERVATION_FIELDS, *CITED_FIELDS[1:])
    ):
        if row[_SOURCE] or not row[_CITED]:  # a written source, or no provenance to cite
            rows.append(row[:_CITED])
            continue
        source = cite(dict(zip(CITED_FIELDS, (row[_SOURCE], *row[_CITED:]))))
        rows.append((*row[:_SOURCE], source, *row[_SOURCE + 1 : _CITED]))
    return rows


def progress_of_indicator(
    indicator: LocalIndicator, rows: Iterable[Sequence], *, as_of: int | None = None
) -> IndicatorProgress:
    """Assess one indicator from its observation rows (``OBSERVATION_FIELDS`` tuples or any
    sequence starting with indicator id, year, quarter, the five disaggregations, value).

    Pure given its inputs: used on live rows and on the rows frozen in an edition snapshot.
    """
    annual: dict[tuple[str, ...], dict[int, float]] = defaultdict(dict)
    quarterly_only: set[tuple[str, ...]] = set()
    for row in rows:
        year, quarter = row[1], row[2]
        key = tuple(row[3:8])
        if quarter:
            quarterly_only.add(key)
            continue
        annual[key][year] = row[8]
    quarterly_only -= set(annual)
    base_year = indicator.baseline_year or DEFAULT_BASE_YEAR
    target = None
    if indicator.target_value is not None:
        target = (indicator.target_year, indicator.target_value)
    baseline_added = False
    if (
        indicator.baseline_year is not None
        and indicator.baseline_value is not None
        and (as_of is None or indicator.baseline_year <= as_of)
        and indicator.baseline_year not in annual.get(TOTAL_KEY, {})
    ):
        annual[TOTAL_KEY][indicator.baseline_year] = indicator.baseline_value
        baseline_added = True
    for key in quarterly_only:
        annual.setdefault(key, {})

    series = []
    for key in sorted(annual):  # TOTAL_KEY (all empty strings) sorts first
        points = tuple(sorted(annual[key].items()))
        progress = compute_progress(
            points,
            indicator.direction,
            target,
            base_year=base_year,
            binary=indicator.is_binary,
            as_of=as_of,
        )
        extra = []
        if key == TOTAL_KEY and baseline_added:
            extra.append(f"baseline {indicator.baseline_year} from indicator metadata")
        if key in quarterly_only:
            extra.append("quarterly values only: progress uses annual values")
        if extra:
            progress = dataclasses.replace(progress, note="; ".join(filter(None, [progress.note, *extra])))
        series.append(SeriesProgress(key=key, points=points, progress=progress))
    if not series:
        # No observation at all: one empty total series, so the indicator still shows a status.
        empty = compute_progress(
            [], indicator.direction, target, base_year=base_year, binary=indicator.is_binary
        )
        series.append(SeriesProgress(key=TOTAL_KEY, points=(), progress=empty))
    return IndicatorProgress(
        indicator=indicator,
        series=tuple(series),
        aggregate=aggregate([s.progress for s in series]),
    )


_ALIGNMENTS = Prefetch(
    "alignments",
    queryset=IndicatorAlignment.objects.select_related("target__goal", "indicator").order_by(
        "target__sort_key", "id"
    ),
)


def local_indicators_for(
    *, municipality=None, user=None, action: str = Action.VIEW, include_retired: bool = False
) -> QuerySet:
    """Local indicators a user may see (all when ``user`` is None: system use such as an
    approval snapshot), with their SDG alignments prefetched. Retired indicators are left out
    (dashboards, goals, gap matrix, new VLR drafts) unless ``include_retired``."""
    qs = LocalIndicator.objects.all() if user is None else LocalIndicator.objects.for_user(user, action)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if not include_retired:
        qs = qs.filter(retired_at__isnull=True)
    return qs.select_related("municipality").prefetch_related(_ALIGNMENTS)


def indicator_progress(indicators, *, as_of: int | None = None) -> list[IndicatorProgress]:
    """Progress of each indicator and each of its series.

    ``indicators``: a ``LocalIndicator`` queryset (start from ``for_user``; see
    :func:`local_indicators_for`) or a list of instances. Queries: the indicators (and their
    prefetches) once, the observations once — independent of the number of indicators.
    """
    indicators = list(indicators)
    rows_by_indicator: dict[int, list[tuple]] = defaultdict(list)
    if indicators:
        # Only what the engine reads, unordered (it sorts what it keeps): no citation to build.
        for row in (
            Observation.objects.filter(local_indicator_id__in=[ind.pk for ind in indicators])
            .order_by()
            .values_list(*PROGRESS_ROW_FIELDS)
        ):
            rows_by_indicator[row[0]].append(row)
    return [progress_of_indicator(ind, rows_by_indicator.get(ind.pk, ()), as_of=as_of) for ind in indicators]


# ------------------------------------------------------------------------------ stored progress
# What pages read: the ProgressRecord rows apps.indicators.services.progress_refresh keeps up to
# date, never the observations. indicator_progress above stays the one computation.

# Progress field → SeriesProgressRecord column (the engine's capitals are not column names).
_RENAMED = {"T": "target_year", "xT": "target_value", "R": "ratio", "G": "gap"}
STORED_COLUMNS = {f.name: _RENAMED.get(f.name, f.name) for f in dataclasses.fields(Progress)}
NOT_COMPUTED = "progress not computed yet: run manage.py rebuild_progress"


# One stored series as a row: its indicator, key, points, every Progress number, then its
# indicator's record (the aggregate), read with .values_list (no model instance per series).
# Read from the records, filtered by their key, joined to their series: the other way round
# (series filtered by record_id, joined to the records) PostgreSQL read every record of the
# database into a hash (it does not carry an IN list across a join), 3.8 ms at 243 cities.
_RECORD_FIELDS = ("status", "score", "n_series", "n_assessed", "n_insufficient", "worst_index")
_SERIES_ROW = (
    "local_indicator_id",
    *(f"series__{name}" for name in (*DISAGGREGATIONS, "points", *STORED_COLUMNS.values())),
    *_RECORD_FIELDS,
)
_PROGRESS_AT = 1 + len(DISAGGREGATIONS) + 1
_RECORD_AT = _PROGRESS_AT + len(STORED_COLUMNS)


def _progress_from_row(row: tuple) -> Progress:
    values = dict(zip(STORED_COLUMNS, row[_PROGRESS_AT:_RECORD_AT]))
    values["method"] = Method(values["method"])
    values["status"] = Status(values["status"])
    values["escap_status"] = EscapStatus(values["escap_status"]) if values["escap_status"] else None
    return Progress(**values)


def _not_computed(indicator: LocalIndicator) -> IndicatorProgress:
    empty = Progress(None, None, None, None, None, None, indicator.direction, 0, note=NOT_COMPUTED)
    return IndicatorProgress(indicator, (SeriesProgress(TOTAL_KEY, (), empty),), aggregate([empty]))


def stored_indicator_progress(indicators) -> list[IndicatorProgress]:
    """The stored progress of each indicator, as :func:`indicator_progress` would compute it
    now (a test holds them equal after every kind of write). One query for the stored series
    and their indicator records, whatever the number of indicators or observations; an indicator
    with nothing stored (written around the services) shows insufficient data and says why."""
    indicators = list(indicators)
    by_indicator: dict[int, list[tuple]] = defaultdict(list)
    if indicators:
        for row in (
            ProgressRecord.objects.filter(
                local_indicator_id__in=[ind.pk for ind in indicators], series__isnull=False
            )
            .order_by("local_indicator_id", "series__position")
            .values_list(*_SERIES_ROW)
        ):
            by_indicator[row[0]].append(row)
    out = []
    for ind in indicators:
        rows = by_indicator.get(ind.pk)
        if not rows:
            out.append(_not_computed(ind))
            continue
        series = tuple(
            SeriesProgress(
                key=row[1 : 1 + len(DISAGGREGATIONS)],
                points=tuple((year, float(value)) for year, value in row[_PROGRESS_AT - 1]),
                progress=_progress_from_row(row),
            )
            for row in rows
        )
        status, score, n_series, n_assessed, n_insufficient, worst_index = rows[0][_RECORD_AT:]
        worst = None if worst_index is None else series[worst_index].progress
        summary = Aggregate(Status(status), score, n_series, n_assessed, n_insufficient, worst, worst_index)
        out.append(IndicatorProgress(indicator=ind, series=series, aggregate=summary))
    return out


def _stored_is_as_of(item: IndicatorProgress, year: int) -> bool:
    """Whether an indicator's stored (present) progress is what the engine computes as of
    ``year``: ``as_of`` only ignores points after ``year`` and judges a target year against
    ``year`` (:func:`apps.indicators.progress.compute_progress`), so the two agree when no
    stored point (the baseline from the metadata included) is after ``year``, and ``year`` is
    not past the target year unless every series has a value after that year as well (``value
    == value``: neither None nor NaN, the values the engine keeps)."""
    if item.series[0].progress.note == NOT_COMPUTED:
        return False
    if any(point_year > year for series in item.series for point_year, _ in series.points):
        return False
    ind = item.indicator
    if ind.target_value is None or ind.is_binary:
        return True
    target_year = DEFAULT_TARGET_YEAR if ind.target_year is None else ind.target_year
    return year <= target_year or all(
        any(
            point_year > target_year and value is not None and value == value
            for point_year, value in series.points
        )
        for series in item.series
    )


def progress_as_of(indicators, year: int) -> list[IndicatorProgress]:
    """Progress of each indicator as of ``year``, equal to ``indicator_progress(indicators,
    as_of=year)`` (a test holds them equal): the stored progress where it is the same
    (:func:`_stored_is_as_of`: a report of the present year, the usual draft), computed from the
    observations of the other indicators only. Queries: the stored series, then the observations
    only if some indicator needs them."""
    stored = stored_indicator_progress(indicators)
    fresh = {
        item.indicator.pk: item
        for item in indicator_progress(
            [item.indicator for item in stored if not _stored_is_as_of(item, year)], as_of=year
        )
    }
    return [fresh.get(item.indicator.pk, item) for item in stored]


def _summaries(rows) -> dict:
    """``{key: Summary}`` from ``(key, status, n)`` rows (a missing record counts as
    insufficient data)."""
    counts: dict = defaultdict(dict)
    for key, status, n in rows:
        status = Status(status or Status.INSUFFICIENT_DATA)
        counts[key][status] = counts[key].get(status, 0) + n
    return {key: summary_from_counts(by_status) for key, by_status in counts.items()}


def _ids(indicators: QuerySet) -> QuerySet:
    return indicators.prefetch_related(None).order_by().values("pk")


def stored_goal_summaries(indicators: QuerySet) -> dict[tuple[int, int], Summary]:
    """``{(municipality id, goal number): Summary}`` of the stored statuses of ``indicators`` (a
    queryset: ``for_user`` and any filters), counted in the database in one query. An indicator
    aligned to several targets of a goal counts once for that goal."""
    rows = (
        IndicatorAlignment.objects.filter(local_indicator__in=_ids(indicators))
        .order_by()
        .values_list(
            "local_indicator__municipality_id",
            "target__goal__number",
            "local_indicator__progress_record__status",
        )
        .annotate(n=Count("local_indicator_id", distinct=True))
    )
    return _summaries([*(((m, g), status, n) for m, g, status, n in rows), *_crosswalk_rows(indicators)])


def _crosswalk_rows(indicators: QuerySet) -> list[tuple]:
    """``((municipality id, goal number), status, 1)`` for each goal an indicator of
    ``indicators`` reaches only through the crosswalk (its framework nodes), as
    :func:`aligned_targets` counts it; one query when no indicator has a node."""
    with_nodes = list(
        LocalIndicator.framework_nodes.through.objects.filter(localindicator__in=_ids(indicators))
        .order_by()
        .values_list("localindicator_id", flat=True)
        .distinct()
    )
    reached = crosswalk_targets(LocalIndicator, with_nodes)
    if not reached:
        return []
    goal_of = dict(Target.objects.values_list("pk", "goal__number"))
    direct: dict[int, set[int]] = defaultdict(set)
    facts: dict[int, tuple[int, str | None]] = {}
    for pk, municipality_id, status, number in LocalIndicator.objects.filter(
        pk__in=list(reached)
    ).values_list("pk", "municipality_id", "progress_record__status", "alignments__target__goal__number"):
        facts[pk] = (municipality_id, status)
        if number:
            direct[pk].add(number)
    return [
        ((facts[pk][0], number), facts[pk][1], 1)
        for pk, targets in reached.items()
        for number in {goal_of[t] for t in targets} - direct[pk]
    ]


def stored_overall_summaries(indicators: QuerySet) -> dict[int, Summary]:
    """``{municipality id: Summary}`` of the stored statuses of ``indicators``, one query."""
    rows = (
        indicators.prefetch_related(None)
        .order_by()
        .values_list("municipality_id", "progress_record__status")
        .annotate(n=Count("pk"))
    )
    return _summaries(rows)


def _with_alignments(progresses: Iterable[IndicatorProgress]) -> list[IndicatorProgress]:
    """Make sure the alignments are prefetched (one query for all that lack them, never one
    per indicator), whatever queryset the caller started from."""
    progresses = list(progresses)
    missing = [
        p.indicator
        for p in progresses
        if "alignments" not in getattr(p.indicator, "_prefetched_objects_cache", {})
    ]
    if missing:
        prefetch_related_objects(missing, _ALIGNMENTS)
    attach_crosswalk_targets([p.indicator for p in progresses])
    return progresses


def attach_crosswalk_targets(indicators: list[LocalIndicator]) -> None:
    """Set ``_crosswalk_targets`` on each indicator that lacks it: the UN targets (with their
    goal) that its framework nodes reach through the crosswalk (apps.frameworks.selectors), so
    that every summary counts an indicator under them as under a target set directly. One
    query when no indicator is aligned to a framework node; call it once for a whole page."""
    missing = [i for i in indicators if "_crosswalk_targets" not in i.__dict__]
    if not missing:
        return
    reached = crosswalk_targets(LocalIndicator, [i.pk for i in missing])
    ids = set().union(*reached.values()) if reached else set()
    targets = Target.objects.select_related("goal").in_bulk(ids) if ids else {}
    for indicator in missing:
        found = [targets[t] for t in reached.get(indicator.pk, ())]
        indicator._crosswalk_targets = sorted(found, key=lambda t: t.sort_key)


def aligned_targets(indicator: LocalIndicator) -> list:
    """The UN targets an indicator counts under: set directly, then reached by the crosswalk."""
    direct = [alignment.target for alignment in indicator.alignments.all()]
    seen = {t.pk for t in direct}
    return direct + [t for t in indicator.__dict__.get("_crosswalk_targets", ()) if t.pk not in seen]


def goal_summaries(progresses: Iterable[IndicatorProgress]) -> dict[int, Summary]:
    """For each of goals 1..17: counts of indicators per status and the share on track or
    achieved. An indicator aligned to several targets of one goal counts once for that goal."""
    progresses = _with_alignments(progresses)
    statuses: dict[int, dict[int, Status]] = {number: {} for number in range(1, 18)}
    for item in progresses:
        for target in aligned_targets(item.indicator):
            statuses.setdefault(target.goal.number, {})[item.indicator.pk] = item.status
    return {number: summarise(by_indicator.values()) for number, by_indicator in sorted(statuses.items())}


def target_summaries(progresses: Iterable[IndicatorProgress]) -> dict[str, Summary]:
    """Counts per status for every target that has at least one aligned local indicator,
    keyed by target code, in framework order."""
    statuses: dict[str, list[Status]] = {}
    order: dict[str, str] = {}
    for item in _with_alignments(progresses):
        for target in aligned_targets(item.indicator):
            statuses.setdefault(target.code, []).append(item.status)
            order[target.code] = target.sort_key
    return {code: summarise(statuses[code]) for code in sorted(statuses, key=order.__getitem__)}


@dataclass(frozen=True, slots=True)
class MunicipalityProgress:
    """Everything a dashboard needs: per-indicator progress and the goal/target summaries."""

    indicators: list[IndicatorProgress]
    goals: dict[int, Summary]
    targets: dict[str, Summary]

    @property
    def overall(self) -> Summary:
        return summarise(self.indicators)


def municipality_progress(*, municipality, user=None, as_of: int | None = None) -> MunicipalityProgress:
    """Progress of a municipality's local indicators visible to ``user`` (all when None).
    Queries: scope (when a user is given), indicators, alignments, observations."""
    progresses = indicator_progress(local_indicators_for(municipality=municipality, user=user), as_of=as_of)
    return MunicipalityProgress(
        indicators=progresses,
        goals=goal_summaries(progresses),
        targets=target_summaries(progresses),
    )


# ------------------------------------------------------------------------------ history

INDICATOR_HISTORY_FIELDS = (*LocalIndicator.EDITABLE_FIELDS, "retired_at")
OBSERVATION_HISTORY_FIELDS = (
    "year",
    "quarter",
    *DISAGGREGATIONS,
    "value",
    "source",
    "is_provisional",
    "is_estimated",
    "note",
)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change on the indicator page's history: who, when, what (field, before, after), and
    whether the version can be put back (``restore_kind`` "indicator" or "observation")."""

    when: object
    who: str
    kind: str  # "indicator", "observation" or "alignment"
    action: str  # simple-history's "+", "~", "-"
    subject: str
    changes: tuple[tuple[str, object, object], ...]
    reason: str
    history_id: int
    restorable: bool


def _observation_subject(record) -> str:
    period = f"{record.year}" + (f" Q{record.quarter}" if record.quarter else "")
    parts = [
        p
        for p in (record.sex, record.age_group, record.district, record.income_group, record.disability)
        if p
    ]
    return period + (f" ({', '.join(parts)})" if parts else "")


def _entries(records, fields, kind: str, subject, restorable) -> list[HistoryEntry]:
    out, previous = [], {}
    for index, record in enumerate(records):
        before = previous.get(record.id)
        if record.history_type == "~" and before is not None:
            changes = tuple(
                (f, getattr(before, f), getattr(record, f))
                for f in fields
                if getattr(before, f) != getattr(record, f)
            )
        elif record.history_type == "-":
            changes = ()
        else:
            changes = tuple(
                (f, None, getattr(record, f)) for f in fields if getattr(record, f) not in (None, "")
            )
        user = record.history_user
        out.append(
            HistoryEntry(
                when=record.history_date,
                who=user.get_username() if user else "",
                kind=kind,
                action=record.history_type,
                subject=subject(record),
                changes=changes,
                reason=record.history_change_reason or "",
                history_id=record.history_id,
                restorable=restorable(record, records[index + 1 :]),
            )
        )
        previous[record.id] = record
    return out


def indicator_history(indicator: LocalIndicator, *, limit: int = 100) -> list[HistoryEntry]:
    """Every recorded change of an indicator, its SDG alignments and its values, newest first
    (django-simple-history rows; three queries). An earlier version of the indicator, and any
    version of a value that is not its current state (a deleted value included), can be restored."""
    by_date = ("history_date", "history_id")
    indicator_rows = list(indicator.history.select_related("history_user").order_by(*by_date))
    alignment_rows = list(
        IndicatorAlignment.history.filter(local_indicator_id=indicator.pk)
        .select_related("history_user", "target")
        .order_by(*by_date)
    )
    value_rows = list(
        Observation.history.filter(local_indicator_id=indicator.pk)
        .select_related("history_user")
        .order_by(*by_date)
    )

    def value_restorable(record, later) -> bool:
        # The newest row of a value that still exists is what the table already shows.
        return record.history_type == "-" or any(r.id == record.id for r in later)

    entries = [
        *_entries(
            indicator_rows,
            INDICATOR_HISTORY_FIELDS,
            "indicator",
            lambda r: r.code,
            lambda record, later: bool(later) and record.history_type != "-",
        ),
        *_entries(alignment_rows, ("alignment",), "alignment", lambda r: r.target.code, lambda *_: False),
        *_entries(
            value_rows, OBSERVATION_HISTORY_FIELDS, "observation", _observation_subject, value_restorable
        ),
    ]
    entries.sort(key=lambda e: (e.when, e.history_id), reverse=True)
    return entries[:limit]


def public_indicators_by_goal(municipality_ids) -> dict[int, dict[int, list[dict]]]:
    """Public local indicators of the given municipalities, by municipality id then SDG goal
    number (an indicator aligned to two goals is listed under both): ``{"id", "code",
    "name_ko", "name_en"}`` rows, one query. For the public site's index of cities."""
    out: dict[int, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    seen = set()
    rows = (
        IndicatorAlignment.objects.filter(
            local_indicator__municipality_id__in=list(municipality_ids), local_indicator__is_public=True
        )
        .order_by("local_indicator__municipality_id", "target__goal__number", "local_indicator__code")
        .values_list(
            "local_indicator__municipality_id",
            "target__goal__number",
            "local_indicator_id",
            "local_indicator__code",
            "local_indicator__name_ko",
            "local_indicator__name_en",
        )
    )
    for muni_id, goal, pk, code, name_ko, name_en in rows:
        if (goal, pk) in seen:
            continue
        seen.add((goal, pk))
        out[muni_id][goal].append({"id": pk, "code": code, "name_ko": name_ko, "name_en": name_en})
    return {muni: dict(goals) for muni, goals in out.items()}

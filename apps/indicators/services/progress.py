"""The stored progress (:class:`~apps.indicators.models.ProgressRecord` and its series): the one
function that writes it, :func:`progress_refresh`.

Every service that changes what progress depends on calls it in its own transaction, after its
write: the value services and the observation import (both bulk paths), the indicator services
and the indicator import (direction, baseline, target, binary flag; a new indicator gets its
record). Alignments and retirement do not change an indicator's progress: readers join them live.
``manage.py rebuild_progress`` and the demo and scale data call it for whole municipalities.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction

from ..choices import DISAGGREGATIONS
from ..models import LocalIndicator, Observation, ProgressRecord, SeriesProgressRecord
from ..selectors import PROGRESS_ROW_FIELDS, STORED_COLUMNS, IndicatorProgress, progress_of_indicator
from .bulk import bulk_insert, sql_bulk_writes

BATCH = 1000  # indicators per round: bounded memory for a whole-network rebuild

# What the engine reads of an indicator (selectors.progress_of_indicator).
INDICATOR_FIELDS = (
    "id",
    "direction",
    "is_binary",
    "baseline_year",
    "baseline_value",
    "target_year",
    "target_value",
)


# A stored series as a row: its record, position, key, points, then every Progress number.
_SERIES_FIELDS = ("record_id", "position", *DISAGGREGATIONS, "points", *STORED_COLUMNS.values())
_TEXT = {"method", "status", "escap_status"}  # enums, stored as their value ("" for none)


def _series_values(indicator_id: int, position: int, series) -> tuple:
    """The ``_SERIES_FIELDS`` values of one computed series."""
    progress = series.progress
    numbers = (
        str(getattr(progress, name) or "") if column in _TEXT else getattr(progress, name)
        for name, column in STORED_COLUMNS.items()
    )
    return (indicator_id, position, *series.key, [list(point) for point in series.points], *numbers)


def _store(results: list[IndicatorProgress]) -> None:
    """Upsert the indicators' records and replace their series. The series rows (tens of
    thousands after a large import) are inserted with one bulk statement
    (:func:`.bulk.bulk_insert`), their points adapted by the JSON field itself: the ORM's
    ``bulk_create`` prepared every one of their 34 values and, on SQLite, sent 29 rows a
    statement — 1.2 s of a 100,000-row import's 11 (bench_export.py). With the switch off
    (:func:`.bulk.sql_bulk_writes`) ``bulk_create`` writes them; a test compares the two."""
    ids = [result.indicator.pk for result in results]
    ProgressRecord.objects.bulk_create(
        [
            ProgressRecord(
                local_indicator_id=result.indicator.pk,
                status=str(result.aggregate.status),
                score=result.aggregate.score,
                n_series=result.aggregate.n_series,
                n_assessed=result.aggregate.n_assessed,
                n_insufficient=result.aggregate.n_insufficient,
                worst_index=result.aggregate.worst_index,
            )
            for result in results
        ],
        update_conflicts=True,
        unique_fields=["local_indicator"],
        update_fields=["status", "score", "n_series", "n_assessed", "n_insufficient", "worst_index"],
    )
    SeriesProgressRecord.objects.filter(record_id__in=ids).delete()
    rows = [
        _series_values(result.indicator.pk, position, series)
        for result in results
        for position, series in enumerate(result.series)
    ]
    if not sql_bulk_writes():
        SeriesProgressRecord.objects.bulk_create(
            [SeriesProgressRecord(**dict(zip(_SERIES_FIELDS, row))) for row in rows], batch_size=BATCH
        )
        return
    meta = SeriesProgressRecord._meta
    points = _SERIES_FIELDS.index("points")
    adapt = meta.get_field("points").get_db_prep_save
    bulk_insert(
        meta.db_table,
        [meta.get_field(name).column for name in _SERIES_FIELDS],
        [(*row[:points], adapt(row[points], connection), *row[points + 1 :]) for row in rows],
    )


@transaction.atomic
def progress_refresh(
    *, indicator_ids: Iterable[int] | None = None, municipality_ids: Iterable[int] | None = None
) -> int:
    """Recompute and store the progress of the given indicators (or of every indicator of the
    given municipalities, or of all when neither is given); returns how many were stored.

    The indicators are locked first (``SELECT … FOR NO KEY UPDATE`` on PostgreSQL, which value
    writes' foreign-key locks do not block), so two transactions changing values of one indicator
    refresh it one after the other and the second reads the first's committed values.
    Queries per 1,000 indicators: the locked indicators, their observations, the upsert of the
    records, the delete and insert of their series.
    """
    qs = LocalIndicator.objects.order_by("pk")
    if indicator_ids is not None:
        wanted = sorted(set(indicator_ids))
        batches = [wanted[i : i + BATCH] for i in range(0, len(wanted), BATCH)]
    else:
        if municipality_ids is not None:
            qs = qs.filter(municipality_id__in=list(municipality_ids))
        all_ids = list(qs.values_list("pk", flat=True))
        batches = [all_ids[i : i + BATCH] for i in range(0, len(all_ids), BATCH)]
    stored = 0
    for batch in batches:
        indicators = list(
            LocalIndicator.objects.filter(pk__in=batch)
            .order_by("pk")
            .select_for_update(no_key=True)
            .only(*INDICATOR_FIELDS)
        )
        if not indicators:
            continue
        rows: dict[int, list[tuple]] = defaultdict(list)
        for row in (
            Observation.objects.filter(local_indicator_id__in=[ind.pk for ind in indicators])
            .order_by()
            .values_list(*PROGRESS_ROW_FIELDS)
        ):
            rows[row[0]].append(row)
        _store([progress_of_indicator(ind, rows.get(ind.pk, ())) for ind in indicators])
        stored += len(indicators)
    return stored

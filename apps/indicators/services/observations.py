"""Writes on observations: one value at a time (create, update, delete, restore, with the
plausibility warnings; the indicator page and the API both call these) and the import in the
statistical annex layout (see :mod:`.imports` for its contract)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC

from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from apps.core.exceptions import ApplicationError
from apps.core.layout import ANNEX_COLUMNS, ANNEX_SHEET
from apps.core.permissions import Action

from ..choices import Origin
from ..models import PROVENANCE_FIELDS, LocalIndicator, Observation
from ..units import convert, normalise_unit, unit_factor
from .bulk import bulk_insert, sql_bulk_writes
from .imports import (
    BATCH_SIZE,
    ImportReport,
    _bool,
    _cell,
    _code,
    _float,
    _int,
    _municipality_codes,
    _municipality_for_row,
    _no_progress,
    _parse_disability,
    _parse_sex,
    _quarter,
    _read,
    _require_edit,
    _resolve_municipalities,
    _RowParser,
    _run,
    _text,
    clip,
)
from .progress import progress_refresh

# ------------------------------------------------------------------------------ observations

_KEY_FIELDS = (
    "local_indicator_id",
    "year",
    "quarter",
    "sex",
    "age_group",
    "district",
    "income_group",
    "disability",
)
_OBS_FIELDS = ("value", "source", "is_provisional", "is_estimated", "note")
_DEFAULTS = (None, "", False, False, "")  # of _OBS_FIELDS, for a new row whose column is absent
# Where a value came from (README "Tables as cities and KOSIS keep them"): written with the value
# when it is created or changed, not compared (a value read again from another file is unchanged).
_PROV_FIELDS = PROVENANCE_FIELDS  # imported_by, imported_at last
_ROW_FIELDS = (*_OBS_FIELDS, *_PROV_FIELDS)


def provenance(
    *,
    kind: str,
    actor,
    file: str = "",
    sheet: str | None = "",
    cell: str = "",
    kosis: tuple[str, str, str, str, str, str] = ("", "", "", "", "", ""),
) -> tuple:
    """The ``_PROV_FIELDS`` values of a value stored now by ``actor``: ``kind`` (an
    :class:`~apps.indicators.choices.Origin`), the file, sheet and cell it was read from, or
    ``kosis`` = (ORG_ID, TBL_ID, ITM_ID, classification, PRD_DE, LST_CHN_DE)."""
    user_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    return (kind, file[:255], (sheet or "")[:100], cell[:20], *kosis, user_id, when)


# The fields of a row tuple as model attributes (the tuples hold the user's id and the time as
# adapted for the database).
_INSTANCE_FIELDS = (*_KEY_FIELDS, *_ROW_FIELDS[:-2], "imported_by_id", "imported_at")


def _instances(rows: list[tuple], names: tuple[str, ...]) -> list[Observation]:
    """Observations of ``rows`` (values of ``names``), for simple-history's bulk functions."""
    objs = [Observation(**dict(zip(names, row))) for row in rows]
    for obj in objs:  # SQLite's adapted time is naive UTC text
        when = Observation._meta.get_field("imported_at").to_python(obj.imported_at)
        obj.imported_at = timezone.make_aware(when, UTC) if timezone.is_naive(when) else when
    return objs


def _insert_observations_with_history(rows: list[tuple], actor, reason: str) -> None:
    """Insert new observations, ``(*_KEY_FIELDS, *_ROW_FIELDS)`` values each, and their history rows.

    The rows go into a temporary table with one bulk insert (:func:`.bulk.bulk_insert`), and two
    statements copy them on inside the database: ``INSERT … SELECT`` into the observations, in
    file order, and the history rows (:func:`_history_of`), joining the new observations back on
    their unique key (indicator, period, disaggregation) for their ids. The ORM path prepares
    every value of every row and, on SQLite, splits the insert into 66-row statements (Django's
    999-parameter limit) — about 14 times slower, more than reading the spreadsheet itself at
    100,000 rows; and inserting the observations from Python, reading their new ids back and
    sending every row again for its history row cost twice as much as this (bench_export.py).
    """
    if not sql_bulk_writes():
        bulk_create_with_history(
            _instances(rows, _INSTANCE_FIELDS),
            Observation,
            batch_size=BATCH_SIZE,
            default_user=actor,
            default_change_reason=reason,
        )
        return
    meta = Observation._meta
    quote = connection.ops.quote_name
    fields = [meta.get_field(name) for name in (*_KEY_FIELDS, *_ROW_FIELDS)]
    columns = ", ".join(quote(f.column) for f in fields)
    with _temporary_table(
        "vlr_import_new",
        [("position", meta.pk.rel_db_type(connection)), *((f.column, f.db_type(connection)) for f in fields)],
        [(position, *row) for position, row in enumerate(rows)],
    ) as (cursor, temp):
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT {columns} FROM {temp} ORDER BY {quote('position')}"
        )
        key = " AND ".join(f"o.{quote(f.column)} = n.{quote(f.column)}" for f in fields[: len(_KEY_FIELDS)])
        _history_of(cursor, temp, key, "+", actor, reason)


def _update_observations_with_history(rows: list[tuple], fields: list[str], actor, reason: str) -> None:
    """Write the new state of changed observations, ``(id, *_KEY_FIELDS, *_ROW_FIELDS)`` each, and
    their "~" history rows; only ``fields`` are written.

    Django's ``bulk_update`` (inside simple-history's ``bulk_update_with_history``, the way taken
    when :func:`.bulk.sql_bulk_writes` is off) compiles a ``CASE WHEN id = … THEN …`` expression per
    field per batch: building and compiling those expressions cost 26 s of Python for 20,000
    rows (134 s for 108,000 on PostgreSQL, against 11.5 s to create them). Here the new values
    go into a temporary table with the same bulk insert as creation, one ``UPDATE … FROM`` joins
    on the id, and the history rows are written like those of created rows.
    """
    if not sql_bulk_writes():
        bulk_update_with_history(
            _instances(rows, ("id", *_INSTANCE_FIELDS)),
            Observation,
            fields,
            batch_size=BATCH_SIZE,
            default_user=actor,
            default_change_reason=reason,
        )
        return
    meta = Observation._meta
    quote = connection.ops.quote_name
    pk = quote(meta.pk.column)
    written = [meta.get_field(name) for name in fields]
    positions = [1 + len(_KEY_FIELDS) + _ROW_FIELDS.index(name) for name in fields]
    with _temporary_table(
        "vlr_import_update",
        [(meta.pk.column, f"{meta.pk.rel_db_type(connection)} PRIMARY KEY")]
        + [(f.column, f.db_type(connection)) for f in written],
        [(row[0], *(row[i] for i in positions)) for row in rows],
    ) as (cursor, temp):
        table = quote(meta.db_table)
        assignments = ", ".join(f"{quote(f.column)} = n.{quote(f.column)}" for f in written)
        cursor.execute(f"UPDATE {table} SET {assignments} FROM {temp} AS n WHERE {table}.{pk} = n.{pk}")
        _history_of(cursor, temp, f"o.{pk} = n.{pk}", "~", actor, reason)


@contextmanager
def _temporary_table(name: str, columns: list[tuple[str, str]], rows: list[tuple]):
    """A temporary table ``name`` of ``columns`` (name, database type) holding ``rows``, as
    ``(cursor, quoted name)``, dropped after the block. PostgreSQL then ANALYZEs it: a fresh
    temporary table has no statistics for the planner to join it by."""
    quote = connection.ops.quote_name
    temp = quote(name)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {temp} ({', '.join(f'{quote(c)} {t}' for c, t in columns)})")
        bulk_insert(name, [c for c, _t in columns], rows)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {temp}")
        yield cursor, temp
        cursor.execute(f"DROP TABLE {temp}")


def _history_of(cursor, temp: str, on: str, history_type: str, actor, reason: str) -> None:
    """One history row for each observation (alias ``o``) joined ``on`` a row of the temporary
    table ``temp`` (alias ``n``), holding its state after the write, as simple-history writes
    it: ``history_type``, one ``history_date`` for the whole import, the actor as
    ``history_user`` and ``import <file>`` as change reason."""
    hmeta, meta = Observation.history.model._meta, Observation._meta
    quote = connection.ops.quote_name
    names = ("id", *_KEY_FIELDS, *_ROW_FIELDS)
    history = ("history_date", "history_type", "history_user", "history_change_reason")
    columns = ", ".join(quote(hmeta.get_field(name).column) for name in (*names, *history))
    values = ", ".join(f"o.{quote(meta.get_field(name).column)}" for name in names)
    user_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    cursor.execute(
        f"INSERT INTO {quote(hmeta.db_table)} ({columns}) SELECT {values}, %s, %s, %s, %s "
        f"FROM {temp} AS n JOIN {quote(meta.db_table)} AS o ON {on}",
        [when, history_type, user_id, reason],
    )


def observations_import(
    *, file, municipality=None, actor=None, dry_run: bool = False, progress=_no_progress
) -> ImportReport:
    """Create or update observations from a statistical-annex spreadsheet (xlsx or csv).

    ``file``: a path, bytes or a file-like object (e.g. an upload). ``municipality``: import
    into this municipality only (rows naming another one are errors); without it every row
    needs a municipality code. Raises :class:`SpreadsheetImportError` (nothing saved) when a
    cell is wrong or a row would add or change a value of a retired indicator,
    ``SpreadsheetError`` when the file is not a readable spreadsheet.

    Queries are fixed: municipalities, indicators, existing observations, then the bulk inserts
    and updates (through a temporary table) and their history rows.
    """
    _require_edit(actor, municipality)
    table, report, rows = _read(
        file, ANNEX_COLUMNS, ANNEX_SHEET, kind="observations", dry_run=dry_run, progress=progress
    )

    def write():
        if municipality is None and "municipality_code" not in table.columns:
            report.error(
                table.header_row,
                "municipality_code",
                "필수 열이 없습니다 (또는 --municipality로 지정하세요) / required column is missing "
                "(or give the municipality with --municipality)",
            )
            return
        municipalities = _resolve_municipalities(_municipality_codes(table, rows), municipality, actor)
        by_id = {m.pk: m for m in municipalities.values()}
        indicators = LocalIndicator.objects.filter(municipality_id__in=list(by_id))
        if actor is not None:
            indicators = indicators.for_user(actor, Action.EDIT)
        indicator_ids, units = {}, {}
        for pk, muni_id, code, unit in indicators.values_list("id", "municipality_id", "code", "unit"):
            indicator_ids[(muni_id, code)] = pk
            units[pk] = unit
        c = table.columns
        i_code, i_year, i_value, i_unit = c["indicator_code"], c["year"], c["value"], c.get("unit")
        i_quarter, i_sex, i_age, i_district = (
            c.get("quarter"),
            c.get("sex"),
            c.get("age_group"),
            c.get("district"),
        )
        i_income, i_disability, i_source = c.get("income_group"), c.get("disability"), c.get("source")
        i_prov, i_est, i_note = c.get("provisional"), c.get("estimated"), c.get("note")
        # A column absent from the file leaves the stored value alone (a new row gets the default);
        # only a present column, blank cells included, is written.
        absent = [n for n, index in enumerate((i_value, i_source, i_prov, i_est, i_note)) if index is None]
        where = table.where
        seen: dict[tuple, int] = {}
        keyed: list[tuple] = []  # (_KEY_FIELDS values, _OBS_FIELDS values, where, _PROV_FIELDS values)
        single = municipality if "municipality_code" not in c else None
        origin = provenance(kind=Origin.FILE, actor=actor, file=report.file, sheet=report.sheet)
        origin, origin_rest = origin[:3], origin[4:]  # the cell differs per row
        value_letter, code_column = table.letters.get("value"), where("indicator_code")

        for row_number, values in rows:
            errors_before = report.error_count
            muni = single or _municipality_for_row(
                values, table, municipality, municipalities, report, row_number
            )
            parse = _RowParser(report, table, row_number, values)

            code = _code(_cell(values, i_code))
            indicator_id = None
            if not code:
                report.error(
                    row_number, where("indicator_code"), "지표 코드가 없습니다 / indicator code is missing"
                )
            elif muni is not None:
                indicator_id = indicator_ids.get((muni.pk, code))
                if indicator_id is None:
                    report.error(
                        row_number,
                        where("indicator_code"),
                        f"{muni.code}에 없는 지표 코드 / unknown indicator code in {muni.code}: {clip(code)}",
                    )
            year = parse.at("year", i_year, _int, low=1900, high=2100)
            quarter = parse.at("quarter", i_quarter, _quarter)
            sex = parse.at("sex", i_sex, _parse_sex)
            age = parse.at("age_group", i_age, _text, 40)
            district = parse.at("district", i_district, _text, 100)
            income = parse.at("income_group", i_income, _text, 40)
            disability = parse.at("disability", i_disability, _parse_disability)
            value = parse.at("value", i_value, _float)
            unit = parse.at("unit", i_unit, _code, 50)
            source = parse.at("source", i_source, _text, 300)
            provisional = parse.at("provisional", i_prov, _bool)
            estimated = parse.at("estimated", i_est, _bool)
            note = parse.at("note", i_note, _text)
            if unit and indicator_id is not None and value is not None:
                value = _in_indicator_unit(value, unit, units[indicator_id], code, report, row_number, where)
            if report.error_count != errors_before:
                continue
            key = (indicator_id, year, quarter, sex, age, district, income, disability)
            first = seen.get(key)
            if first is not None:
                report.error(
                    row_number,
                    where("indicator_code"),
                    f"{first}행과 같은 지표·기간·세분류입니다 / duplicate of row {first} "
                    "(same indicator, period and disaggregation)",
                )
                continue
            seen[key] = row_number
            cell = f"{value_letter}{row_number}" if value_letter else ""
            keyed.append(
                (
                    key,
                    (value, source, provisional, estimated, note),
                    (row_number, code_column),
                    (*origin, cell, *origin_rest),
                )
            )
        _observations_save(report, keyed, absent, list(by_id), actor)  # writes nothing after an error

    return _run(report, dry_run, write, progress)


def _observations_save(
    report: ImportReport,
    keyed: list[tuple[tuple, tuple, tuple]],
    absent: list[int],
    municipality_ids: list,
    actor,
) -> None:
    """Write checked rows — (``_KEY_FIELDS`` values, ``_OBS_FIELDS`` values, (row, column) for
    an error, ``_PROV_FIELDS`` values from :func:`provenance`) — of an import: new ones created, changed ones updated, equal ones counted
    unchanged; the fields at the ``absent`` positions of ``_OBS_FIELDS`` (columns the file
    lacks) keep what is stored. A row that would add or change a value of a retired indicator
    is an error and nothing is written (one repeating a stored value writes nothing, so a full
    annex re-imported still passes). Nothing is written either when ``report`` already holds
    an error: callers pass their checked rows anyway, so that one run lists every error.
    Shared by the annex import, the import of tables as cities keep them (:mod:`.tables`) and
    the KOSIS refresh (:mod:`.kosis`)."""
    existing = {}
    for obs in Observation.objects.filter(local_indicator__municipality_id__in=municipality_ids).values_list(
        "id", *_KEY_FIELDS, *_OBS_FIELDS
    ):
        existing[obs[1:9]] = obs
    retired = dict(
        LocalIndicator.objects.filter(
            municipality_id__in=municipality_ids, retired_at__isnull=False
        ).values_list("id", "code")
    )
    written = [name for n, name in enumerate(_OBS_FIELDS) if n not in absent] + list(_PROV_FIELDS)
    to_create: list[tuple] = []  # _KEY_FIELDS + _ROW_FIELDS values
    to_update: list[tuple] = []  # id + _KEY_FIELDS + _ROW_FIELDS values
    for key, given, (row, column), origin in keyed:
        old = existing.get(key)
        stored = _DEFAULTS if old is None else old[9:]
        fields = tuple(stored[n] if n in absent else v for n, v in enumerate(given)) if absent else given
        if key[0] in retired and (old is None or stored != fields):
            code = clip(retired[key[0]])
            report.error(
                row,
                column,
                f"지표 {code}은(는) 폐지되어 값을 넣거나 바꿀 수 없습니다 (먼저 복원하세요) / "
                f"indicator {code} is retired: it takes no new or changed values (reinstate it first)",
            )
        elif old is None:
            to_create.append(key + fields + origin)
        elif stored != fields:
            to_update.append((old[0], *key, *fields, *origin))
        else:
            report.unchanged += 1
    if report.error_count:
        report.errors.sort(key=lambda error: error.row)  # the retired rows among the others
        return
    reason = f"import {report.file}"[:100]
    if to_create:
        _insert_observations_with_history(to_create, actor, reason)
    if to_update:
        _update_observations_with_history(to_update, written, actor, reason)
    if to_create or to_update:  # once, after both writes: an indicator with new and changed values
        progress_refresh(indicator_ids={row[0] for row in to_create} | {row[1] for row in to_update})
    report.created, report.updated = len(to_create), len(to_update)


def _in_indicator_unit(
    value: float, unit: str, indicator_unit: str, code: str, report: ImportReport, row_number: int, where
) -> float | None:
    """``value`` given in ``unit`` expressed in the indicator's unit, recording the conversion in
    the report; None after recording a row error when no known conversion applies."""
    factor = unit_factor(unit, indicator_unit) if indicator_unit else None
    if factor is None:
        if indicator_unit:
            message = (
                f"단위가 지표의 단위({clip(indicator_unit)})와 다르고 알려진 환산이 없습니다 / the unit differs "
                f"from the indicator's ({clip(indicator_unit)}) and no known conversion applies: {clip(unit)}"
            )
        else:
            message = (
                f"지표 {clip(code)}에 단위가 없습니다. 지표의 단위를 먼저 정하세요 / indicator {clip(code)} has no "
                f"unit; set the indicator's unit before importing values in {clip(unit)}"
            )
        report.error(row_number, where("unit"), message)
        return None
    if factor != 1:
        report.converted(code, normalise_unit(unit), indicator_unit)
    return convert(value, factor)


# ------------------------------------------------------------------------------ one value
# The one write path for a single value: the indicator page and the API serializer call these.

EDITABLE_FIELDS = (*_KEY_FIELDS[1:], *_OBS_FIELDS)
FAR_OUTSIDE = 5  # "far outside the series": beyond this many spreads from the other values


class PlausibilityWarning(ApplicationError):
    """The value looks wrong; nothing was saved. Saved only when the user confirms (``confirmed``)."""

    default_code = "needs_confirmation"

    def __init__(self, warnings: list[str]):
        super().__init__(
            "확인이 필요한 값입니다 / please confirm or correct this value: " + " ".join(warnings),
            extra={"errors": {"value": warnings}},
        )
        self.warnings = warnings


def observation_warnings(*, observation: Observation, unit: str = "") -> list[str]:
    """Why a value may be a slip (bilingual sentences; empty when it looks plausible):
    far outside the other values of its series, a year before the indicator's baseline year,
    or written with a unit (``unit``, as typed) other than the indicator's."""
    indicator = observation.local_indicator
    warnings = []
    others = sorted(
        Observation.objects.filter(
            local_indicator=indicator,
            quarter=observation.quarter,
            sex=observation.sex,
            age_group=observation.age_group,
            district=observation.district,
            income_group=observation.income_group,
            disability=observation.disability,
        )
        .exclude(pk=observation.pk)
        .values_list("value", flat=True)
    )
    if others:
        median = others[len(others) // 2]
        spread = max(others[-1] - others[0], abs(median) / 2)
        low, high = others[0] - FAR_OUTSIDE * spread, others[-1] + FAR_OUTSIDE * spread
        if spread and not low <= observation.value <= high:
            warnings.append(
                f"{observation.value:,g}은(는) 이 계열의 다른 값({others[0]:,g}~{others[-1]:,g})과 크게 다릅니다 / "
                f"{observation.value:,g} is far outside the other values of this series ({others[0]:,g}–{others[-1]:,g})"
            )
    if indicator.baseline_year and observation.year < indicator.baseline_year:
        warnings.append(
            f"{observation.year}년은 기준 연도({indicator.baseline_year}) 이전입니다 / "
            f"{observation.year} is before the baseline year ({indicator.baseline_year})"
        )
    unit = unit.strip()
    if unit and normalise_unit(unit) != normalise_unit(indicator.unit):
        warnings.append(
            f"입력한 단위 '{unit}'가 지표 단위 '{indicator.unit or '-'}'와 다릅니다 / "
            f"the unit typed, '{unit}', is not the indicator's unit, '{indicator.unit or '-'}'"
        )
    return warnings


def _require_open(indicator: LocalIndicator) -> None:
    """A retired indicator's values stay as they were: none added, changed, moved or deleted
    (the import refuses its rows alike, ``observations_import``)."""
    if indicator.is_retired:
        raise ApplicationError(
            "폐지된 지표에는 값을 넣거나 그 값을 바꿀 수 없습니다 (먼저 복원하세요) / a retired indicator "
            "takes no new values, and its values are neither changed nor deleted (reinstate it first)",
            code="indicator_retired",
        )


def _observation_save(
    observation: Observation, actor, *, unit: str, confirmed: bool, reason: str | None = None
):
    indicator = observation.local_indicator
    _require_edit(actor, indicator.municipality)
    _require_open(indicator)
    observation.full_clean()
    if not confirmed:
        warnings = observation_warnings(observation=observation, unit=unit)
        if warnings:
            raise PlausibilityWarning(warnings)
    observation._history_user = actor
    if reason:
        observation._change_reason = reason
    observation.save()
    progress_refresh(indicator_ids=[observation.local_indicator_id])
    return observation


@transaction.atomic
def observation_create(
    *,
    indicator: LocalIndicator,
    fields: dict,
    actor,
    unit: str = "",
    confirmed: bool = False,
    origin: str = Origin.MANUAL,
) -> Observation:
    """A new value of ``indicator``, entered by hand (``origin``: the page's form) or through
    the API. Raises :class:`PlausibilityWarning` (nothing saved) when
    :func:`observation_warnings` finds something, unless ``confirmed``."""
    observation = Observation(
        local_indicator=indicator, **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS}
    )
    _stamp(observation, origin, actor)
    return _observation_save(observation, actor, unit=unit, confirmed=confirmed)


def _stamp(observation: Observation, origin: str, actor) -> None:
    """Provenance of a value typed by ``actor`` now: no file, no KOSIS table."""
    values = provenance(kind=origin, actor=actor)
    for name, value in zip(_PROV_FIELDS, values[:-2]):
        setattr(observation, name, value)
    observation.imported_by_id, observation.imported_at = values[-2], timezone.now()


@transaction.atomic
def observation_update(
    *,
    observation: Observation,
    fields: dict,
    actor,
    unit: str = "",
    confirmed: bool = False,
    indicator: LocalIndicator | None = None,
    origin: str = Origin.MANUAL,
) -> Observation:
    """Change a value (``indicator`` moves it to another indicator; the API allows that). A
    changed value (or period, breakdown, indicator) becomes ``origin``'s, typed by ``actor``; a
    changed note or flag keeps the value's provenance."""
    _require_edit(actor, observation.local_indicator.municipality)
    _require_open(observation.local_indicator)  # also when moving a value away from it
    moved_from = observation.local_indicator_id
    before = tuple(getattr(observation, name) for name in ("value", *_KEY_FIELDS))
    if indicator is not None:
        observation.local_indicator = indicator
    for name, value in fields.items():
        if name in EDITABLE_FIELDS:
            setattr(observation, name, value)
    if before != tuple(getattr(observation, name) for name in ("value", *_KEY_FIELDS)):
        _stamp(observation, origin, actor)
    observation = _observation_save(observation, actor, unit=unit, confirmed=confirmed)
    if moved_from != observation.local_indicator_id:
        progress_refresh(indicator_ids=[moved_from])
    return observation


@transaction.atomic
def observation_delete(*, observation: Observation, actor) -> None:
    """Delete a value; its history keeps it, so :func:`observation_restore` can bring it back."""
    _require_edit(actor, observation.local_indicator.municipality)
    _require_open(observation.local_indicator)
    observation._history_user = actor
    indicator_id = observation.local_indicator_id
    observation.delete()
    progress_refresh(indicator_ids=[indicator_id])


@transaction.atomic
def observation_restore(*, indicator: LocalIndicator, history_id: int, actor) -> Observation:
    """Put a value back as it was in one of its history rows (also a deleted value, which
    comes back with its old id). Confirmed by choosing it, so no plausibility question."""
    record = Observation.history.filter(history_id=history_id, local_indicator_id=indicator.pk).first()
    if record is None:
        raise ApplicationError(
            "이 지표의 값 이력이 아닙니다 / not a version of a value of this indicator", code="not_found"
        )
    observation = Observation.objects.filter(pk=record.id).first() or Observation(
        pk=record.id, local_indicator=indicator
    )
    for name in (*EDITABLE_FIELDS, *_PROV_FIELDS[:-2], "imported_by_id", "imported_at"):
        setattr(observation, name, getattr(record, name))  # the value with its provenance
    when = timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M")
    return _observation_save(observation, actor, unit="", confirmed=True, reason=f"restored {when}")

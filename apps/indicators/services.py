"""Writes on local indicators and observations: the spreadsheet imports.

``observations_import`` reads the statistical annex layout (long format, one row per value) and
``indicators_import`` the indicator metadata layout, from xlsx or csv (see
:mod:`apps.reports.layout`). Both follow the same contract (NetBox bulk import):

- all or nothing: every row is checked first; if any cell is wrong, nothing is written and a
  :class:`SpreadsheetImportError` lists every problem as ``row N, column C: reason``
  (국문 / English);
- ``dry_run`` runs exactly the same code, writes included, then rolls the transaction back
  with a private exception, so it also catches what only the database would refuse;
- idempotent: a row equal to what is stored is counted ``unchanged`` and not written, so
  importing the same file twice changes nothing;
- acting for ``actor``: only municipalities the actor may edit (``for_user(actor, "edit")``);
  ``actor=None`` is an operator's command-line run.

History (django-simple-history): one history row per created or changed row, attributed to the
actor, with the change reason ``import <file name>``; unchanged rows get no history. Changed
rows and indicators go through ``bulk_update_with_history`` / ``bulk_create_with_history``; new
observations are inserted together with their history rows by
:func:`_insert_observations_with_history`, which writes the same history rows with two bulk
statements (``executemany``, or ``COPY`` on PostgreSQL; see there why). An import never deletes observations or
indicators that are not in the file.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from apps.core.exceptions import ApplicationError, PermissionDeniedError
from apps.core.permissions import Action, municipality_scope
from apps.municipalities.models import Municipality
from apps.reports.layout import (
    ANNEX_COLUMNS,
    ANNEX_SHEET,
    METADATA_COLUMNS,
    METADATA_SHEET,
)
from apps.reports.spreadsheets import Table, read_table
from apps.sdg.models import Indicator, Target

from .choices import Alignment, Direction
from .models import IndicatorAlignment, LocalIndicator, Observation

BATCH_SIZE = 2000
MAX_ERRORS = 1000  # beyond this the report says "and N more"


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass
class ImportReport:
    """What an import did (or, with errors or dry_run, would have done)."""

    kind: str
    file: str = ""
    sheet: str | None = None
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    errors: list[CellError] = field(default_factory=list)
    error_count: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error_count

    def error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(CellError(row, column, message))

    def error_lines(self) -> list[str]:
        lines = [str(e) for e in self.errors]
        if self.error_count > len(self.errors):
            lines.append(f"… 오류 {self.error_count - len(self.errors)}건 더 / {self.error_count - len(self.errors)} more errors")
        return lines

    def summary(self) -> str:
        what = "확인만 함, 저장 안 됨 / dry run, nothing saved" if self.dry_run else "저장됨 / saved"
        return (
            f"{self.kind}: {self.rows} rows — {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged ({what})"
        )

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "file": self.file, "sheet": self.sheet, "rows": self.rows,
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "dry_run": self.dry_run, "errors": self.error_lines(), "ignored_columns": self.ignored_columns,
        }


class SpreadsheetImportError(ApplicationError):
    """Some cells are wrong; nothing was saved. ``report.errors`` lists them all."""

    default_code = "import_failed"

    def __init__(self, report: ImportReport):
        lines = report.error_lines()
        super().__init__(
            f"가져오기 실패: 오류 {report.error_count}건, 아무것도 저장하지 않음 / import failed with "
            f"{report.error_count} error(s); nothing was saved",
            extra={"errors": lines, "report": report.as_dict()},
        )
        self.report = report


class _Rollback(Exception):
    """Raised at the end of a dry run to undo its writes (never leaves this module)."""


# ------------------------------------------------------------------------------ cell parsers


class _Bad(ValueError):
    """A cell value that cannot be used; the message is shown to the person importing."""


def _code(value, max_length: int | None = None) -> str:
    """An identifier or choice: surrounding spaces (a typing slip) are dropped."""
    return _text(value, max_length).strip()


def _text(value, max_length: int | None = None) -> str:
    """Free text, kept exactly as written (leading tab, trailing line break and all), so that
    what the workbook wrote comes back unchanged."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        value = int(value) if value.is_integer() else value
    text = value if isinstance(value, str) else str(value)
    if max_length is not None and len(text) > max_length:
        raise _Bad(f"{max_length}자 이하여야 합니다 / at most {max_length} characters")
    return text


_REQUIRED = object()


def _int(value, *, low: int | None = None, high: int | None = None, blank=_REQUIRED):
    if value is None or (isinstance(value, str) and not value.strip()):
        if blank is _REQUIRED:
            raise _Bad("값이 없습니다 / value is missing")
        return blank
    if isinstance(value, bool):
        raise _Bad(f"정수가 아닙니다 / not a whole number: {value!r}")
    if isinstance(value, int):
        number = value
    else:
        try:
            as_float = float(str(value).strip().replace(",", "")) if not isinstance(value, float) else value
        except ValueError:
            raise _Bad(f"정수가 아닙니다 / not a whole number: {value!r}") from None
        if not math.isfinite(as_float) or not as_float.is_integer():
            raise _Bad(f"정수가 아닙니다 / not a whole number: {value!r}")
        number = int(as_float)
    if (low is not None and number < low) or (high is not None and number > high):
        raise _Bad(f"{low}~{high} 범위를 벗어났습니다 / must be between {low} and {high}: {number}")
    return number


def _float(value, *, required: bool = True):
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise _Bad("값이 없습니다 / value is missing")
        return None
    if isinstance(value, bool):
        raise _Bad(f"숫자가 아닙니다 / not a number: {value!r}")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            # Korean spreadsheets often keep thousands separators in text cells.
            number = float(str(value).strip().replace(",", ""))
        except ValueError:
            raise _Bad(f"숫자가 아닙니다 / not a number: {value!r}") from None
    if not math.isfinite(number):
        if not required and math.isnan(number):
            return None
        raise _Bad(f"숫자가 아닙니다 / not a number: {value!r}")
    return number


_TRUE = {"true", "1", "yes", "y", "예", "o", "t", "참", "✓", "1.0"}
_FALSE = {"false", "0", "no", "n", "아니오", "아니요", "x", "f", "거짓", "", "0.0"}


def _bool(value) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Bad(f"참/거짓 값이 아닙니다 (TRUE/FALSE, 1/0, 예/아니오) / not a yes/no value: {value!r}")


def _choice(aliases: dict[str, str], what_ko: str, what_en: str):
    def parse(value) -> str:
        text = _code(value).lower()
        try:
            return aliases[text]
        except KeyError:
            allowed = ", ".join(sorted({v for v in aliases.values() if v}))
            raise _Bad(
                f"알 수 없는 {what_ko} 세분류 / unknown {what_en} disaggregation: {value!r} (allowed: {allowed} or blank)"
            ) from None

    return parse


_parse_sex = _choice(
    {"": "", "total": "", "전체": "", "female": "female", "f": "female", "여성": "female", "여": "female",
     "women": "female", "male": "male", "m": "male", "남성": "male", "남": "male", "men": "male",
     "여성 / female": "female", "남성 / male": "male", "전체 / total": ""},
    "성별", "sex",
)
_parse_disability = _choice(
    {"": "", "total": "", "전체": "", "with": "with", "장애인": "with", "장애": "with",
     "persons with disabilities": "with", "without": "without", "비장애인": "without", "비장애": "without",
     "persons without disabilities": "without", "장애인 / persons with disabilities": "with",
     "비장애인 / persons without disabilities": "without"},
    "장애", "disability",
)


def _quarter(value) -> int:
    if isinstance(value, str) and value.strip().upper() in ("Q1", "Q2", "Q3", "Q4"):
        return int(value.strip()[1])
    return _int(value, low=0, high=4, blank=0)


def _direction(value) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return Direction.HIGHER
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value in (1, -1):
        return int(value)
    text = str(value).strip().lower()
    for direction in Direction:
        if text in {str(direction.value), direction.label.lower(), *[p.strip() for p in direction.label.lower().split("/")]}:
            return direction.value
    aliases = {"+1": 1, "higher": 1, "up": 1, "↑": 1, "높음": 1, "증가": 1, "lower": -1, "down": -1, "↓": -1,
               "낮음": -1, "감소": -1}
    if text in aliases:
        return aliases[text]
    raise _Bad(f"방향은 1(높을수록 좋음) 또는 -1(낮을수록 좋음) / direction must be 1 (higher) or -1 (lower): {value!r}")


# ------------------------------------------------------------------------------ shared steps


def _municipality_codes(table: Table, rows: list[tuple[int, tuple]]) -> set[str]:
    index = table.columns.get("municipality_code")
    if index is None:
        return set()
    return {_code(values[index]) for _n, values in rows if index < len(values) and values[index] not in (None, "")}


def _require_edit(actor, municipality) -> None:
    if actor is not None and municipality is not None and not municipality_scope(actor, Action.EDIT).allows(municipality.pk):
        raise PermissionDeniedError(
            f"이 지자체의 자료를 수정할 권한이 없습니다 / you may not edit the data of {municipality.code}"
        )


def _resolve_municipalities(codes: set[str], municipality, actor) -> dict[str, Municipality]:
    """The municipalities the file may write to, keyed by code (one query); for an actor,
    only those they may edit (rows naming another one are then reported as unknown)."""
    found = {m.code: m for m in Municipality.objects.filter(code__in=codes)} if codes else {}
    if municipality is not None:
        found[municipality.code] = municipality
    if actor is not None:
        scope = municipality_scope(actor, Action.EDIT)
        found = {code: muni for code, muni in found.items() if scope.allows(muni.pk)}
    return found


def _cell(values: tuple, index: int | None):
    if index is None or index >= len(values):
        return None
    value = values[index]
    return None if value == "" else value


class _RowParser:
    """Parses the cells of one row, recording ``row N, column C: reason`` for each bad one."""

    __slots__ = ("report", "row_number", "table", "values")

    def __init__(self, report: ImportReport, table: Table, row_number: int, values: tuple):
        self.report, self.table, self.row_number, self.values = report, table, row_number, values

    def at(self, column: str, index, parser, *args, **kwargs):
        try:
            return parser(_cell(self.values, index), *args, **kwargs)
        except _Bad as exc:
            self.report.error(self.row_number, self.table.where(column), str(exc))
            return None

    def __call__(self, column: str, parser, *args, **kwargs):
        return self.at(column, self.table.columns.get(column), parser, *args, **kwargs)


def _blank(values: tuple) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _run(report: ImportReport, dry_run: bool, write) -> ImportReport:
    """Validate-then-write in one transaction; roll back on errors or for a dry run."""
    try:
        with transaction.atomic():
            write()
            if report.error_count:
                raise SpreadsheetImportError(report)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except IntegrityError as exc:
        raise ApplicationError(
            "저장 중 충돌이 생겼습니다 (다른 사용자가 같은 자료를 바꿨을 수 있음). 다시 시도하세요 / "
            f"the database refused the import (someone may have changed the same data); try again: {exc}",
            code="import_conflict",
        ) from exc
    return report


def _municipality_for_row(values, table, municipality, municipalities, report, row_number):
    """The municipality of one row, or None after recording why not."""
    code = _code(_cell(values, table.columns.get("municipality_code")))
    if code:
        if municipality is not None and code != municipality.code:
            report.error(row_number, table.where("municipality_code"),
                         f"다른 지자체의 자료입니다 ({code}, 가져올 지자체 {municipality.code}) / "
                         f"row belongs to another municipality ({code}, importing into {municipality.code})")
            return None
        muni = municipalities.get(code)
        if muni is None:
            report.error(row_number, table.where("municipality_code"),
                         f"알 수 없거나 권한이 없는 지자체 코드 / unknown municipality code or no permission: {code}")
        return muni
    if municipality is None:
        report.error(row_number, table.where("municipality_code"),
                     "지자체 코드가 없습니다 (--municipality로 지정하세요) / municipality code is missing "
                     "(give one in the file or with --municipality)")
        return None
    return municipality


# ------------------------------------------------------------------------------ observations

_KEY_FIELDS = ("local_indicator_id", "year", "quarter", "sex", "age_group", "district", "income_group", "disability")
_OBS_FIELDS = ("value", "source", "is_provisional", "is_estimated", "note")


def _insert_observations_with_history(rows: list[tuple], municipality_ids: list[int], actor, reason: str) -> None:
    """Insert new observations and their history rows with two bulk statements.

    The history written is exactly what ``bulk_create_with_history`` writes: one historical row
    per observation, ``history_type`` "+", the same ``history_date`` for the whole import, the
    actor as ``history_user`` and ``import <file>`` as change reason. It is written with plain
    parameterised INSERTs because the ORM path prepares every value of every row and, on
    SQLite, splits the insert into 66-row statements (Django's 999-parameter limit) — about
    14 times slower, more than reading the spreadsheet itself at 100,000 rows.
    Values are already Python primitives (int, float, str, bool), which both sqlite3 and
    psycopg adapt; the one datetime is adapted by the backend's own ``ops``.
    """
    meta = Observation._meta
    columns = [meta.get_field(name).column for name in (*_KEY_FIELDS, *_OBS_FIELDS)]
    hmeta = Observation.history.model._meta
    _bulk_insert(meta.db_table, columns, rows)
    ids = {
        row[1:]: row[0]
        for row in Observation.objects.filter(local_indicator__municipality_id__in=municipality_ids)
        .values_list("id", *_KEY_FIELDS)
    }
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    history_columns = [
        hmeta.get_field("id").column, *columns,
        hmeta.get_field("history_date").column, hmeta.get_field("history_type").column,
        hmeta.get_field("history_user").column, hmeta.get_field("history_change_reason").column,
    ]
    n_key = len(_KEY_FIELDS)
    history_rows = [(ids[row[:n_key]], *row, when, "+", user_id, reason) for row in rows]
    _bulk_insert(hmeta.db_table, history_columns, history_rows)


def _bulk_insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Insert many rows: PostgreSQL ``COPY`` (psycopg 3; ~7x faster than executemany there),
    else one parameterised ``executemany``."""
    quote = connection.ops.quote_name
    names = ", ".join(map(quote, columns))
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql" and hasattr(raw, "copy"):
            with raw.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", rows)


def observations_import(*, file, municipality=None, actor=None, dry_run: bool = False) -> ImportReport:
    """Create or update observations from a statistical-annex spreadsheet (xlsx or csv).

    ``file``: a path, bytes or a file-like object (e.g. an upload). ``municipality``: import
    into this municipality only (rows naming another one are errors); without it every row
    needs a municipality code. Raises :class:`SpreadsheetImportError` (nothing saved) when a
    cell is wrong, ``SpreadsheetError`` when the file is not a readable spreadsheet.

    Queries are fixed: municipalities, indicators, existing observations, then the batched
    inserts/updates (and their history rows).
    """
    _require_edit(actor, municipality)
    table, name = read_table(file, ANNEX_COLUMNS, preferred_sheet=ANNEX_SHEET)
    report = ImportReport(kind="observations", file=name, sheet=table.sheet, dry_run=dry_run,
                          ignored_columns=table.ignored)
    rows = [(n, values) for n, values in table.rows if not _blank(values)]
    report.rows = len(rows)

    def write():
        if municipality is None and "municipality_code" not in table.columns:
            report.error(table.header_row, "municipality_code",
                         "필수 열이 없습니다 (또는 --municipality로 지정하세요) / required column is missing "
                         "(or give the municipality with --municipality)")
            return
        municipalities = _resolve_municipalities(_municipality_codes(table, rows), municipality, actor)
        by_id = {m.pk: m for m in municipalities.values()}
        indicators = LocalIndicator.objects.filter(municipality_id__in=list(by_id))
        if actor is not None:
            indicators = indicators.for_user(actor, Action.EDIT)
        indicator_ids = {(muni_id, code): pk for pk, muni_id, code in indicators.values_list("id", "municipality_id", "code")}
        existing = {}
        for obs in (
            Observation.objects.filter(local_indicator__municipality_id__in=list(by_id))
            .values_list("id", "local_indicator_id", "year", "quarter", "sex", "age_group", "district",
                         "income_group", "disability", *_OBS_FIELDS)
        ):
            existing[obs[1:9]] = obs

        c = table.columns
        i_code, i_year, i_value = c["indicator_code"], c["year"], c["value"]
        i_quarter, i_sex, i_age, i_district = c.get("quarter"), c.get("sex"), c.get("age_group"), c.get("district")
        i_income, i_disability, i_source = c.get("income_group"), c.get("disability"), c.get("source")
        i_prov, i_est, i_note = c.get("provisional"), c.get("estimated"), c.get("note")
        where = table.where
        seen: dict[tuple, int] = {}
        to_create: list[tuple] = []  # _KEY_FIELDS + _OBS_FIELDS values
        to_update: list[Observation] = []
        single = municipality if "municipality_code" not in c else None

        for row_number, values in rows:
            errors_before = report.error_count
            muni = single or _municipality_for_row(values, table, municipality, municipalities, report, row_number)
            parse = _RowParser(report, table, row_number, values)

            code = _code(_cell(values, i_code))
            indicator_id = None
            if not code:
                report.error(row_number, where("indicator_code"), "지표 코드가 없습니다 / indicator code is missing")
            elif muni is not None:
                indicator_id = indicator_ids.get((muni.pk, code))
                if indicator_id is None:
                    report.error(row_number, where("indicator_code"),
                                 f"{muni.code}에 없는 지표 코드 / unknown indicator code in {muni.code}: {code}")
            year = parse.at("year", i_year, _int, low=1900, high=2100)
            quarter = parse.at("quarter", i_quarter, _quarter)
            sex = parse.at("sex", i_sex, _parse_sex)
            age = parse.at("age_group", i_age, _text, 40)
            district = parse.at("district", i_district, _text, 100)
            income = parse.at("income_group", i_income, _text, 40)
            disability = parse.at("disability", i_disability, _parse_disability)
            value = parse.at("value", i_value, _float)
            source = parse.at("source", i_source, _text, 300)
            provisional = parse.at("provisional", i_prov, _bool)
            estimated = parse.at("estimated", i_est, _bool)
            note = parse.at("note", i_note, _text)
            if report.error_count != errors_before:
                continue
            key = (indicator_id, year, quarter, sex, age, district, income, disability)
            first = seen.get(key)
            if first is not None:
                report.error(row_number, where("indicator_code"),
                             f"{first}행과 같은 지표·기간·세분류입니다 / duplicate of row {first} "
                             "(same indicator, period and disaggregation)")
                continue
            seen[key] = row_number
            fields = (value, source, provisional, estimated, note)
            old = existing.get(key)
            if old is None:
                to_create.append(key + fields)
            elif old[9:] != fields:
                to_update.append(Observation(
                    pk=old[0], local_indicator_id=indicator_id, year=year, quarter=quarter, sex=sex, age_group=age,
                    district=district, income_group=income, disability=disability, value=value, source=source,
                    is_provisional=provisional, is_estimated=estimated, note=note,
                ))
            else:
                report.unchanged += 1
        if report.error_count:
            return
        reason = f"import {name}"[:100]
        if to_create:
            _insert_observations_with_history(to_create, list(by_id), actor, reason)
        if to_update:
            bulk_update_with_history(to_update, Observation, list(_OBS_FIELDS), batch_size=BATCH_SIZE,
                                     default_user=actor, default_change_reason=reason)
        report.created, report.updated = len(to_create), len(to_update)

    return _run(report, dry_run, write)


# ------------------------------------------------------------------------------ indicators

_INDICATOR_TEXT = {  # column key → (model field, max length)
    "name_ko": ("name_ko", 300), "name_en": ("name_en", 300), "unit": ("unit", 50),
    "target_note": ("target_note", 300), "data_source": ("data_source", 300),
    "department": ("department", 200), "definition": ("definition", None),
}
_KIND_ALIASES = {"exact": Alignment.EXACT, "동일": Alignment.EXACT, "proxy": Alignment.PROXY, "대리": Alignment.PROXY}


def _parse_alignments(value, targets: dict[str, Target], globals_: dict[str, Indicator]):
    """``11.6.2 exact; 3.9 proxy`` → sorted [(target_id, indicator_id|None, kind)]."""
    text = _code(value)
    if not text:
        return []
    out: dict[int, tuple[int, int | None, str]] = {}
    for entry in text.replace("\n", ";").replace(",", ";").split(";"):
        parts = entry.split()
        if not parts:
            continue
        code, kind = parts[0].strip(), Alignment.PROXY
        if len(parts) > 1:
            kind = _KIND_ALIASES.get(parts[1].strip("()").lower())
            if kind is None or len(parts) > 2:
                raise _Bad(f"'{entry.strip()}': 연계는 '코드 exact|proxy' 형식 / write each alignment as 'CODE exact|proxy'")
        if code.count(".") == 2:
            gi = globals_.get(code)
            if gi is None:
                raise _Bad(f"알 수 없는 SDG 지표 / unknown SDG indicator: {code}")
            target_id, indicator_id = gi.target_id, gi.pk
        else:
            target = targets.get(code)
            if target is None:
                raise _Bad(f"알 수 없는 SDG 세부목표 / unknown SDG target: {code}")
            target_id, indicator_id = target.pk, None
        if target_id in out:
            raise _Bad(f"같은 세부목표가 두 번 있습니다 / target listed twice: {code}")
        out[target_id] = (target_id, indicator_id, str(kind))
    return sorted(out.values())


def indicators_import(*, file, municipality, actor=None, dry_run: bool = False) -> ImportReport:
    """Create or update the local indicators of ``municipality`` from an indicator-metadata
    spreadsheet (xlsx or csv): unit, direction, baseline, target and SDG alignment.

    Only the columns present in the file are written (a city's own sheet may have just code,
    name and unit); a blank cell in a present column clears that field. When the alignment
    column is present, an indicator's alignments become exactly those listed.
    """
    if municipality is None:
        raise ApplicationError("지자체를 지정하세요 / give the municipality to import into", code="municipality_required")
    _require_edit(actor, municipality)
    table, name = read_table(file, METADATA_COLUMNS, preferred_sheet=METADATA_SHEET)
    report = ImportReport(kind="indicators", file=name, sheet=table.sheet, dry_run=dry_run,
                          ignored_columns=table.ignored)
    rows = [(n, values) for n, values in table.rows if not _blank(values)]
    report.rows = len(rows)

    def write():
        municipalities = {municipality.code: municipality}
        existing_qs = LocalIndicator.objects.filter(municipality=municipality)
        existing = {ind.code: ind for ind in existing_qs}
        alignments: dict[int, list] = {}
        for ind_id, target_id, indicator_id, kind in IndicatorAlignment.objects.filter(
            local_indicator__municipality=municipality
        ).values_list("local_indicator_id", "target_id", "indicator_id", "alignment"):
            alignments.setdefault(ind_id, []).append((target_id, indicator_id, kind))
        c = table.columns
        targets = globals_ = None
        if "alignments" in c:
            targets = {t.code: t for t in Target.objects.all()}
            globals_ = {i.code: i for i in Indicator.objects.all()}

        seen: dict[str, int] = {}
        to_create, to_update, changed_fields = [], [], set()
        new_alignments: dict[str, list] = {}
        for row_number, values in rows:
            errors_before = report.error_count
            parse = _RowParser(report, table, row_number, values)

            _municipality_for_row(values, table, municipality, municipalities, report, row_number)
            code = parse("indicator_code", _code, 40)
            if code == "":
                report.error(row_number, table.where("indicator_code"), "지표 코드가 없습니다 / indicator code is missing")
            elif code and code in seen:
                report.error(row_number, table.where("indicator_code"),
                             f"{seen[code]}행과 같은 지표 코드 / duplicate of row {seen[code]}: {code}")
            elif code:
                seen[code] = row_number
            fields = {}
            for key, (attr, max_length) in _INDICATOR_TEXT.items():
                if key in c:
                    fields[attr] = parse(key, _text, max_length)
            if "direction" in c:
                fields["direction"] = parse("direction", _direction)
            for key, attr in (("binary", "is_binary"), ("public", "is_public")):
                if key in c:
                    fields[attr] = parse(key, _bool)
            for key in ("baseline_year", "target_year"):
                if key in c:
                    fields[key] = parse(key, _int, low=1900, high=2100, blank=None)
            for key in ("baseline_value", "target_value"):
                if key in c:
                    fields[key] = parse(key, _float, required=False)
            wanted_alignments = parse("alignments", _parse_alignments, targets, globals_) if "alignments" in c else None
            if report.error_count != errors_before or not code:
                continue

            indicator = existing.get(code)
            is_new = indicator is None
            if is_new:
                indicator = LocalIndicator(municipality=municipality, code=code)
            changed = [attr for attr, value in fields.items() if getattr(indicator, attr) != value]
            for attr in changed:
                setattr(indicator, attr, fields[attr])
            if not (indicator.name_ko or indicator.name_en):
                report.error(row_number, table.where("name_ko" if "name_ko" in c else "name_en"),
                             "국문 또는 영문 지표명이 필요합니다 / a Korean or English name is required")
                continue
            try:
                indicator.clean_fields(exclude=["municipality"])
                indicator.clean()
            except ValidationError as exc:  # map model fields back to columns
                for attr, messages in exc.message_dict.items():
                    column = {"is_binary": "binary", "is_public": "public", "code": "indicator_code"}.get(attr, attr)
                    report.error(row_number, table.where(column), " ".join(messages))
                continue
            if wanted_alignments is not None and (
                is_new or wanted_alignments != sorted(alignments.get(indicator.pk, []))
            ):
                new_alignments[code] = wanted_alignments
            if is_new:
                to_create.append(indicator)
            elif changed:
                to_update.append(indicator)
                changed_fields.update(changed)
            elif code in new_alignments:
                report.updated += 1
            else:
                report.unchanged += 1
        if report.error_count:
            return
        reason = f"import {name}"[:100]
        if to_create:
            bulk_create_with_history(to_create, LocalIndicator, batch_size=BATCH_SIZE, default_user=actor,
                                     default_change_reason=reason)
        if to_update:
            now = timezone.now()
            for indicator in to_update:
                indicator.updated_at = now
            bulk_update_with_history(to_update, LocalIndicator, sorted(changed_fields | {"updated_at"}),
                                     batch_size=BATCH_SIZE, default_user=actor, default_change_reason=reason)
        if new_alignments:
            ids = {ind.code: ind.pk for ind in LocalIndicator.objects.filter(municipality=municipality, code__in=list(new_alignments))}
            # Queryset delete sends post_delete per row, so history records the removed alignments.
            IndicatorAlignment.objects.filter(local_indicator_id__in=list(ids.values())).delete()
            bulk_create_with_history(
                [IndicatorAlignment(local_indicator_id=ids[code], target_id=t, indicator_id=i, alignment=kind)
                 for code, wanted in new_alignments.items() for t, i, kind in wanted],
                IndicatorAlignment, batch_size=BATCH_SIZE, default_user=actor, default_change_reason=reason,
            )
        report.created += len(to_create)
        report.updated += len(to_update)

    return _run(report, dry_run, write)

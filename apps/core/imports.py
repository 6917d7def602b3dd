"""What every spreadsheet import shares: the report, cell parsers and the all-or-nothing run.

Used by the importers of :mod:`apps.indicators.services.imports` (observations, indicator
metadata) and :mod:`apps.frameworks.services` (framework nodes), which follow one contract
(NetBox bulk import): every row is checked first; if any cell is wrong nothing is written and
a :class:`SpreadsheetImportError` lists every problem as ``row N, column C: reason``
(국문 / English); ``dry_run`` runs the same code, writes included, then rolls back with a
private exception; a row equal to what is stored is counted ``unchanged`` and not written.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from .exceptions import ApplicationError
from .spreadsheets import Table, ignored_columns_note, read_table, shown

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
    conversions: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (code, from, to) → rows

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
            lines.append(
                f"… 오류 {self.error_count - len(self.errors)}건 더 / {self.error_count - len(self.errors)} more errors"
            )
        return lines

    def converted(self, code: str, from_unit: str, to_unit: str) -> None:
        key = (code, from_unit, to_unit)
        self.conversions[key] = self.conversions.get(key, 0) + 1

    def conversion_lines(self) -> list[str]:
        """``L1: 천명 → 명 (3행 / rows)`` for each indicator whose values were converted."""
        return [f"{code}: {a} → {b} ({n}행 / rows)" for (code, a, b), n in sorted(self.conversions.items())]

    def summary(self) -> str:
        what = "확인만 함, 저장 안 됨 / dry run, nothing saved" if self.dry_run else "저장됨 / saved"
        return (
            f"{self.kind}: {self.rows} rows — {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged ({what})"
        )

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "file": self.file,
            "sheet": self.sheet,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "errors": self.error_lines(),
            "ignored_columns": self.ignored_columns,
            "conversions": self.conversion_lines(),
        }


class SpreadsheetImportError(ApplicationError):
    """Some cells are wrong; nothing was saved. ``report.errors`` lists them all."""

    default_code = "import_failed"

    def __init__(self, report: ImportReport):
        lines = report.error_lines()
        message = (
            f"가져오기 실패: 오류 {report.error_count}건, 아무것도 저장하지 않음 / import failed with "
            f"{report.error_count} error(s); nothing was saved"
        )
        if report.ignored_columns:  # often the real cause: a column under an unrecognised header
            message += f" — {ignored_columns_note(report.ignored_columns)}"
        super().__init__(
            message,
            extra={"errors": lines, "report": report.as_dict(), "ignored_columns": report.ignored_columns},
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
    if isinstance(value, (datetime.date, datetime.time)):
        text = shown(value)  # a date cell as 2024-01-31, not "2024-01-31 00:00:00"
    else:
        text = value if isinstance(value, str) else str(value)
    if max_length is not None and len(text) > max_length:
        raise _Bad(f"{max_length}자 이하여야 합니다 / at most {max_length} characters")
    return text


_REQUIRED = object()


# One rule for every number in every import: digits, optionally grouped by commas in threes
# (1,234,567), a decimal point "." and an exponent (only ungrouped). "22,85" (a decimal comma)
# or "1,23,4" are refused rather than guessed: guessing turned 22,85 into 2285.
_NUMBER = re.compile(
    r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
)


def parse_number(value) -> float:
    """A cell as a float by the import rule above; raises ``_Bad`` with the reason."""
    if isinstance(value, bool):
        raise _Bad(f"숫자가 아닙니다 / not a number: {shown(value)}")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str) and _NUMBER.fullmatch(text := value.strip()):
        number = float(text.replace(",", ""))
    elif isinstance(value, str) and "," in value:
        raise _Bad(
            "쉼표는 세 자리마다 끊는 천 단위 구분에만 쓰고 소수점은 '.'입니다 / a comma may only separate "
            f"thousands in groups of three, and the decimal point is '.': {shown(value)}"
        )
    else:
        raise _Bad(f"숫자가 아닙니다 / not a number: {shown(value)}")
    if not math.isfinite(number):
        raise _Bad(f"숫자가 아닙니다 / not a number: {shown(value)}")
    return number


def _missing(value) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, float) and math.isnan(value))
    )


def _int(value, *, low: int | None = None, high: int | None = None, blank=_REQUIRED):
    if _missing(value):
        if blank is _REQUIRED:
            raise _Bad("값이 없습니다 / value is missing")
        return blank
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        try:
            as_float = parse_number(value)
        except _Bad:
            if isinstance(value, str) and "," in value:
                raise  # the comma rule says more than "not a whole number"
            raise _Bad(f"정수가 아닙니다 / not a whole number: {shown(value)}") from None
        if not as_float.is_integer():
            raise _Bad(f"정수가 아닙니다 / not a whole number: {shown(value)}")
        number = int(as_float)
    if (low is not None and number < low) or (high is not None and number > high):
        raise _Bad(f"{low}~{high} 범위를 벗어났습니다 / must be between {low} and {high}: {number}")
    return number


def _float(value, *, required: bool = True):
    if _missing(value):
        if required:
            raise _Bad("값이 없습니다 / value is missing")
        return None
    return parse_number(value)


# ------------------------------------------------------------------------------ rows


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


def _no_progress(stage: str, done: int = 0, total: int | None = None) -> None:
    """``progress`` of an import run in the request or on the command line: nothing to tell."""


def _read(
    file, columns, sheet: str, *, kind: str, dry_run: bool, progress=_no_progress
) -> tuple[Table, ImportReport, list]:
    """The spreadsheet's table, a fresh report of it, and its non-blank (row number, values);
    ``progress("reading", rows so far)`` while the rows stream (reading is most of an import's time)."""
    table, name = read_table(file, columns, preferred_sheet=sheet)
    report = ImportReport(
        kind=kind, file=name, sheet=table.sheet, dry_run=dry_run, ignored_columns=table.ignored
    )
    rows = []
    for n, values in table.rows:
        if not _blank(values):
            rows.append((n, values))
            progress("reading", len(rows))
    report.rows = len(rows)
    progress("checking", 0, len(rows))
    return table, report, rows


def _run(report: ImportReport, dry_run: bool, write, progress=_no_progress) -> ImportReport:
    """Validate-then-write in one transaction; roll back on errors or for a dry run.
    ``progress("written")`` once everything is written, before the commit."""
    try:
        with transaction.atomic():
            write()
            if report.error_count:
                raise SpreadsheetImportError(report)
            progress("written", report.rows, report.rows)
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

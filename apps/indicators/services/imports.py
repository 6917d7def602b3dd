"""The two spreadsheet imports of this app and their cell parsers (the report and the
all-or-nothing run are :mod:`apps.core.imports`, shared with the framework import).

``observations_import`` reads the statistical annex layout (long format, one row per value) and
``indicators_import`` the indicator metadata layout, from xlsx or csv (see
:mod:`apps.core.layout`). Both follow the same contract (NetBox bulk import):

- all or nothing: every row is checked first; if any cell is wrong, nothing is written and a
  :class:`SpreadsheetImportError` lists every problem as ``row N, column C: reason``
  (국문 / English);
- ``dry_run`` runs exactly the same code, writes included, then rolls the transaction back
  with a private exception, so it also catches what only the database would refuse;
- idempotent: a row equal to what is stored is counted ``unchanged`` and not written, so
  importing the same file twice changes nothing;
- a column absent from the file is left as stored (a new row gets the default); only present
  columns are compared and written, blank cells included;
- numbers follow one rule (:func:`parse_number`): commas only as thousands separators in groups
  of three, ``.`` as decimal point; ``22,85`` is a row error, never 2285;
- units (annex ``unit`` column): a unit other than the indicator's is a row error unless
  :mod:`apps.indicators.units` knows the exact conversion; the report lists every conversion;
- acting for ``actor``: only municipalities the actor may edit (``for_user(actor, "edit")``);
  ``actor=None`` is an operator's command-line run.

History (django-simple-history): one history row per created or changed row, attributed to the
actor, with the change reason ``import <file name>``; unchanged rows get no history. Indicators
go through ``bulk_update_with_history`` / ``bulk_create_with_history``; observations are
inserted and updated together with their history rows by
:func:`.observations._insert_observations_with_history` and
:func:`.observations._update_observations_with_history`, which write the same rows and history
through a temporary table (one bulk insert, ``COPY`` on PostgreSQL, then ``INSERT … SELECT`` or
``UPDATE … FROM`` and the history copied inside the database; see there why). An import never
deletes observations or indicators that are not in the file.
"""

from __future__ import annotations

# The shared machinery (apps.core.imports), re-exported to the importers of this package.
from apps.core.imports import (
    _REQUIRED,  # noqa: F401
    BATCH_SIZE,  # noqa: F401
    MAX_ERRORS,  # noqa: F401
    CellError,  # noqa: F401
    ImportReport,  # noqa: F401
    SpreadsheetImportError,  # noqa: F401
    _Bad,
    _blank,  # noqa: F401
    _cell,
    _code,
    _float,  # noqa: F401
    _int,
    _missing,  # noqa: F401
    _no_progress,  # noqa: F401
    _read,  # noqa: F401
    _Rollback,  # noqa: F401
    _RowParser,  # noqa: F401
    _run,  # noqa: F401
    _text,  # noqa: F401
    parse_number,  # noqa: F401
)
from apps.core.permissions import Action, municipality_scope, require_scope
from apps.core.spreadsheets import Table, clip, shown
from apps.municipalities.models import Municipality

from ..choices import Direction

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
    raise _Bad(f"참/거짓 값이 아닙니다 (TRUE/FALSE, 1/0, 예/아니오) / not a yes/no value: {shown(value)}")


def _choice(aliases: dict[str, str], what_ko: str, what_en: str):
    def parse(value) -> str:
        text = _code(value).lower()
        try:
            return aliases[text]
        except KeyError:
            allowed = ", ".join(sorted({v for v in aliases.values() if v}))
            raise _Bad(
                f"알 수 없는 {what_ko} 세분류 / unknown {what_en} disaggregation: {shown(value)} (allowed: {allowed} or blank)"
            ) from None

    return parse


_parse_sex = _choice(
    {
        "": "",
        "total": "",
        "전체": "",
        "female": "female",
        "f": "female",
        "여성": "female",
        "여": "female",
        "women": "female",
        "male": "male",
        "m": "male",
        "남성": "male",
        "남": "male",
        "men": "male",
        "여성 / female": "female",
        "남성 / male": "male",
        "전체 / total": "",
    },
    "성별",
    "sex",
)
_parse_disability = _choice(
    {
        "": "",
        "total": "",
        "전체": "",
        "with": "with",
        "장애인": "with",
        "장애": "with",
        "persons with disabilities": "with",
        "without": "without",
        "비장애인": "without",
        "비장애": "without",
        "persons without disabilities": "without",
        "장애인 / persons with disabilities": "with",
        "비장애인 / persons without disabilities": "without",
    },
    "장애",
    "disability",
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
        if text in {
            str(direction.value),
            direction.label.lower(),
            *[p.strip() for p in direction.label.lower().split("/")],
        }:
            return direction.value
    aliases = {
        "+1": 1,
        "higher": 1,
        "up": 1,
        "↑": 1,
        "높음": 1,
        "증가": 1,
        "lower": -1,
        "down": -1,
        "↓": -1,
        "낮음": -1,
        "감소": -1,
    }
    if text in aliases:
        return aliases[text]
    raise _Bad(
        f"방향은 1(높을수록 좋음) 또는 -1(낮을수록 좋음) / direction must be 1 (higher) or -1 (lower): {shown(value)}"
    )


# ------------------------------------------------------------------------------ shared steps


def _municipality_codes(table: Table, rows: list[tuple[int, tuple]]) -> set[str]:
    index = table.columns.get("municipality_code")
    if index is None:
        return set()
    return {
        _code(values[index]) for _n, values in rows if index < len(values) and values[index] not in (None, "")
    }


def _require_edit(actor, municipality) -> None:
    if actor is not None and municipality is not None:
        require_scope(actor, Action.EDIT, municipality.pk)


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


def _municipality_for_row(values, table, municipality, municipalities, report, row_number):
    """The municipality of one row, or None after recording why not."""
    code = _code(_cell(values, table.columns.get("municipality_code")))
    if code:
        if municipality is not None and code != municipality.code:
            report.error(
                row_number,
                table.where("municipality_code"),
                f"다른 지자체의 자료입니다 ({clip(code)}, 가져올 지자체 {municipality.code}) / "
                f"row belongs to another municipality ({clip(code)}, importing into {municipality.code})",
            )
            return None
        muni = municipalities.get(code)
        if muni is None:
            report.error(
                row_number,
                table.where("municipality_code"),
                f"알 수 없거나 권한이 없는 지자체 코드 / unknown municipality code or no permission: {clip(code)}",
            )
        return muni
    if municipality is None:
        report.error(
            row_number,
            table.where("municipality_code"),
            "지자체 코드가 없습니다 (--municipality로 지정하세요) / municipality code is missing "
            "(give one in the file or with --municipality)",
        )
        return None
    return municipality

"""How a table a city keeps is laid out, detected and returned as data.

A KOSIS download, a department's own sheet or the VLR annex hold the same facts in different
shapes:

- **wide**: regions as rows, periods as columns (``행정구역별 | 2021 | 2022 | 2023 p)``), often
  with a second header row naming the item and unit (``초미세먼지 (㎍/㎥)``), merged header cells
  (xlsx) or repeated blank headers (csv), and a province column merged down over its districts;
- **long**: one row per value, with a period column (``연도``/``년도``/``시점``) and a value
  column (``값``/``데이터``);
- **transposed**: periods as rows, regions as columns.

:func:`detect_layout` looks at a :class:`~apps.core.spreadsheets.Grid` and returns a
:class:`Layout`: which rows are headers and how each column was understood (``region``,
``period``, ``item``, ``unit``, ``value``, ``ignore``), with what a value column's header says
(its period, item, unit and KOSIS flag). The layout is plain data (:meth:`Layout.as_dict`), so a
person can correct it before anything is saved and keep it for next year's file;
:func:`cells` then yields one :class:`ValueCell` per non-blank value cell, whatever the shape.

KOSIS markers (통계표 기호) are recognised here (:func:`marker`) because they belong to the
format: ``-`` (no data), ``x`` (confidential), ``…`` (not available) are missing values with a
reason, never zero; ``p)`` and ``e)`` mark a preliminary or estimated value (on the value or on
the period heading). Nothing here knows our models: the importer resolves regions and items.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from openpyxl.utils import get_column_letter

from .exceptions import ApplicationError
from .spreadsheets import Grid, shown

ROLES = ("region", "period", "item", "unit", "flag", "value", "ignore")
HEADER_SEARCH_ROWS = 12


def squash(text) -> str:
    """A header as compared: lower case, without spaces, brackets, dots, slashes, hyphens or
    underscores, so ``지표코드``, ``지표 코드`` and ``Indicator_code`` compare by their letters."""
    return re.sub(r"[\s()\[\]\-./_·:]+", "", str(text or "").lower())


# Header words (squashed) → role, for the columns that are not values. Korean first, as cities
# and KOSIS write them; the annex's own headers (``지자체 코드 / Municipality code``) too.
_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "region": (
        "행정구역",
        "행정구역별",
        "시도",
        "시도별",
        "시군구",
        "시군구별",
        "지역별",
        "지자체",
        "지자체명",
        "지자체코드",
        "자치단체",
        "자치단체명",
        "행정기관코드",
        "region",
        "municipality",
        "municipalitycode",
    ),
    "period": ("연도", "년도", "시점", "기간", "기준연도", "기준년도", "year", "period"),
    "item": ("항목", "지표", "지표명", "지표코드", "indicator", "indicatorcode", "item", "code"),
    "unit": ("단위", "unit"),
    "value": ("값", "데이터", "수치", "실적", "실적치", "value", "data"),
    # Words that name a column we know and do not import here, so it is not guessed a region.
    "ignore": ("목표치", "목표값", "목표", "target", "비고", "note", "출처", "source"),
}
_WORD_ROLE = {squash(word): role for role, words in _ROLE_WORDS.items() for word in words}


def header_role(text) -> str | None:
    """The role a header names (``시점`` → period), or None when it names none we know.
    KOSIS writes classification headers such as ``행정구역(시군구)별``: a region header is also
    recognised by its first word."""
    key = squash(text)
    if not key:
        return None
    for part in (key, *str(text).split("/")):
        role = _WORD_ROLE.get(squash(part))
        if role:
            return role
    if key.startswith(("행정구역", "시도", "시군구")):
        return "region"
    return None


# ------------------------------------------------------------------------------ markers, periods

# KOSIS table symbols (통계표 기호) that stand for a missing value: (ko, en) reason.
_MISSING = {
    "-": ("해당 자료 없음", "no data"),
    "x": ("비밀 보호로 공개하지 않음", "confidential"),
    "…": ("자료 미상", "not available"),
    "...": ("자료 미상", "not available"),
    "..": ("자료 미상", "not available"),
    "na": ("자료 없음", "not available"),
    "n/a": ("자료 없음", "not available"),
}
_FLAG = re.compile(r"^(.*?)\s*([pPeE])\)?$")


@dataclass(frozen=True)
class Marker:
    """A KOSIS symbol in a value cell: ``missing`` (with its reason) or a flag on a value."""

    value: object  # the value without its flag; None when missing
    flag: str = ""  # "p" (잠정치, preliminary) or "e" (추정치, estimate)
    reason: str = ""  # why there is no value, bilingual


def marker(value) -> Marker:
    """Split a value cell into its value and KOSIS symbol: ``"12.3 p)"`` → 12.3 flagged ``p``,
    ``"x"`` → missing (confidential), anything else unchanged."""
    if not isinstance(value, str):
        return Marker(value)
    text = value.strip()
    missing = _MISSING.get(text.lower())
    if missing:
        return Marker(None, reason=f"{missing[0]} / {missing[1]} (KOSIS '{text}')")
    match = _FLAG.match(text)
    if match and match.group(1) and re.search(r"[0-9]", match.group(1)) and text[-1] in ")pPeE":
        return Marker(match.group(1), flag=match.group(2).lower())
    return Marker(value)


_PERIOD = re.compile(
    r"^(?P<year>(?:19|20|21)[0-9]{2})\s*(?:년)?\s*"
    r"(?:[.\-]?\s*(?:(?P<q1>[1-4])\s*/\s*4|[Qq](?P<q2>[1-4])|(?P<q3>[1-4])\s*분기))?\s*"
    r"(?:(?P<flag>[pPeE])\)?)?$"
)
_MONTH = re.compile(r"^(?:19|20|21)[0-9]{2}\s*(?:[.\-/]\s*[01]?[0-9]|[01][0-9]|\s*[01]?[0-9]\s*월)$")


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int = 0
    flag: str = ""  # "p" or "e" when the heading says so (``2023 p)``)

    def __str__(self) -> str:
        return (
            f"{self.year}"
            + (f" Q{self.quarter}" if self.quarter else "")
            + (f" {self.flag})" if self.flag else "")
        )


class PeriodError(ValueError):
    """A cell that should name a period does not; the message says why (bilingual)."""


def parse_period(value) -> Period:
    """``2023``, ``2023년``, ``2023 p)``, ``2023 1/4``, ``2023 Q1``, ``2023 1분기`` → a Period.
    Months (``202301``, ``2023.01``) do not fit a year + quarter and are refused with a reason."""
    if isinstance(value, bool):
        raise PeriodError(f"기간이 아닙니다 / not a period: {shown(value)}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip() if value is not None else ""
    match = _PERIOD.match(text)
    if match:
        quarter = next((int(match.group(g)) for g in ("q1", "q2", "q3") if match.group(g)), 0)
        return Period(int(match.group("year")), quarter, (match.group("flag") or "").lower())
    if _MONTH.match(text):
        raise PeriodError(
            f"월별 자료는 연·분기로 가져올 수 없습니다 (연간 또는 분기 자료를 받으세요) / monthly periods do not "
            f"fit a year and quarter (download yearly or quarterly data): {shown(value)}"
        )
    raise PeriodError(f"기간(연도)이 아닙니다 / not a period (year): {shown(value)}")


def _is_period(value) -> bool:
    try:
        parse_period(value)
    except PeriodError:
        return False
    return True


_ITEM_UNIT = re.compile(r"^(?P<item>.*?)\s*[(\[]\s*(?P<unit>[^()\[\]]{1,30})\s*[)\]]\s*$")


def item_and_unit(text: str) -> tuple[str, str]:
    """``초미세먼지 (㎍/㎥)`` → (``초미세먼지``, ``㎍/㎥``); a header without brackets is an item."""
    text = str(text or "").strip()
    match = _ITEM_UNIT.match(text)
    if match and match.group("item"):
        return match.group("item"), match.group("unit").strip()
    return text, ""


# ------------------------------------------------------------------------------ the layout


@dataclass
class ColumnMap:
    """How one column was understood. For a value column, what its header says about the values
    below it (any of period, item, unit, region, flag; blank = given by the row)."""

    index: int  # 0-based
    header: str
    role: str
    period: str = ""
    item: str = ""
    unit: str = ""
    region: str = ""
    flag: str = ""

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)


@dataclass
class Layout:
    """A table's shape: header rows ``header_first``..``header_last`` (1-based, as a spreadsheet
    program numbers them), data from ``data_first``, and each column's role."""

    orientation: str  # "wide", "long" or "transposed"
    header_first: int
    header_last: int
    data_first: int
    columns: list[ColumnMap]
    sheet: str | None = None

    def as_dict(self) -> dict:
        data = asdict(self)
        for column, mapped in zip(data["columns"], self.columns, strict=True):
            column["letter"] = mapped.letter
        return data

    @classmethod
    def from_dict(cls, data) -> Layout:
        """A layout a person edited (JSON from the preview, the API or a saved mapping), checked."""
        try:
            columns = [
                ColumnMap(
                    index=int(c["index"]),
                    header=str(c.get("header", ""))[:300],
                    role=str(c["role"]),
                    **{k: str(c.get(k) or "")[:100] for k in ("period", "item", "unit", "region", "flag")},
                )
                for c in data["columns"]
            ]
            layout = cls(
                orientation=str(data.get("orientation") or "wide"),
                header_first=int(data["header_first"]),
                header_last=int(data["header_last"]),
                data_first=int(data["data_first"]),
                columns=columns,
                sheet=data.get("sheet") or None,
            )
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise ApplicationError(
                f"열 대응표를 읽을 수 없습니다 / the column mapping cannot be read: {shown(str(exc))}",
                code="bad_layout",
            ) from exc
        layout.check()
        return layout

    def check(self) -> None:
        errors = []
        for c in self.columns:
            if c.role not in ROLES:
                errors.append(
                    f"column {c.letter}: 알 수 없는 역할 / unknown role {shown(c.role)} (allowed: {', '.join(ROLES)})"
                )
            if c.role == "value" and c.period:
                try:
                    parse_period(c.period)
                except PeriodError as exc:
                    errors.append(f"column {c.letter}: {exc}")
            if c.flag not in ("", "p", "e"):
                errors.append(f"column {c.letter}: 표시는 p 또는 e / flag must be p or e: {shown(c.flag)}")
        roles = [c.role for c in self.columns]
        if "value" not in roles:
            errors.append("값 열이 없습니다 / no column holds values (role 'value')")
        if "period" not in roles and any(c.role == "value" and not c.period for c in self.columns):
            errors.append(
                "기간을 알 수 없는 값 열이 있습니다 (기간 열이나 열 제목의 연도가 필요) / a value column has no "
                "period: give a period column or the year in the column's mapping"
            )
        if not 1 <= self.header_first <= self.header_last < self.data_first:
            errors.append(
                "제목 행과 자료 시작 행이 맞지 않습니다 / header rows must come before the first data row"
            )
        if errors:
            raise ApplicationError(
                "열 대응표가 잘못되었습니다 / the column mapping is wrong",
                code="bad_layout",
                extra={"errors": errors},
            )


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _cell(row: tuple, index: int):
    return row[index] if index < len(row) else None


def _is_number_like(value) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    m = marker(value)
    if m.reason:
        return True
    return isinstance(m.value, str) and bool(re.fullmatch(r"\s*[+-]?[0-9][0-9,]*(\.[0-9]+)?\s*", m.value))


def _filled_header(grid: Grid, first: int, last: int, width: int) -> list[list[str]]:
    """Header rows as text, blanks filled from the left: a csv repeats a merged heading as
    blank cells (``2021,,2022,``). Blank cells before the first heading stay blank."""
    rows = []
    for n in range(first, last + 1):
        values = [_text(_cell(grid.rows[n - 1], i)) for i in range(width)]
        seen = ""
        for i, value in enumerate(values):
            if value:
                seen = value
            elif seen and i > 0:
                values[i] = seen
        rows.append(values)
    return rows


def detect_layout(grid: Grid) -> Layout:
    """Guess the layout of ``grid`` (see the module docstring). Raises ApplicationError when no
    header with a period or a value column is found among the first rows."""
    rows = grid.rows
    width = max((len(r) for r in rows[:200]), default=0)
    top = min(len(rows), HEADER_SEARCH_ROWS)

    # Row by row: a header naming period and value columns (long), else a row with periods in
    # its cells after a label (wide); else a header naming a period column (transposed).
    for n in range(1, top + 1):
        row = rows[n - 1]
        roles = [header_role(v) for v in row]
        if "period" in roles and "value" in roles:
            return _long(grid, n, roles, width)
        periods = [i for i, v in enumerate(row) if not _blank(v) and _is_period(v)]
        if periods and periods[0] > 0:
            return _wide(grid, n, periods, width)
    for n in range(1, top + 1):
        roles = [header_role(v) for v in rows[n - 1]]
        if "period" in roles:
            return _transposed(grid, n, roles, width)
    raise ApplicationError(
        "표의 모양을 알 수 없습니다: 처음 몇 행에서 연도(시점) 제목이나 연도·값 열을 찾지 못했습니다 / "
        "cannot tell the table's layout: no year headings (wide table) and no period and value columns "
        "(long table) in the first rows",
        code="unknown_layout",
    )


def _header_block(rows, period_row: int, value_columns: list[int]) -> tuple[int, int, int]:
    """First and last header row and the first data row around the row of period headings:
    rows above with text over the value columns (an item heading) belong to the header, and so
    do rows below whose value cells are text, not numbers (``초미세먼지 (㎍/㎥)``)."""
    first = period_row
    while first > 1:
        above = rows[first - 2]
        if any(not _blank(_cell(above, i)) for i in value_columns):
            first -= 1
        else:
            break
    last = period_row
    while last < len(rows):
        below = rows[last]
        cells = [_cell(below, i) for i in value_columns]
        filled = [v for v in cells if not _blank(v)]
        if filled and not any(_is_number_like(v) for v in filled):
            last += 1
        else:
            break
    return first, last, last + 1


def _label_role(header: str, index: int, first_label: int) -> str:
    role = header_role(header)
    if role in ("region", "item", "unit", "ignore"):
        return role
    return "region" if index == first_label else "ignore"


def _wide(grid: Grid, period_row: int, periods: list[int], width: int) -> Layout:
    rows = grid.rows
    value_columns = list(range(periods[0], width))
    first, last, data_first = _header_block(rows, period_row, value_columns)
    header = _filled_header(grid, first, last, width)
    columns = []
    for i in range(width):
        texts = [h[i] for h in header if h[i]]
        joined = " / ".join(dict.fromkeys(texts))
        if i < periods[0]:
            role = _label_role(texts[0] if texts else "", i, 0)
            if len(set(texts)) > 1 and role == "ignore":
                role = _label_role(texts[-1], i, 0)
            columns.append(ColumnMap(i, joined, role))
            continue
        period, item, unit, flag = "", "", "", ""
        for text in texts:
            try:
                p = parse_period(text)
            except PeriodError:
                if header_role(text) in ("region", "period"):
                    continue
                item, unit = item_and_unit(text)
            else:
                period, flag = str(p.year) + (f" Q{p.quarter}" if p.quarter else ""), p.flag
        columns.append(
            ColumnMap(
                i, joined, "value" if period else "ignore", period=period, item=item, unit=unit, flag=flag
            )
        )
    return Layout("wide", first, last, data_first, columns, sheet=grid.sheet)


def _long(grid: Grid, header_row: int, roles: list, width: int) -> Layout:
    header = [_text(_cell(grid.rows[header_row - 1], i)) for i in range(width)]
    columns = [
        ColumnMap(i, header[i], roles[i] if i < len(roles) and roles[i] else "ignore") for i in range(width)
    ]
    # Only the first column of each role is used; a second one is probably something else.
    seen = set()
    for c in columns:
        if c.role in seen and c.role != "ignore":
            c.role = "ignore"
        seen.add(c.role)
    for c in columns:
        if c.role == "value" and c.unit == "":
            c.item, c.unit = "", item_and_unit(c.header)[1]
    return Layout("long", header_row, header_row, header_row + 1, columns, sheet=grid.sheet)


def _transposed(grid: Grid, header_row: int, roles: list, width: int) -> Layout:
    header = [_text(_cell(grid.rows[header_row - 1], i)) for i in range(width)]
    columns = []
    for i in range(width):
        role = roles[i] if i < len(roles) and roles[i] else None
        if role in ("period", "item", "unit", "ignore"):
            columns.append(ColumnMap(i, header[i], role))
        elif header[i]:
            name, unit = item_and_unit(header[i])
            columns.append(ColumnMap(i, header[i], "value", region=name, unit=unit))
        else:
            columns.append(ColumnMap(i, "", "ignore"))
    return Layout("transposed", header_row, header_row, header_row + 1, columns, sheet=grid.sheet)


# ------------------------------------------------------------------------------ the values


@dataclass(frozen=True)
class ValueCell:
    """One value cell with everything the table says about it. ``regions`` are the texts of the
    row's region columns, left to right (a province column, then a district column), filled
    down from above where a merged or blank cell repeats the one above."""

    row: int
    letter: str
    regions: tuple[str, ...]
    period: str
    item: str
    unit: str
    value: object  # None when missing (see reason)
    flag: str = ""
    reason: str = ""

    @property
    def where(self) -> str:
        return f"row {self.row}, column {self.letter}"


def cells(grid: Grid, layout: Layout) -> Iterator[ValueCell]:
    """Every non-blank value cell below the header, with its region, period, item and unit taken
    from its row's columns and its column's header. Rows without a region (footnotes such as
    ``자료: 환경부``) yield nothing when they hold no value."""
    role_index = {}
    for c in layout.columns:
        if c.role in ("period", "item", "unit", "flag") and c.role not in role_index:
            role_index[c.role] = c.index
    region_indexes = [c.index for c in layout.columns if c.role == "region"]
    values = [c for c in layout.columns if c.role == "value"]
    above = [""] * len(region_indexes)
    for n in range(layout.data_first, len(grid.rows) + 1):
        row = grid.rows[n - 1]
        texts = [_text(_cell(row, i)) for i in region_indexes]
        # A blank province cell under a filled one repeats it (merged down, or left blank in csv);
        # the innermost column (the district) is never filled down.
        regions = tuple(
            text or (above[k] if k < len(texts) - 1 and any(texts[k + 1 :]) else "")
            for k, text in enumerate(texts)
        )
        above = [r or a for r, a in zip(regions, above, strict=True)]
        for column in values:
            raw = _cell(row, column.index)
            if _blank(raw):
                continue
            m = marker(raw)
            period = column.period
            if not period and "period" in role_index:
                period = _text(_cell(row, role_index["period"]))
            row_flag = _text(_cell(row, role_index["flag"])).lower()[:1] if "flag" in role_index else ""
            yield ValueCell(
                row=n,
                letter=column.letter,
                regions=(column.region,) if column.region else regions,
                period=period,
                item=column.item or (_text(_cell(row, role_index["item"])) if "item" in role_index else ""),
                unit=column.unit or (_text(_cell(row, role_index["unit"])) if "unit" in role_index else ""),
                value=m.value,
                flag=m.flag or column.flag or (row_flag if row_flag in ("p", "e") else ""),
                reason=m.reason,
            )

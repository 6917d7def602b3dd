"""Find explicit, complete dates in a line of text.

Only dates that state year, month and day are returned: "19일" or "7월 4일"
give nothing (we never guess the year), and "2022년 4월" is month-level only
(see :func:`find_month`), which the engine does not report as a publication
date.
"""

from __future__ import annotations

import datetime as dt
import re

# The year comes first and the look-behind after it (nothing but a digit or a dot before the
# year): re then skips to the places a year can start instead of trying every position.
_NUMERIC = re.compile(
    r"((?:19|20)\d{2})(?<![\d.]\d{4})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?![\d])\.?"
    r"(?:\s*(?:\([월화수목금토일]\)|[월화수목금토일]요일))?"
    r"(?:\s*(\d{1,2}):(\d{2})(?::\d{2})?)?"
)
_KOREAN = re.compile(
    r"((?:19|20)\d{2})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일"
    r"(?:\s*(?:\([월화수목금토일]\)|[월화수목금토일]요일))?"
)
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_EN_MDY = re.compile(
    rf"\b({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
_EN_DMY = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_NAMES})\.?,?\s+((?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
_KO_MONTH = re.compile(r"((?:19|20)\d{2})\s*(?:년|\.)\s*(\d{1,2})\s*월(?!\s*\d{1,2}\s*일)")


def _mk(y: str, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_MONTH_PREFIXES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _numeric(m: re.Match) -> dt.date | None:
    return _mk(m.group(1), m.group(3), m.group(4))


def _korean(m: re.Match) -> dt.date | None:
    return _mk(m.group(1), m.group(2), m.group(3))


def _en_mdy(m: re.Match) -> dt.date | None:
    return _mk(m.group(3), str(_MONTHS[m.group(1).lower()]), m.group(2))


def _en_dmy(m: re.Match) -> dt.date | None:
    return _mk(m.group(3), str(_MONTHS[m.group(2).lower()]), m.group(1))


def _readers(line: str) -> list[tuple[re.Pattern, object]]:
    """The date patterns worth running on ``line``: a pattern whose fixed words (년, a month
    name) do not occur cannot match, and scanning a long line for nothing is most of the cost."""
    if not _YEAR_RE.search(line):
        return []
    readers: list[tuple[re.Pattern, object]] = [(_NUMERIC, _numeric)]
    if "년" in line:
        readers.append((_KOREAN, _korean))
    lower = line.lower()
    if any(month in lower for month in _MONTH_PREFIXES):
        readers += [(_EN_MDY, _en_mdy), (_EN_DMY, _en_dmy)]
    return readers


def _valid(pattern: re.Pattern, reader, line: str):
    for m in pattern.finditer(line):
        d = reader(m)
        if d:
            yield d, m.start(), m.end()


def find_dates(line: str) -> list[tuple[dt.date, int, int]]:
    """All complete dates in ``line`` as (date, start, end), in order."""
    out = [found for pattern, reader in _readers(line) for found in _valid(pattern, reader, line)]
    out.sort(key=lambda t: t[1])
    return out


def first_date(line: str) -> dt.date | None:
    """The first complete date of ``line``: each pattern stops at its first valid match, so a
    line full of dates costs one short scan, not a reading of every date."""
    firsts = [
        found for pattern, reader in _readers(line) if (found := next(_valid(pattern, reader, line), None))
    ]
    return min(firsts, key=lambda t: t[1])[0] if firsts else None


def strip_dates(line: str) -> str:
    """The line with its dates (and times) removed, for "what else is here".

    Built from the pieces between the dates in one pass: cutting each date out of the whole
    line in turn copied the line once per date (400k dates on a 4 MB line never finished)."""
    pieces, last = [], 0
    for _d, start, end in find_dates(line):
        if start >= last:  # an overlapping second reading of the same date adds nothing
            pieces.append(line[last:start])
        last = max(last, end)
    pieces.append(line[last:])
    return _TIME_RE.sub(" ", " ".join(pieces)).strip()


_TIME_RE = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")


def find_month(line: str) -> str | None:
    """'2022-04' for a month-level date like '2022년 4월', else None."""
    m = _KO_MONTH.search(line)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    return None

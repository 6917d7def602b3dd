"""Find explicit, complete dates in a line of text.

Only dates that state year, month and day are returned: "19일" or "7월 4일"
give nothing (we never guess the year), and "2022년 4월" is month-level only
(see :func:`find_month`), which the engine does not report as a publication
date.
"""

from __future__ import annotations

import datetime as dt
import re

_NUMERIC = re.compile(
    r"(?<![\d.])((?:19|20)\d{2})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?![\d])\.?"
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
_KO_MONTH = re.compile(
    r"((?:19|20)\d{2})\s*(?:년|\.)\s*(\d{1,2})\s*월(?!\s*\d{1,2}\s*일)"
)


def _mk(y: str, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


_YEAR_RE = re.compile(r"(?:19|20)\d\d")


def find_dates(line: str) -> list[tuple[dt.date, int, int]]:
    """All complete dates in ``line`` as (date, start, end), in order."""
    out: list[tuple[dt.date, int, int]] = []
    if not _YEAR_RE.search(line):
        return out
    for m in _NUMERIC.finditer(line):
        d = _mk(m.group(1), m.group(3), m.group(4))
        if d:
            out.append((d, m.start(), m.end()))
    for m in _KOREAN.finditer(line):
        d = _mk(m.group(1), m.group(2), m.group(3))
        if d:
            out.append((d, m.start(), m.end()))
    for m in _EN_MDY.finditer(line):
        d = _mk(m.group(3), str(_MONTHS[m.group(1).lower()]), m.group(2))
        if d:
            out.append((d, m.start(), m.end()))
    for m in _EN_DMY.finditer(line):
        d = _mk(m.group(3), str(_MONTHS[m.group(2).lower()]), m.group(1))
        if d:
            out.append((d, m.start(), m.end()))
    out.sort(key=lambda t: t[1])
    return out


def first_date(line: str) -> dt.date | None:
    found = find_dates(line)
    return found[0][0] if found else None


def strip_dates(line: str) -> str:
    """The line with its dates (and times) removed, for "what else is here"."""
    for _d, s, e in reversed(find_dates(line)):
        line = line[:s] + " " + line[e:]
    return re.sub(r"\d{1,2}:\d{2}(:\d{2})?", " ", line).strip()


def find_month(line: str) -> str | None:
    """'2022-04' for a month-level date like '2022년 4월', else None."""
    m = _KO_MONTH.search(line)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    return None

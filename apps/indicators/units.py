"""Units a spreadsheet may state beside a value, and the only conversions an import applies.

An import compares the unit written in the file with the indicator's own unit. The same unit
(spaces and case ignored: ``천 명`` = ``천명``) passes; a pair in the table below is converted
exactly (rational factors, one rounding to float at the end) and the import report says so;
anything else is a row error — a value in ``천명`` must never land in a ``명`` series unconverted.
The table is deliberately small: only units whose factors are exact by definition.
"""

from __future__ import annotations

import functools
import unicodedata
from fractions import Fraction

from apps.core.spreadsheets import clip

# unit → (quantity, factor to that quantity's base unit)
_UNITS: dict[str, tuple[str, Fraction]] = {
    "명": ("persons", Fraction(1)),
    "천명": ("persons", Fraction(1_000)),
    "만명": ("persons", Fraction(10_000)),
    "원": ("won", Fraction(1)),
    "천원": ("won", Fraction(1_000)),
    "만원": ("won", Fraction(10_000)),
    "백만원": ("won", Fraction(1_000_000)),
    "억원": ("won", Fraction(100_000_000)),
    "%": ("ratio", Fraction(1, 100)),
    "‰": ("ratio", Fraction(1, 1_000)),
    "kg": ("mass", Fraction(1)),
    "톤": ("mass", Fraction(1_000)),
    "천톤": ("mass", Fraction(1_000_000)),
}
_ALIASES = {"퍼센트": "%", "percent": "%", "퍼밀": "‰", "t": "톤", "ton": "톤", "tonne": "톤"}


def normalise_unit(text) -> str:
    """``" 천 명 "`` → ``"천명"``; ``"Percent"`` → ``"%"``; KOSIS's ``㎍/㎥`` → ``μg/m3`` (NFKC, so
    ``µg/m³`` written with ordinary letters is the same unit)."""
    key = unicodedata.normalize("NFKC", "".join(str(text or "").split())).lower()
    return _ALIASES.get(key, key)


@functools.lru_cache(maxsize=1024)
def unit_factor(from_unit, to_unit) -> Fraction | None:
    """What a value in ``from_unit`` is multiplied by to be expressed in ``to_unit``:
    1 for the same unit, the exact factor for a known conversion, else None. Kept per pair:
    an import asks it for every row with a unit, with a handful of different pairs."""
    a, b = normalise_unit(from_unit), normalise_unit(to_unit)
    if a == b:
        return Fraction(1)
    if a in _UNITS and b in _UNITS and _UNITS[a][0] == _UNITS[b][0]:
        return _UNITS[a][1] / _UNITS[b][1]
    return None


def convert(value: float, factor: Fraction) -> float:
    """``value × factor`` computed exactly, rounded once (``0.3 ‰ → 0.03 %``, not 0.030000000000000002)."""
    return value if factor == 1 else float(Fraction(value) * factor)


def unit_change_refusal(old_unit, new_unit, stored: int) -> str | None:
    """Why an indicator with ``stored`` values may not change its unit from ``old_unit`` to
    ``new_unit`` (None when it may): its values were measured in the old unit, and relabelling
    them is the 1000× error. Asked by the import and by ``indicator_update`` alike."""
    if not stored or normalise_unit(old_unit) == normalise_unit(new_unit):
        return None
    old, new = clip(str(old_unit or "")), clip(str(new_unit or ""))
    return (
        f"관측값 {stored}개가 '{old}' 단위로 저장되어 있어 단위를 바꿀 수 없습니다 / {stored} stored value(s) "
        f"are in '{old}'; the unit of an indicator with values is not changed (to '{new}')"
    )

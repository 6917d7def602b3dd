"""The statutory calendar as pure functions of years and dates (no database): which report is
due in which year under the 지속가능발전 기본법 (2022), and how a due date stands on a day.

Source: ../shared/docs/research/korea_cycle_frameworks_kosis.md §2 (the Act and its decree as
read from legalize-kr). The Act gives cycles in years and never a day of the year, nor the year
a two-yearly cycle starts; those are the city's settings (``CycleSettings``), with the defaults
below stated as ours, not the Act's:

- 지방기본전략 (Art. 8): a 20-year strategy, set in its start year Y; reviewed every 5 years
  (Y+5, Y+10, Y+15); the next strategy is due in Y+20.
- 지방추진계획 (Art. 9; decree Art. 6): every 5 years. First year: the city's setting, by
  default Y (the plan carries out the strategy it belongs to).
- 추진상황 점검 (Art. 11), 지속가능성 평가 (Art. 15), 지방보고서 (Art. 16): every 2 years.
  First year: the city's setting, by default Y+2 (two years of the plan to look back on).
- VLR: voluntary, no statutory date; only dates the city sets.
- The day within a due year: the city's setting, by default 31 December (the Act names the
  year only).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from .choices import ReportKind as K

STRATEGY_YEARS = 20
STRATEGY_REVIEW_EVERY = 5  # Art. 8: reviewed every 5 years
PLAN_EVERY = 5  # Art. 9
BIENNIAL_EVERY = 2  # Art. 11, 15, 16
BIENNIAL_KINDS = (K.CHECK, K.ASSESSMENT, K.LOCAL_REPORT)
SOON_DAYS = 90  # "due within 90 days" on the dashboard and network page
REMINDER_DAYS = (90, 30, 7, 0)  # reminders before the due date; 0: on the day and after (overdue)


@dataclass(frozen=True)
class DueYear:
    kind: str
    year: int
    review: bool = False  # a 5-yearly review of the strategy, not a new strategy


def due_years(
    *,
    strategy_start: int,
    until: int,
    plan_first: int | None = None,
    biennial_first: int | None = None,
) -> list[DueYear]:
    """Every statutory report due from ``strategy_start`` up to ``until`` (inclusive), by year
    then kind. ``plan_first`` and ``biennial_first`` are the city's settings (default above)."""
    items: list[DueYear] = []
    for year in range(strategy_start, until + 1, STRATEGY_REVIEW_EVERY):
        new = (year - strategy_start) % STRATEGY_YEARS == 0
        items.append(DueYear(K.STRATEGY, year, review=not new))
    plan_first = strategy_start if plan_first is None else plan_first
    items += [DueYear(K.PLAN, year) for year in range(plan_first, until + 1, PLAN_EVERY)]
    biennial_first = strategy_start + BIENNIAL_EVERY if biennial_first is None else biennial_first
    for year in range(biennial_first, until + 1, BIENNIAL_EVERY):
        items += [DueYear(kind, year) for kind in BIENNIAL_KINDS]
    order = {kind: i for i, kind in enumerate(K.values)}
    return sorted(items, key=lambda d: (d.year, order[d.kind]))


def is_due_year(kind: str, year: int, **settings) -> bool:
    """Whether a report of ``kind`` is due in ``year`` under the rules and the city's settings
    (``strategy_start`` required; ``plan_first``, ``biennial_first`` optional)."""
    if settings.get("strategy_start") is None or kind == K.VLR:
        return False
    return any(d.kind == kind and d.year == year for d in due_years(until=year, **settings))


def deadline(year: int, month: int = 12, day: int = 31) -> date:
    """The due date in ``year`` on the city's day; 29 February falls on the 28th in other years."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def standing(due: date, today: date, *, submitted: bool) -> str:
    """``submitted``, ``overdue`` (past its date), ``soon`` (within 90 days) or ``later``."""
    if submitted:
        return "submitted"
    days = (due - today).days
    if days < 0:
        return "overdue"
    return "soon" if days <= SOON_DAYS else "later"


def reminder_step(due: date, today: date) -> int | None:
    """The reminder due today for a report not yet submitted: the smallest of ``REMINDER_DAYS``
    whose day has come (90, 30, 7 days before, then 0 on the day and after), or None before
    the first. A job that missed days sends only the latest step, never the ones it skipped."""
    days = (due - today).days
    reached = [step for step in REMINDER_DAYS if days <= step]
    return min(reached) if reached else None

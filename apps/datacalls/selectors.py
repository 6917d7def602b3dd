"""What a data call covers and who has reported (README "Data calls").

**Covered**: the municipality's local indicators not retired, and its initiatives whose status
is *ongoing*. **Reported**: an indicator is reported when it has at least one value
(``Observation``, any quarter, any disaggregation) for the call's year; an initiative when it
has a progress update dated in the call's year. Each item is due on its own reporting due date
(``report_due``) when it has one, else on the call's. While a call is open this is read live;
a closed call reads the rows frozen at its closing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from apps.core.permissions import Action
from apps.indicators.models import LocalIndicator, Observation
from apps.initiatives.choices import Status
from apps.initiatives.models import Initiative, ProgressUpdate

from .models import DataCall

INDICATOR, INITIATIVE = "indicator", "initiative"
NO_DEPARTMENT = ""  # shown as "(no department)"


@dataclass(frozen=True)
class Item:
    """One thing a call asks for: a local indicator's value or an initiative's progress."""

    kind: str
    pk: int
    code: str
    name_ko: str
    name_en: str
    department: str
    owner_name: str
    owner_email: str
    due: date
    reported: bool

    def as_json(self) -> dict:
        return {**asdict(self), "due": self.due.isoformat()}

    @classmethod
    def from_json(cls, data: dict) -> Item:
        return cls(**{**data, "due": date.fromisoformat(data["due"])})


@dataclass(frozen=True)
class DepartmentCount:
    department: str
    total: int
    reported: int

    @property
    def missing(self) -> int:
        return self.total - self.reported


@dataclass(frozen=True)
class CallSummary:
    """A call with how many of its items have been reported."""

    call: DataCall
    total: int
    reported: int

    @property
    def missing(self) -> int:
        return self.total - self.reported

    @property
    def share(self) -> float | None:
        return self.reported / self.total if self.total else None


def covered_indicators(municipality_id: int):
    return LocalIndicator.objects.filter(municipality_id=municipality_id, retired_at__isnull=True)


def covered_initiatives(municipality_id: int):
    return Initiative.objects.filter(municipality_id=municipality_id, status=Status.ONGOING)


def _indicator_reported(year):
    return Exists(Observation.objects.filter(local_indicator=OuterRef("pk"), year=year))


def _initiative_reported(year):
    return Exists(ProgressUpdate.objects.filter(initiative=OuterRef("pk"), date__year=year))


def call_rows(call: DataCall) -> list[Item]:
    """Every item of ``call``, indicators (by code) then initiatives (by title): two queries
    while the call is open, none once it is closed (its frozen rows)."""
    if call.frozen_rows is not None:
        return [Item.from_json(row) for row in call.frozen_rows]
    fields = ("pk", "department", "owner_name", "owner_email", "report_due", "done")
    indicators = (
        covered_indicators(call.municipality_id)
        .annotate(done=_indicator_reported(call.year))
        .order_by("code", "pk")
        .values_list(*fields, "code", "name_ko", "name_en")
    )
    initiatives = (
        covered_initiatives(call.municipality_id)
        .annotate(done=_initiative_reported(call.year))
        .order_by("title_ko", "title_en", "pk")
        .values_list(*fields, "title_ko", "title_en")
    )
    rows = [
        Item(INDICATOR, pk, code, name_ko, name_en, dept, owner, email, due or call.due_date, done)
        for pk, dept, owner, email, due, done, code, name_ko, name_en in indicators
    ]
    rows += [
        Item(INITIATIVE, pk, "", title_ko, title_en, dept, owner, email, due or call.due_date, done)
        for pk, dept, owner, email, due, done, title_ko, title_en in initiatives
    ]
    return rows


def by_department(rows: list[Item]) -> list[DepartmentCount]:
    """Counts per department, the departments with most missing first."""
    total: dict[str, int] = defaultdict(int)
    reported: dict[str, int] = defaultdict(int)
    for row in rows:
        total[row.department] += 1
        reported[row.department] += row.reported
    counts = [DepartmentCount(name, total[name], reported[name]) for name in total]
    return sorted(counts, key=lambda c: (-c.missing, c.department))


def owed_rows(rows: list[Item], *, owner: str = "", department: str | None = None) -> list[Item]:
    """The items of one owner (e-mail, any case) or one department."""
    if owner:
        rows = [r for r in rows if r.owner_email.lower() == owner.lower()]
    if department is not None:
        rows = [r for r in rows if r.department == department]
    return rows


def open_call_summaries(user, municipality_ids=None) -> list[CallSummary]:
    """The open calls ``user`` sees (of ``municipality_ids`` when given) with their counts:
    one query for the calls and, when there are any, one grouped query per kind of item (a
    network of any size costs three queries)."""
    calls = DataCall.objects.for_user(user, Action.VIEW).open().select_related("municipality")
    if municipality_ids is not None:
        calls = calls.filter(municipality_id__in=municipality_ids)
    calls = list(calls.order_by("municipality__code"))
    if not calls:
        return []
    ids = [c.municipality_id for c in calls]
    call_year = Subquery(
        DataCall.objects.open().filter(municipality=OuterRef("municipality")).values("year")[:1]
    )
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for items, reported in (
        (LocalIndicator.objects.filter(retired_at__isnull=True), _indicator_reported),
        (Initiative.objects.filter(status=Status.ONGOING), _initiative_reported),
    ):
        grouped = (
            items.filter(municipality_id__in=ids)
            .annotate(call_year=call_year)
            .annotate(done=reported(OuterRef("call_year")))
            .order_by()
            .values("municipality_id")
            .annotate(total=Count("pk"), reported=Count("pk", filter=Q(done=True)))
        )
        for row in grouped:
            counts[row["municipality_id"]][0] += row["total"]
            counts[row["municipality_id"]][1] += row["reported"]
    return [CallSummary(c, *counts[c.municipality_id]) for c in calls]

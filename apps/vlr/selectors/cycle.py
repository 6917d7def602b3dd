"""Reads of the statutory calendar: what each city owes when (the rules of apps/vlr/cycle.py
applied to the city's settings, plus the dates it set), and how each item stands today."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from apps.core.permissions import Action, municipality_scope
from apps.municipalities.models import Municipality

from .. import cycle
from ..choices import EditionStatus, ReportKind
from ..models import CycleDate, CycleSettings, Edition, Submission
from ..outlines import outline_of

YEARS_AHEAD = 6  # the calendar shows what falls due up to this many years after today


@dataclass
class CalendarItem:
    municipality_id: int
    kind: str  # "" for a date of the city's own
    year: int
    due: date
    source: str  # "rule" (the Act and the city's settings) or "city" (a date the city set)
    title_ko: str
    title_en: str
    article: str
    standing: str  # submitted | overdue | soon | later
    edition_id: int | None = None
    submitted_on: date | None = None
    municipality_name: str = ""  # filled by network_calendar


def _titles(kind: str, review: bool) -> tuple[str, str]:
    ko, en = ReportKind(kind).label.split(" / ")
    if review:
        return f"{ko} 타당성 검토", f"review of the {en}"
    return ko, en


def due_date_for(*, municipality, kind: str, year: int) -> date | None:
    """The due date of a report of ``kind`` for ``year``: the date the city set for it, else the
    rule's (when the rule makes it due that year), else None (a VLR, or a year the Act does not
    name)."""
    own = CycleDate.objects.filter(municipality=municipality, kind=kind, year=year).values_list(
        "due", flat=True
    )
    if own:
        return own[0]
    settings = CycleSettings.objects.filter(municipality=municipality).first()
    if settings is None or not cycle.is_due_year(kind, year, **settings.rule_settings()):
        return None
    return cycle.deadline(year, settings.due_month, settings.due_day)


def calendar_items(*, municipality_ids, today: date, since: int | None = None) -> list[CalendarItem]:
    """Every item due for the given municipalities from ``since`` (default: two years before
    ``today``) to ``YEARS_AHEAD`` years after, by due date. An item is ``submitted`` once a
    submission of an edition of its kind and year is recorded. Queries: settings, city dates,
    submissions (3, whatever the number of cities)."""
    ids = list(municipality_ids)
    since = today.year - 2 if since is None else since
    until = today.year + YEARS_AHEAD
    settings = {s.municipality_id: s for s in CycleSettings.objects.filter(municipality_id__in=ids)}
    own: dict[tuple, CycleDate] = {}
    extra: list[CycleDate] = []
    for row in CycleDate.objects.filter(municipality_id__in=ids, year__gte=since, year__lte=until):
        if row.kind:
            own[row.municipality_id, row.kind, row.year] = row
        else:
            extra.append(row)
    sent: dict[tuple, tuple[int, date]] = {}
    for edition_id, municipality_id, kind, year, sent_on in (
        Submission.objects.filter(edition__municipality_id__in=ids, edition__year__gte=since)
        .order_by("sent_on")
        .values_list("edition_id", "edition__municipality_id", "edition__kind", "edition__year", "sent_on")
    ):
        sent.setdefault((municipality_id, kind, year), (edition_id, sent_on))
    items: list[CalendarItem] = []

    def add(municipality_id, kind, year, due, source, ko, en, article):
        submitted = sent.get((municipality_id, kind, year)) if kind else None
        items.append(
            CalendarItem(
                municipality_id=municipality_id,
                kind=kind,
                year=year,
                due=due,
                source=source,
                title_ko=ko,
                title_en=en,
                article=article,
                standing=cycle.standing(due, today, submitted=submitted is not None),
                edition_id=submitted[0] if submitted else None,
                submitted_on=submitted[1] if submitted else None,
            )
        )

    for municipality_id, s in settings.items():
        for due in cycle.due_years(until=until, **s.rule_settings()):
            if due.year < since:
                continue
            override = own.pop((municipality_id, due.kind, due.year), None)
            ko, en = _titles(due.kind, due.review)
            add(
                municipality_id,
                due.kind,
                due.year,
                override.due if override else cycle.deadline(due.year, s.due_month, s.due_day),
                "city" if override else "rule",
                ko,
                en,
                outline_of(due.kind).article,
            )
    # Dates the city set for reports the rules do not make due (a VLR, an extra report) and
    # dates of its own.
    for row in [*own.values(), *extra]:
        ko, en = _titles(row.kind, False) if row.kind else ("", "")
        add(
            row.municipality_id,
            row.kind,
            row.year,
            row.due,
            "city",
            row.title_ko or ko,
            row.title_en or en,
            outline_of(row.kind).article if row.kind else "",
        )
    order = {kind: index for index, kind in enumerate(["", *ReportKind.values])}
    return sorted(items, key=lambda i: (i.due, i.municipality_id, order[i.kind]))


def network_calendar(user, today: date) -> dict[str, list[CalendarItem]]:
    """The coordinator's view: items of the municipalities they review, grouped as overdue, due
    within 90 days and submitted (the last two years), each group by date. Queries: the
    calendar's 3, the names of the municipalities listed (and, for a nationwide scope, which
    cities keep a calendar)."""
    scope = municipality_scope(user, Action.REVIEW)
    if not (scope.all or scope.ids):
        return {}
    ids = CycleSettings.objects.values_list("municipality_id", flat=True) if scope.all else scope.ids
    groups: dict[str, list[CalendarItem]] = defaultdict(list)
    for item in calendar_items(municipality_ids=ids, today=today):
        if item.standing in ("overdue", "soon", "submitted"):
            groups[item.standing].append(item)
    listed = {item.municipality_id for items in groups.values() for item in items}
    if listed:
        names = dict(Municipality.objects.filter(pk__in=listed).values_list("pk", "name_ko"))
        for items in groups.values():
            for item in items:
                item.municipality_name = names[item.municipality_id]
    return dict(groups)


def city_calendar(municipality, today: date, *, later: int = 5) -> list[CalendarItem]:
    """The dashboard's calendar: what is overdue, due within 90 days or submitted, then the next
    ``later`` items (3 queries)."""
    items = calendar_items(municipality_ids=[municipality.pk], today=today)
    shown = [i for i in items if i.standing != "later"]
    return shown + [i for i in items if i.standing == "later"][:later]


def previous_approved_of_kind(edition: Edition, user):
    """The last approved or published edition of the same kind and city before this one (the
    base of "changes since the last approved edition of this kind")."""
    return (
        Edition.objects.for_user(user)
        .filter(
            municipality_id=edition.municipality_id,
            kind=edition.kind,
            status__in=(EditionStatus.APPROVED, EditionStatus.PUBLISHED),
            year__lt=edition.year,
            changes_basis__isnull=False,
        )
        .order_by("-year", "-period_end")
        .only("id", "year", "kind", "changes_basis", "title_ko", "title_en")
        .first()
    )

"""Reads across the data of one or several municipalities: the goal grid of the dashboard and
the coordinators' network view."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from apps.evidence.choices import LinkStatus
from apps.evidence.models import EvidenceLink
from apps.indicators import progress as engine
from apps.indicators.selectors import (
    local_indicators_for,
    stored_goal_summaries,
    stored_indicator_progress,
    stored_overall_summaries,
)
from apps.initiatives.models import Initiative, InitiativeTarget
from apps.initiatives.selectors import budget_lines
from apps.municipalities.models import Municipality
from apps.sdg.models import Goal, Target


@dataclass
class GoalCell:
    """One goal of one municipality: indicator counts per status (from the progress selectors),
    initiatives and confirmed evidence touching it."""

    goal: Goal
    summary: engine.Summary
    initiatives: int = 0
    evidence: int = 0

    @property
    def counts(self) -> list[tuple[engine.Status, int]]:
        """Non-zero counts in the order of the display scale (best first)."""
        return [(s, n) for s, n in self.summary.counts.items() if n]

    @property
    def headline(self) -> engine.Status | None:
        """The status most of the goal's assessed indicators have (a tie goes to the worse one),
        the colour of the network grid's cell; None when none could be assessed."""
        assessed = [
            (n, i) for i, (s, n) in enumerate(self.counts) if s is not engine.Status.INSUFFICIENT_DATA
        ]
        return self.counts[max(assessed)[1]][0] if assessed else None


def goal_overview(
    user, municipalities: list[Municipality], *, evidence: bool = True
) -> tuple[dict[int, dict[int, GoalCell]], dict]:
    """({municipality id: {goal number: GoalCell}}, {municipality id: Summary of its indicators})
    for what ``user`` may see, in a constant number of queries whatever the number of
    municipalities, indicators or initiatives: the status counts are the stored progress
    aggregated in the database (never the observations), the initiative counts are grouped there
    too. ``evidence=False`` leaves the evidence counts at 0 (the network grid does not show them).

    Initiatives and evidence count per goal as in the workbook's SDG overview
    (apps.vlr.selectors.report.goal_summary_dicts): an initiative touches the goals of its targets;
    a confirmed link touches its target's goal, or the goals of its indicator or initiative.
    """
    goals = list(Goal.objects.all())
    ids = [m.pk for m in municipalities]
    indicators = local_indicators_for(user=user).filter(municipality__in=ids)
    statuses = stored_goal_summaries(indicators)
    overall = stored_overall_summaries(indicators)
    initiatives_qs = Initiative.objects.for_user(user).filter(municipality__in=ids)
    initiatives = {
        (m_id, number): n
        for m_id, number, n in InitiativeTarget.objects.filter(initiative__in=initiatives_qs.values("pk"))
        .order_by()
        .values_list("initiative__municipality_id", "target__goal__number")
        .annotate(n=Count("initiative_id", distinct=True))
    }
    evidence_counts = _evidence_counts(user, ids) if evidence else {}
    empty = engine.summary_from_counts({})
    grid = {
        m_id: {
            g.number: GoalCell(
                g,
                statuses.get((m_id, g.number), empty),
                initiatives.get((m_id, g.number), 0),
                evidence_counts.get((m_id, g.number), 0),
            )
            for g in goals
        }
        for m_id in ids
    }
    return grid, {m_id: overall.get(m_id, empty) for m_id in ids}


def _evidence_counts(user, ids: list[int]) -> dict[tuple[int, int], int]:
    """{(municipality id, goal number): confirmed evidence links touching that goal}, one query:
    each link with its target's goal, or the goals of its (not retired) indicator's alignments,
    or of its initiative's targets."""
    rows = (
        EvidenceLink.objects.for_user(user)
        .filter(status=LinkStatus.CONFIRMED)
        .filter(
            Q(municipality__in=ids)
            | Q(local_indicator__municipality__in=ids)
            | Q(initiative__municipality__in=ids)
        )
        .values_list(
            "id",
            "municipality_id",
            "target__goal__number",
            "local_indicator_id",
            "local_indicator__municipality_id",
            "local_indicator__retired_at",
            "local_indicator__alignments__target__goal__number",
            "initiative__municipality_id",
            "initiative__target_links__target__goal__number",
        )
        .order_by()
    )
    evidence: dict[tuple[int, int], set[int]] = defaultdict(set)
    for link_id, muni_id, goal, ind_id, ind_muni, retired, ind_goal, ini_muni, ini_goal in rows:
        if goal:
            touched = goal
        elif ind_id:
            touched = None if retired else ind_goal
        else:
            touched = ini_goal
        if touched:
            evidence[(muni_id or ind_muni or ini_muni, touched)].add(link_id)
    return {key: len(link_ids) for key, link_ids in evidence.items()}


@dataclass
class GapRow:
    target: Target
    initiatives: list = field(default_factory=list)
    indicators: list = field(default_factory=list)  # IndicatorProgress
    budget: int = 0  # of the initiatives whose primary target this is (initiatives.selectors.budget_lines)
    shared: int = 0  # initiatives that also serve this target, their budget counted under their primary

    @property
    def groups(self) -> list:
        seen = {}
        for initiative in self.initiatives:
            for group in initiative.groups_served.all():
                seen[group.pk] = group
        return list(seen.values())

    @property
    def summary(self) -> engine.Summary:
        return engine.summarise(self.indicators)

    @property
    def unmeasured(self) -> bool:
        """Initiatives but no indicator that can be assessed."""
        return bool(self.initiatives) and self.summary.assessed == 0

    @property
    def deteriorating_unaddressed(self) -> bool:
        """An aligned indicator deteriorates and no initiative works on the target."""
        return not self.initiatives and self.summary.counts[engine.Status.DETERIORATION] > 0

    @property
    def flagged(self) -> bool:
        return self.unmeasured or self.deteriorating_unaddressed


def gap_rows(*, municipality: Municipality, user) -> tuple[list[GapRow], int]:
    """The gap matrix of a municipality: one row per SDG target that an indicator aligns with
    or an initiative works on, in target order, with its gap flags (``GapRow.flagged``) and
    budget (``budget_lines``); and the total budget of its initiatives."""
    rows: dict[int, GapRow] = {}
    progresses = stored_indicator_progress(local_indicators_for(municipality=municipality, user=user))
    for item in progresses:
        for alignment in item.indicator.alignments.all():
            rows.setdefault(alignment.target_id, GapRow(alignment.target)).indicators.append(item)
    initiatives = Initiative.objects.for_user(user).filter(municipality=municipality)
    links = (
        InitiativeTarget.objects.filter(initiative__in=initiatives)
        .select_related("target__goal")
        .prefetch_related(
            Prefetch("initiative", queryset=Initiative.objects.prefetch_related("groups_served"))
        )
    )
    served: dict[int, list] = defaultdict(list)
    for link in links:
        rows.setdefault(link.target_id, GapRow(link.target)).initiatives.append(link.initiative)
        served[link.initiative_id].append(link)
    spend = budget_lines(
        (served_by[0].initiative.budget_krw, [(line.target_id, line.is_primary) for line in served_by])
        for served_by in served.values()
    )
    for target_id, row in rows.items():
        row.budget, row.shared = spend.lines.get(target_id, 0), spend.shared.get(target_id, 0)
    return sorted(rows.values(), key=lambda r: r.target.sort_key), spend.total

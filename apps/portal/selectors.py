"""Reads across the data of one or several municipalities: the goal grid of the dashboard and
the coordinators' network view."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Prefetch, Q, QuerySet, Value

from apps.core.exceptions import ApplicationError
from apps.core.models import both_languages
from apps.core.permissions import Action, municipality_scope
from apps.evidence.choices import LinkStatus
from apps.evidence.models import EvidenceLink
from apps.frameworks.models import FrameworkNode
from apps.frameworks.selectors import crosswalk_targets, local_nodes_by_target, node_targets
from apps.indicators import progress as engine
from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation
from apps.indicators.selectors import (
    aligned_targets,
    attach_crosswalk_targets,
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
    initiatives = _initiative_counts(user, ids)
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


def network_municipalities(user, *, province: str = "", codes: list[str] | None = None) -> QuerySet:
    """The municipalities of ``user``'s network (those they review), ordered by code: with an
    all-municipality scope only those with any indicator or initiative, or the rows would be
    243 with most of them empty; ``province`` keeps one province and its municipalities;
    ``codes`` keeps those (an unknown or out-of-scope code raises ``ApplicationError``, named).
    What the network page lists and the whole-network export writes; ``user`` None: every
    municipality (an operator's command)."""
    qs = Municipality.objects.all() if user is None else Municipality.objects.for_user(user, Action.REVIEW)
    if codes:
        found = set(qs.filter(code__in=codes).values_list("code", flat=True))
        missing = sorted(set(codes) - found)
        if missing:
            raise ApplicationError(
                f"알 수 없거나 권한 밖의 지자체 코드 / unknown or out-of-scope municipality codes: {', '.join(missing)}"
            )
        return qs.filter(code__in=codes).order_by("code")
    if user is None or municipality_scope(user, Action.REVIEW).all:
        qs = qs.filter(
            Q(pk__in=LocalIndicator.objects.values("municipality"))
            | Q(pk__in=Initiative.objects.values("municipality"))
        )
    if province:
        qs = qs.filter(Q(parent__code=province) | Q(code=province))
    return qs.order_by("code")


def network_grid(user, municipalities: list[Municipality], goals: list[Goal]) -> dict[int, list[GoalCell]]:
    """{municipality id: its GoalCells in the order of ``goals``}: the network page's grid, the
    stored statuses and the initiatives of what ``user`` may see counted in the database (two
    queries, one more for each crosswalk hop; none of the dashboard's evidence or overall
    counts, which the grid does not show)."""
    ids = [m.pk for m in municipalities]
    statuses = stored_goal_summaries(local_indicators_for(user=user).filter(municipality__in=ids))
    initiatives = _initiative_counts(user, ids)
    empty = engine.summary_from_counts({})
    return {
        m_id: [
            GoalCell(g, statuses.get((m_id, g.number), empty), initiatives.get((m_id, g.number), 0))
            for g in goals
        ]
        for m_id in ids
    }


def _initiative_counts(user, ids: list[int]) -> dict[tuple[int, int], int]:
    """{(municipality id, goal number): initiatives touching that goal}, counted in the database
    (an initiative touches the goals of its targets and those its framework nodes reach)."""
    initiatives_qs = Initiative.objects.for_user(user).filter(municipality__in=ids)
    counts = {
        (m_id, number): n
        for m_id, number, n in InitiativeTarget.objects.filter(initiative__in=initiatives_qs.values("pk"))
        .order_by()
        .values_list("initiative__municipality_id", "target__goal__number")
        .annotate(n=Count("initiative_id", distinct=True))
    }
    _add_crosswalk_initiatives(counts, initiatives_qs)
    return counts


def _add_crosswalk_initiatives(counts: dict[tuple[int, int], int], initiatives_qs) -> None:
    """Count each initiative aligned to a framework node also under the UN goals the crosswalk
    reaches and its own targets do not (one query when no initiative has a node)."""
    through = Initiative.framework_nodes.through
    with_nodes = list(
        through.objects.filter(initiative__in=initiatives_qs.values("pk"))
        .order_by()
        .values_list("initiative_id", flat=True)
        .distinct()
    )
    reached = _crosswalk_goals(Initiative, with_nodes)
    if not reached:
        return
    direct: dict[int, set[int]] = defaultdict(set)
    municipality_of: dict[int, int] = {}
    for initiative_id, municipality_id, number in Initiative.objects.filter(pk__in=list(reached)).values_list(
        "pk", "municipality_id", "target_links__target__goal__number"
    ):
        municipality_of[initiative_id] = municipality_id
        if number:
            direct[initiative_id].add(number)
    for initiative_id, numbers in reached.items():
        for number in numbers - direct[initiative_id]:
            key = (municipality_of[initiative_id], number)
            counts[key] = counts.get(key, 0) + 1


def _crosswalk_goals(model, ids: list[int]) -> dict[int, set[int]]:
    """id -> the UN goal numbers the framework nodes of that indicator or initiative reach
    (``crosswalk_targets``; one more query for the goals only when some are reached)."""
    reached = crosswalk_targets(model, ids)
    if not reached:
        return {}
    goal_of = dict(Target.objects.values_list("pk", "goal__number"))
    return {pk: {goal_of[t] for t in targets} for pk, targets in reached.items()}


def _evidence_counts(user, ids: list[int]) -> dict[tuple[int, int], int]:
    """{(municipality id, goal number): confirmed evidence links touching that goal}: each link
    with its target's goal, or the goals of its (not retired) indicator or of its initiative, as
    the other counts of the grid reach them (their own targets and those their framework nodes
    reach through the crosswalk).

    One query: a UNION ALL of the target links, the indicator links and the initiative links of
    the municipalities, each arm reached through its own index (an OR across the joined tables
    made PostgreSQL read every link, indicator and initiative of the database); plus one per
    crosswalk hop for the linked indicators and initiatives that have framework nodes."""
    links = EvidenceLink.objects.for_user(user).filter(status=LinkStatus.CONFIRMED).order_by()
    none = Value(None, output_field=IntegerField())
    arms = (
        links.filter(target__isnull=False, municipality__in=ids)
        .annotate(item=none, kind=Value("target"))
        .values_list("id", "municipality_id", "target__goal__number", "item", "kind"),
        links.filter(local_indicator__municipality__in=ids, local_indicator__retired_at__isnull=True)
        .annotate(kind=Value("indicator"))
        .values_list(
            "id",
            "local_indicator__municipality_id",
            "local_indicator__alignments__target__goal__number",
            "local_indicator_id",
            "kind",
        ),
        links.filter(initiative__municipality__in=ids)
        .annotate(kind=Value("initiative"))
        .values_list(
            "id",
            "initiative__municipality_id",
            "initiative__target_links__target__goal__number",
            "initiative_id",
            "kind",
        ),
    )
    goals: dict[tuple[int, int], set[int]] = defaultdict(set)  # (link, municipality) -> goals
    linked: dict[str, dict[int, list[tuple[int, int]]]] = {"indicator": {}, "initiative": {}}
    for link_id, muni_id, goal, item_id, kind in arms[0].union(*arms[1:], all=True):
        key = (link_id, muni_id)
        goals[key].update([goal] if goal else [])
        if item_id:
            linked[kind].setdefault(item_id, []).append(key)
    for model, kind in ((LocalIndicator, "indicator"), (Initiative, "initiative")):
        for item_id, reached in _crosswalk_goals(model, list(linked[kind])).items():
            for key in set(linked[kind][item_id]):
                goals[key] |= reached
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for (_, muni_id), touched in goals.items():
        for number in touched:
            counts[(muni_id, number)] += 1
    return dict(counts)


@dataclass
class GapRow:
    target: Target
    initiatives: list = field(default_factory=list)
    indicators: list = field(default_factory=list)  # IndicatorProgress
    budget: int = 0  # of the initiatives whose primary target this is (initiatives.selectors.budget_lines)
    shared: int = 0  # initiatives that also serve this target, their budget counted under their primary
    local_nodes: list = field(default_factory=list)  # the city's own framework nodes mapped to it

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
    attach_crosswalk_targets([item.indicator for item in progresses])
    for item in progresses:
        for target in aligned_targets(item.indicator):
            rows.setdefault(target.pk, GapRow(target)).indicators.append(item)
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
    # An initiative aligned to the city's own framework also works on the UN targets the
    # crosswalk reaches (its budget stays under its primary target).
    reached = crosswalk_targets(Initiative, list(served))
    if reached:
        extra = Target.objects.select_related("goal").in_bulk(set().union(*reached.values()))
        for initiative_id, targets in reached.items():
            initiative = served[initiative_id][0].initiative
            for target_id in targets - {line.target_id for line in served[initiative_id]}:
                rows.setdefault(target_id, GapRow(extra[target_id])).initiatives.append(initiative)
    spend = budget_lines(
        (served_by[0].initiative.budget_krw, [(line.target_id, line.is_primary) for line in served_by])
        for served_by in served.values()
    )
    local = local_nodes_by_target(municipality, user)
    for target_id, row in rows.items():
        row.budget, row.shared = spend.lines.get(target_id, 0), spend.shared.get(target_id, 0)
        row.local_nodes = local.get(target_id, [])
    return sorted(rows.values(), key=lambda r: r.target.sort_key), spend.total


@dataclass
class FrameworkGoalCell:
    """One top node (goal, area …) of a city's own framework: its indicators per status (those
    aligned to it or any node below it) and the UN targets its nodes map to."""

    node: object  # FrameworkNode
    summary: engine.Summary
    initiatives: int = 0
    un_targets: list = field(default_factory=list)

    @property
    def counts(self) -> list[tuple[engine.Status, int]]:
        return [(s, n) for s, n in self.summary.counts.items() if n]


def local_goal_overview(
    user, municipality: Municipality, framework
) -> tuple[list[FrameworkGoalCell], set[int]]:
    """The dashboard by the city's own framework: one cell per top node, and the ids of every
    indicator counted. A fixed number of queries whatever the number of nodes or indicators."""
    nodes = list(FrameworkNode.objects.filter(framework=framework).select_related("sdg_target"))
    top_of: dict[int, int] = {}
    parent = {n.pk: n.parent_id for n in nodes}
    for n in nodes:
        cursor = n.pk
        while parent.get(cursor):
            cursor = parent[cursor]
        top_of[n.pk] = cursor
    progresses = stored_indicator_progress(local_indicators_for(municipality=municipality, user=user))
    by_top: dict[int, dict[int, object]] = defaultdict(dict)
    through = LocalIndicator.framework_nodes.through.objects
    visible = {item.indicator.pk: item for item in progresses}
    for indicator_id, node_id in through.filter(
        localindicator_id__in=list(visible), frameworknode_id__in=list(top_of)
    ).values_list("localindicator_id", "frameworknode_id"):
        by_top[top_of[node_id]][indicator_id] = visible[indicator_id]
    initiatives: dict[int, set[int]] = defaultdict(set)
    for initiative_id, node_id in Initiative.framework_nodes.through.objects.filter(
        initiative__in=Initiative.objects.for_user(user).filter(municipality=municipality),
        frameworknode_id__in=list(top_of),
    ).values_list("initiative_id", "frameworknode_id"):
        initiatives[top_of[node_id]].add(initiative_id)
    reached = node_targets(set(top_of))
    codes = dict(
        Target.objects.filter(pk__in=set().union(*reached.values()) or [0]).values_list("pk", "code")
    )
    un: dict[int, set[str]] = defaultdict(set)
    for node_id, targets in reached.items():
        un[top_of[node_id]] |= {codes[t] for t in targets}
    cells = [
        FrameworkGoalCell(
            n,
            engine.summarise(by_top[n.pk].values()),
            len(initiatives[n.pk]),
            sorted(un[n.pk], key=lambda c: [int(p) if p.isdigit() else 99 for p in c.split(".")]),
        )
        for n in nodes
        if n.parent_id is None
    ]
    counted = set().union(*(set(v) for v in by_top.values())) if by_top else set()
    return cells, counted


@dataclass
class Comparison:
    """Indicators of several municipalities that measure the same UN global indicator or the
    same node of a shared framework (a K-SDG indicator): comparable only in one unit."""

    key: str  # "UN 11.6.2" or "K-SDG 11-1-1"
    title: str
    rows: list = field(default_factory=list)  # (municipality, indicator, latest (year, value) or None)

    @property
    def units(self) -> list[str]:
        return sorted({_unit(ind.unit) for _m, ind, _v in self.rows})

    @property
    def comparable(self) -> bool:
        return len(self.units) == 1


def _unit(unit: str) -> str:
    return "".join(unit.split()).lower()


def indicator_comparisons(user, municipalities: list[Municipality]) -> list[Comparison]:
    """Groups of local indicators, in at least two of ``municipalities``, aligned to the same UN
    global indicator (``IndicatorAlignment.indicator``) or to the same node of a shared framework
    (K-SDG, a network's), with each one's latest total value. Four queries."""
    indicators = {
        i.pk: i
        for i in local_indicators_for(user=user)
        .filter(municipality__in=[m.pk for m in municipalities])
        .select_related("municipality")
        .prefetch_related(None)
    }
    groups: dict[str, Comparison] = {}
    for ind_id, code, title_ko, title_en in IndicatorAlignment.objects.filter(
        local_indicator_id__in=list(indicators), indicator__isnull=False
    ).values_list("local_indicator_id", "indicator__code", "indicator__title_ko", "indicator__title_en"):
        group = groups.setdefault(f"UN {code}", Comparison(f"UN {code}", both_languages(title_ko, title_en)))
        group.rows.append(indicators[ind_id])
    for ind_id, fw, code, title_ko, title_en in LocalIndicator.framework_nodes.through.objects.filter(
        localindicator_id__in=list(indicators), frameworknode__framework__municipality__isnull=True
    ).values_list(
        "localindicator_id",
        "frameworknode__framework__code",
        "frameworknode__code",
        "frameworknode__title_ko",
        "frameworknode__title_en",
    ):
        group = groups.setdefault(
            f"{fw} {code}", Comparison(f"{fw} {code}", both_languages(title_ko, title_en))
        )
        group.rows.append(indicators[ind_id])
    wanted = {i.pk for g in groups.values() for i in g.rows if len({r.municipality_id for r in g.rows}) > 1}
    latest: dict[int, tuple[int, float]] = {}
    for ind_id, year, value in (
        Observation.objects.filter(local_indicator_id__in=wanted, quarter=0, **TOTAL)
        .order_by("local_indicator_id", "year")
        .values_list("local_indicator_id", "year", "value")
    ):
        latest[ind_id] = (year, value)
    result = []
    for key in sorted(groups):
        group = groups[key]
        if len({i.municipality_id for i in group.rows}) < 2:
            continue
        group.rows = [
            (i.municipality, i, latest.get(i.pk))
            for i in sorted(group.rows, key=lambda i: i.municipality.code)
        ]
        result.append(group)
    return result


TOTAL = {"sex": "", "age_group": "", "district": "", "income_group": "", "disability": ""}

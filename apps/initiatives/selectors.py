"""Reads of initiatives."""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.core.permissions import sees_work_in_progress
from apps.core.sql import any_of, any_of_params, column, fetch_all, table, vendor_of

_TARGETS, _GROUPS, _INDICATORS, _NODES = 0, 1, 2, 3


@dataclass
class InitiativeLinks:
    """What an initiative points at, as codes and ids (no model rows)."""

    targets: list[tuple[str, bool]] = field(default_factory=list)  # (target code, is primary), primary first
    groups: list[str] = field(default_factory=list)  # population group codes, by group id
    indicators: list[int] = field(default_factory=list)  # local indicator ids, by municipality and code
    nodes: list[int] = field(default_factory=list)  # framework node ids, by framework and sort key


def initiative_links(initiatives, *, user) -> dict[int, InitiativeLinks]:
    """Targets, groups served, local indicators and framework nodes of many initiatives (objects
    with ``pk`` and ``municipality_id``) in one query (a UNION of the four link tables), for list
    pages; every initiative gets an entry.

    Local indicators ``user`` may not view are left out: a public initiative read from outside
    its municipality does not name the city's private indicators (one more query, only then;
    inside the municipality every indicator of the city is visible)."""
    from .models import Initiative

    initiatives = list(initiatives)
    ids = sorted({obj.pk for obj in initiatives})
    links = {pk: InitiativeLinks() for pk in ids}
    if not ids:
        return links
    vendor = vendor_of(Initiative)
    id_match = any_of(vendor, len(ids))  # the text's only variable part, so also its cache key
    rows = fetch_all(
        Initiative,
        ("initiative_links", id_match),
        lambda c: _links_sql(c, id_match),
        any_of_params(vendor, ids) * 4,
    )
    nodes: dict[int, list] = {}
    for kind, initiative, code, number, primary, _, sort_key in rows:
        entry = links[initiative]
        if kind == _TARGETS:
            entry.targets.append((code, bool(primary)))
        elif kind == _GROUPS:
            entry.groups.append(code)
        elif kind == _INDICATORS:
            entry.indicators.append(number)
        else:  # ``code`` is the framework id as text: sorted here as a number, as the ORM does
            nodes.setdefault(initiative, []).append((int(code), sort_key, number))
    for initiative, found in nodes.items():
        links[initiative].nodes = [number for *_, number in sorted(found)]
    outside = {obj.pk for obj in initiatives if not sees_work_in_progress(user, obj.municipality_id)}
    _drop_invisible_indicators([links[pk] for pk in outside], user)
    return links


def _drop_invisible_indicators(entries: list[InitiativeLinks], user) -> None:
    from apps.indicators.models import LocalIndicator

    linked = {number for entry in entries for number in entry.indicators}
    if not linked:
        return
    visible = set(LocalIndicator.objects.for_user(user).filter(pk__in=linked).values_list("pk", flat=True))
    for entry in entries:
        entry.indicators = [number for number in entry.indicators if number in visible]


def _links_sql(connection, ids: str) -> str:
    """``ids``: the id match (``any_of``). Columns: kind, initiative id, code, number, is_primary,
    two sort keys; each relation in the order its own queryset has (targets primary first then in
    SDG order, groups by id, indicators by municipality code and code; nodes are sorted by the
    caller, by framework id as a number), so a list page shows what a detail page shows."""
    from apps.frameworks.models import FrameworkNode
    from apps.indicators.models import LocalIndicator
    from apps.municipalities.models import Municipality
    from apps.sdg.models import Target

    from .models import Initiative, InitiativeTarget, PopulationGroup

    def col(model, name, alias):
        return f"{alias}.{column(connection, model, name)}"

    groups = Initiative.groups_served.through
    indicators = Initiative.local_indicators.through
    group_initiative = Initiative.groups_served.field.m2m_field_name()
    group_group = Initiative.groups_served.field.m2m_reverse_field_name()
    indicator_initiative = Initiative.local_indicators.field.m2m_field_name()
    indicator_indicator = Initiative.local_indicators.field.m2m_reverse_field_name()
    nodes = Initiative.framework_nodes.through
    node_initiative = Initiative.framework_nodes.field.m2m_field_name()
    node_node = Initiative.framework_nodes.field.m2m_reverse_field_name()
    return (
        f"SELECT {_TARGETS}, {col(InitiativeTarget, 'initiative', 'l')}, {col(Target, 'code', 't')}, "
        f"{col(InitiativeTarget, 'target', 'l')}, {col(InitiativeTarget, 'is_primary', 'l')}, "
        f"{col(Target, 'sort_key', 't')}, {col(Target, 'code', 't')} "
        f"FROM {table(connection, InitiativeTarget)} l INNER JOIN {table(connection, Target)} t "
        f"ON {col(InitiativeTarget, 'target', 'l')} = {col(Target, 'pk', 't')} "
        f"WHERE {col(InitiativeTarget, 'initiative', 'l')} {ids} "
        f"UNION ALL SELECT {_GROUPS}, {col(groups, group_initiative, 'g')}, {col(PopulationGroup, 'code', 'p')}, "
        f"{col(groups, group_group, 'g')}, FALSE, NULL, NULL "
        f"FROM {table(connection, groups)} g INNER JOIN {table(connection, PopulationGroup)} p "
        f"ON {col(groups, group_group, 'g')} = {col(PopulationGroup, 'pk', 'p')} "
        f"WHERE {col(groups, group_initiative, 'g')} {ids} "
        f"UNION ALL SELECT {_INDICATORS}, {col(indicators, indicator_initiative, 'i')}, NULL, "
        f"{col(indicators, indicator_indicator, 'i')}, FALSE, {col(Municipality, 'code', 'm')}, "
        f"{col(LocalIndicator, 'code', 'li')} "
        f"FROM {table(connection, indicators)} i INNER JOIN {table(connection, LocalIndicator)} li "
        f"ON {col(indicators, indicator_indicator, 'i')} = {col(LocalIndicator, 'pk', 'li')} "
        f"INNER JOIN {table(connection, Municipality)} m "
        f"ON {col(LocalIndicator, 'municipality', 'li')} = {col(Municipality, 'pk', 'm')} "
        f"WHERE {col(indicators, indicator_initiative, 'i')} {ids} "
        f"UNION ALL SELECT {_NODES}, {col(nodes, node_initiative, 'n')}, "
        f"CAST({col(FrameworkNode, 'framework', 'fn')} AS VARCHAR(20)), {col(nodes, node_node, 'n')}, FALSE, "
        f"NULL, {col(FrameworkNode, 'sort_key', 'fn')} "
        f"FROM {table(connection, nodes)} n INNER JOIN {table(connection, FrameworkNode)} fn "
        f"ON {col(nodes, node_node, 'n')} = {col(FrameworkNode, 'pk', 'fn')} "
        f"WHERE {col(nodes, node_initiative, 'n')} {ids} "
        f"ORDER BY 1, 2, 5 DESC, 6, 7, 4"
    )


@dataclass(frozen=True)
class BudgetLines:
    """Budgets of initiatives, each counted once (see :func:`budget_lines`)."""

    lines: dict  # key (a goal number, a target id …) → budget of initiatives whose primary target is there
    shared: dict  # key → number of initiatives that also serve it, their budget counted under another key
    unplaced: int  # budget of initiatives with no primary target (counted in no line)
    total: int  # every initiative's budget, once


def budget_lines(initiatives) -> BudgetLines:
    """The one rule for budget per goal or per target: an initiative's budget is counted once,
    under the key of its primary target; the other goals or targets it serves show it as shared,
    without its money. So the lines plus ``unplaced`` add up to ``total``, the sum over distinct
    initiatives (issue 15: lines once summed to 6.69 bn KRW against 4.19 bn budgeted).

    ``initiatives``: ``(budget, [(key, is_primary), …])`` per initiative; a budget may be None."""
    lines: dict = {}
    shared: dict = {}
    unplaced = total = 0
    for budget, links in initiatives:
        budget = budget or 0
        total += budget
        primary = next((key for key, is_primary in links if is_primary), None)
        if primary is None:
            unplaced += budget
        else:
            lines[primary] = lines.get(primary, 0) + budget
        for key in {key for key, _ in links} - {primary}:
            shared[key] = shared.get(key, 0) + 1
    return BudgetLines(lines=lines, shared=shared, unplaced=unplaced, total=total)

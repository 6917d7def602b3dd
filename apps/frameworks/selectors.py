"""Reads of frameworks shared by the pages, the API and the workbook: a framework as a tree (a
fixed number of queries whatever its size) and the UN targets local indicators and initiatives
reach, directly or through the crosswalk."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from apps.sdg.models import Target, code_sort_key

from .models import CrosswalkLink, Framework, FrameworkNode

MAX_HOPS = 4  # local → network → K-SDG → UN is three; a fourth covers one more framework in between


@dataclass
class TreeNode:
    node: FrameworkNode
    children: list[TreeNode] = field(default_factory=list)
    links: list[CrosswalkLink] = field(default_factory=list)
    level_name: str = ""


def framework_tree(framework: Framework, user) -> list[TreeNode]:
    """The top nodes of ``framework``, each with its children (any depth) and its outgoing
    crosswalk links that ``user`` may see; two queries."""
    nodes = list(FrameworkNode.objects.filter(framework=framework).select_related("sdg_target"))
    links: dict[int, list] = defaultdict(list)
    for link in (
        CrosswalkLink.objects.for_user(user)
        .filter(from_node__framework=framework)
        .select_related("to_node__framework")
    ):
        links[link.from_node_id].append(link)
    items = {
        n.pk: TreeNode(n, links=links.get(n.pk, []), level_name=framework.level_name(n.level)) for n in nodes
    }
    roots = []
    for item in items.values():
        parent = items.get(item.node.parent_id)
        (parent.children if parent else roots).append(item)
    return roots


def node_targets(node_ids: set[int]) -> dict[int, set[int]]:
    """node id → the ``sdg.Target`` ids it is or reaches along crosswalk links (from → to, at
    most ``MAX_HOPS``); one query per hop plus one."""
    reach: dict[int, set[int]] = {n: {n} for n in node_ids}
    frontier = {n: {n} for n in node_ids}
    for _hop in range(MAX_HOPS):
        sources = set().union(*frontier.values()) if frontier else set()
        if not sources:
            break
        edges: dict[int, set[int]] = defaultdict(set)
        for a, b in CrosswalkLink.objects.filter(from_node__in=sources).values_list("from_node", "to_node"):
            edges[a].add(b)
        frontier = {
            start: new
            for start, ends in frontier.items()
            if (new := set().union(*(edges[e] for e in ends)) - reach[start])
        }
        for start, new in frontier.items():
            reach[start] |= new
    every = set().union(*reach.values()) if reach else set()
    target_of = dict(
        FrameworkNode.objects.filter(pk__in=every, sdg_target__isnull=False).values_list(
            "pk", "sdg_target_id"
        )
    )
    return {start: {target_of[n] for n in ends if n in target_of} for start, ends in reach.items()}


def crosswalk_targets(model, ids) -> dict[int, set[int]]:
    """id → the UN target ids that the framework nodes of that ``model`` row (LocalIndicator or
    Initiative) reach through the crosswalk (not the targets set directly). One query when none
    of them is aligned to a node, else one more per crosswalk hop: never one per row."""
    ids = list(ids)
    if not ids:
        return {}
    column = f"{model._meta.model_name}_id"
    rows = model.framework_nodes.through.objects.filter(**{f"{column}__in": ids})
    by_item: dict[int, set[int]] = defaultdict(set)
    for pk, node_id in rows.values_list(column, "frameworknode_id"):
        by_item[pk].add(node_id)
    reached = node_targets(set().union(*by_item.values())) if by_item else {}
    return {pk: set().union(*(reached.get(n, set()) for n in nodes)) for pk, nodes in by_item.items()}


def effective_targets(items) -> dict[int, set[int]]:
    """object id → its UN target ids: those set directly (``targets``) and those its framework
    nodes reach through the crosswalk. ``items``: local indicators or initiatives."""
    items = list(items)
    if not items:
        return {}
    model = type(items[0])
    through = model.targets.through
    column = next(
        f.attname for f in through._meta.concrete_fields if getattr(f, "related_model", None) is model
    )
    result: dict[int, set[int]] = {i.pk: set() for i in items}
    for pk, target_id in through.objects.filter(**{f"{column}__in": list(result)}).values_list(
        column, "target_id"
    ):
        result[pk].add(target_id)
    for pk, targets in crosswalk_targets(model, list(result)).items():
        result[pk] |= targets
    return result


def local_nodes_by_target(municipality, user) -> dict[int, list[FrameworkNode]]:
    """UN target id → the nodes of the city's own frameworks (readable by ``user``) that reach
    it through the crosswalk, with their target values: the city's target beside the UN one.
    Each node's ``linked`` lists the nodes of other frameworks it links to (K-SDGs …, not the
    UN's), whose target values and caveats are shown beside it. Three queries plus one per
    crosswalk hop, whatever the number of nodes."""
    nodes = {
        n.pk: n
        for n in FrameworkNode.objects.for_user(user)
        .filter(framework__municipality=municipality, links_out__isnull=False)
        .distinct()
    }
    for node in nodes.values():
        node.linked = []
    for link in _national_links(nodes):
        nodes[link.from_node_id].linked.append(link.to_node)
    found: dict[int, list[FrameworkNode]] = defaultdict(list)
    for node_id, targets in node_targets(set(nodes)).items():
        for target_id in targets:
            found[target_id].append(nodes[node_id])
    for listed in found.values():
        listed.sort(key=lambda n: n.sort_key)
    return found


def _national_links(from_nodes) -> list[CrosswalkLink]:
    """Links from ``from_nodes`` to nodes of frameworks other than the UN SDGs (K-SDGs, a
    network's …), with their end node and its framework, in framework and code order."""
    return list(
        CrosswalkLink.objects.filter(from_node__in=from_nodes)
        .exclude(to_node__framework__code="UN-SDG", to_node__framework__municipality__isnull=True)
        .select_related("to_node__framework")
        .order_by("to_node__framework__code", "to_node__sort_key")
    )


def local_framework_rows(municipality, user) -> list[dict]:
    """The city's own framework (its first local framework ``user`` may read) as rows for the
    workbook: every node with its level name, titles, unit, target values and the caveat about
    their source, the nodes of other frameworks it links to (K-SDGs …, with their target values
    and caveats), the UN targets it reaches through the crosswalk and the ids of the local
    indicators aligned to it. Empty when the city has none. Six queries plus one per crosswalk
    hop, whatever the size."""
    framework = (
        Framework.objects.for_user(user)
        .filter(municipality=municipality, kind="local")
        .order_by("code")
        .first()
        if user is not None
        else Framework.objects.filter(municipality=municipality, kind="local").order_by("code").first()
    )
    if framework is None:
        return []
    nodes = list(FrameworkNode.objects.filter(framework=framework))
    reached = node_targets({n.pk for n in nodes})
    codes = dict(
        Target.objects.filter(pk__in=set().union(*reached.values()) or [0]).values_list("pk", "code")
    )
    linked: dict[int, list[str]] = defaultdict(list)
    for link in _national_links(nodes):
        to = link.to_node
        values = "; ".join(f"{y}: {v.get('text', '')}" for y, v in sorted(to.target_values.items()))
        linked[link.from_node_id].append(
            f"{to.framework.code} {to.code}"
            + (f" ({values})" if values else "")
            + (f" [주의 / caveat: {to.caveat}]" if to.caveat else "")
        )
    indicators: dict[int, list[int]] = defaultdict(list)
    through = FrameworkNode.local_indicators.through.objects
    for indicator_id, node_id in through.filter(frameworknode__framework=framework).values_list(
        "localindicator_id", "frameworknode_id"
    ):
        indicators[node_id].append(indicator_id)
    return [
        {
            "framework": framework.code,
            "framework_name_ko": framework.name_ko,
            "framework_name_en": framework.name_en,
            "is_sample_data": framework.is_sample_data,
            "code": n.code,
            "level": n.level,
            "level_name": framework.level_name(n.level),
            "title_ko": n.title_ko,
            "title_en": n.title_en,
            "unit": n.unit,
            "target_values": "; ".join(
                f"{y}: {v.get('text', '')}" for y, v in sorted(n.target_values.items())
            ),
            "caveat": n.caveat,
            "linked": linked.get(n.pk, []),
            "un_targets": sorted((codes[t] for t in reached.get(n.pk, ())), key=code_sort_key),
            "indicators": sorted(indicators.get(n.pk, [])),
        }
        for n in nodes
    ]

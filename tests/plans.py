"""Reading PostgreSQL's plans in tests (EXPLAIN's JSON)."""

from __future__ import annotations


def whole_reads(plan: dict, partial_indexes=frozenset()) -> set[str]:
    """Tables a plan reads whole: a sequential scan, or an index scan with no index condition
    (every entry of the index, in its order) unless the index is partial (its predicate is the
    condition: e.g. the public rows' index read for ``is_public=true``)."""
    found = set()
    if "Relation Name" in plan and (
        plan["Node Type"] == "Seq Scan"
        or (
            plan["Node Type"] in ("Index Scan", "Index Only Scan")
            and "Index Cond" not in plan
            and plan.get("Index Name") not in partial_indexes
        )
    ):
        found.add(plan["Relation Name"])
    for child in plan.get("Plans", ()):
        found |= whole_reads(child, partial_indexes)
    return found

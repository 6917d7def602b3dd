"""Reading PostgreSQL's plans in tests (EXPLAIN's JSON)."""

from __future__ import annotations

import pytest
from django.db import connection

# The mark of a test that reads PostgreSQL's plans.
ON_POSTGRESQL = pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")


def db_tables(*models) -> set[str]:
    """The tables of ``models``: what a plan test calls big (``whole_reads`` names tables)."""
    return {model._meta.db_table for model in models}


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


def explained_whole_reads(
    captured_queries, *, table: str | None = None, partial_indexes=frozenset()
) -> set[str]:
    """Tables the captured SELECTs (those reading ``table``, when given) read whole
    (:func:`whole_reads`), EXPLAINed with sequential scans priced out (``enable_seqscan = off``):
    a table read whole then is one no index can narrow."""
    whole = set()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            for sent in captured_queries:
                sql = sent["sql"]
                if sql.lstrip().upper().startswith("SELECT") and (table is None or f'FROM "{table}"' in sql):
                    cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
                    whole |= whole_reads(cursor.fetchone()[0][0]["Plan"], partial_indexes)
        finally:
            cursor.execute("RESET enable_seqscan")
    return whole

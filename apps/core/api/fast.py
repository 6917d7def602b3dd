"""The one seam of the API's speed machinery, and its one switch: ``settings.API_FAST_PATHS``.

Each shortcut around Django, DRF or django-filter asks ``fast_path(part)`` whether it may run;
when it may not, the stock code path runs instead, with the same output
(``tests/api/test_fast_paths.py`` runs every list endpoint both ways and compares the JSON).

========== ================================================ ======================================
part       where                                            stock path when off
========== ================================================ ======================================
token      ``authentication.TokenAuthentication`` (token,   DRF's lookup (``select_related``),
           user and scopes in one plain-SQL statement)      then the scope query
scope      ``apps.core.permissions.TenantQuerySet``: a      the parent's ``for_user`` queryset,
           child's scope subquery (observations: visible    compiled into every query
           indicators) compiled once per scope and kept
plan       ``serializers.FastRepresentationMixin``          DRF's ``to_representation``
rows       ``viewsets.TenantViewSet`` (``.values()`` rows)  model instances
links      ``TenantViewSet.attach`` (one raw-SQL UNION      ``prefetch_related`` of the relations
           per page, e.g. ``initiatives.selectors``)
statement  ``TenantViewSet.list_statement``: a list's      the queryset built, filtered and
           compiled rows-and-count SQL kept by scope and    compiled on every request
           parameters (``pagination.PageStatement``),
           values bound by shape (``statements``)
count      ``pagination.CappedPaginator`` (the capped       a separate capped COUNT, then the
           total as a subquery of the rows query)           rows (as Django's ``Paginator``)
filterset  ``apps.core.filtersets.BaseFilterSet`` (form     django-filter's ``FilterSet``
           class built once, only the given fields)
orjson     ``renderers.JSONRenderer``                       DRF's ``JSONRenderer``
timestamp  ``apps.core.db.postgresql`` (timestamptz by      Django's loader (ticket #36960)
           psycopg's C loader)
gc         ``vlrtracker/wsgi.py`` (``gc.freeze``, gen-0     CPython's defaults
           threshold 10,000)
========== ================================================ ======================================

``API_FAST_PATHS`` is read from the environment as a boolean (default on: every part). Tests
may also set it to a collection of part names, to run with only those on; every part works
with any other switched off. The machinery is pinned to the DRF and django-filter minor
versions of ``requirements.txt`` it is tested with.
"""

from __future__ import annotations

from django.conf import settings

PARTS = frozenset(
    {
        "token",
        "scope",
        "plan",
        "rows",
        "links",
        "statement",
        "count",
        "filterset",
        "orjson",
        "timestamp",
        "gc",
    }
)


def fast_path(part: str) -> bool:
    """May the shortcut ``part`` (one of ``PARTS``) run?"""
    if part not in PARTS:
        raise ValueError(f"unknown fast path {part!r}")
    value = settings.API_FAST_PATHS
    return value if isinstance(value, bool) else part in value

"""Page-number pagination for every list endpoint: ``?page=`` and ``?page_size=`` (max 200), with a
capped total.

A list counts its rows only up to ``settings.API_COUNT_CAP`` (10,000 by default): the count is a
``COUNT(*)`` over a ``LIMIT cap + 1`` subquery, so a page of a national-scale list never scans
every visible row just to print a total. Below the cap ``count`` is exact and ``count_capped``
is false; above it ``count_capped`` is true and ``count`` is a lower bound (at least ``cap + 1``,
and at least one more than the rows up to the end of the page asked for). The last page of a list
always knows its exact count (no row follows it), and ``?page=last`` counts every row.
``next`` comes from reading one row past the page, never from the count, so it is right either way.
"""

from __future__ import annotations

from collections import OrderedDict

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db.models import IntegerField, QuerySet, Subquery
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from .fast import fast_path

TOTAL = "_page_total"
# OFFSET is a signed 64-bit integer in PostgreSQL and SQLite: a page number beyond it must never
# reach the database (it would fail the statement, a 500, and abort the transaction).
LARGEST_OFFSET = 2**63 - 1


def counted(queryset: QuerySet, limit: int) -> QuerySet:
    """The primary keys of ``queryset``'s first ``limit`` rows, unordered: what a capped count counts."""
    return queryset.order_by().values("pk")[:limit]


class CountOf(Subquery):
    """``(SELECT COUNT(*) FROM (<queryset> LIMIT limit))``: the rows of ``queryset``, up to ``limit``."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()

    def __init__(self, queryset, limit: int):
        super().__init__(counted(queryset, limit))


class CappedPaginator(Paginator):
    """A page of rows and a total counted at most to ``cap + 1`` rows.

    The rows query reads ``per_page + 1`` rows: the extra one says whether a next page exists.
    With ``fast_path("count")`` the capped count is an uncorrelated scalar subquery of the rows
    query (one round trip; evaluated once by PostgreSQL and SQLite); without it, a separate
    capped ``COUNT(*)`` runs first, as Django's paginator does. ``count_capped`` tells the two
    kinds of total apart.
    """

    count_capped = False

    def __init__(self, *args, cap: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = settings.API_COUNT_CAP if cap is None else cap

    def page(self, number):
        queryset = self.object_list
        if not isinstance(queryset, QuerySet) or self.orphans:
            return super().page(number)  # an in-memory list: its length is free and exact
        number = self.validate_number_without_count(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + 1 > LARGEST_OFFSET:
            raise EmptyPage(self.error_messages["no_results"])
        exact = "count" in self.__dict__  # ?page=last asked for num_pages: every row was counted
        if exact:
            total = self.count
            rows = list(queryset[bottom : top + 1]) if bottom < total or number == 1 else []
        elif fast_path("count"):
            rows = list(queryset.annotate(**{TOTAL: CountOf(queryset, self.cap + 1)})[bottom : top + 1])
            first = rows[0] if rows else {TOTAL: 0}
            total = first[TOTAL] if isinstance(first, dict) else getattr(first, TOTAL)
        else:
            total = counted(queryset, self.cap + 1).count()
            reachable = bottom < total or total > self.cap or number == 1
            rows = list(queryset[bottom : top + 1]) if reachable else []
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if not exact:
            if not rows:
                total = 0
            elif not more:
                total = bottom + len(rows)  # the last page: nothing follows it
            elif total > self.cap:
                self.count_capped = True
                total = max(self.cap + 1, top + 1)
            self.count = total
        return self._get_page(rows, number, self)

    def validate_number_without_count(self, number) -> int:
        """``validate_number`` without its upper bound, which needs the count."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            return self.validate_number(number)  # raises PageNotAnInteger
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number


class StandardPagination(PageNumberPagination):
    """50 rows by default; clients may ask for 1-200 with ``page_size``. The total is capped
    (``count_capped``, see the module's docstring)."""

    django_paginator_class = CappedPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response(self, data):
        return Response(
            OrderedDict(
                [
                    ("count", self.page.paginator.count),
                    ("count_capped", getattr(self.page.paginator, "count_capped", False)),
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        properties = described["properties"]
        properties["count"]["description"] = (
            "rows in the list: exact when count_capped is false; otherwise a lower bound "
            f"(counting stops after API_COUNT_CAP rows, {settings.API_COUNT_CAP} by default)"
        )
        properties["count_capped"] = {
            "type": "boolean",
            "example": False,
            "description": "true when the list has more rows than API_COUNT_CAP and count is a lower "
            "bound; ?page=last counts every row",
        }
        described["required"].insert(1, "count_capped")
        properties_in_order = ["count", "count_capped", "next", "previous", "results"]
        described["properties"] = {name: properties[name] for name in properties_in_order}
        return described

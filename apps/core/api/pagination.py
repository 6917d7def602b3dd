"""Page-number pagination for every list endpoint: ``?page=`` and ``?page_size=`` (max 200)."""

from __future__ import annotations

from django.core.paginator import EmptyPage, Paginator
from django.db.models import IntegerField, QuerySet, Subquery
from rest_framework.pagination import PageNumberPagination

from .fast import fast_path

TOTAL = "_page_total"
# OFFSET is a signed 64-bit integer in PostgreSQL and SQLite: a page number beyond it must never
# reach the database (it would fail the statement, a 500, and abort the transaction).
LARGEST_OFFSET = 2**63 - 1


class CountOf(Subquery):
    """``(SELECT COUNT(*) FROM (<queryset>))``: the number of rows of ``queryset``."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()

    def __init__(self, queryset):
        super().__init__(queryset.order_by().values("pk"))


class OneQueryPaginator(Paginator):
    """A page's rows and the total count in one statement.

    Django's paginator sends ``SELECT COUNT(*)`` and then the rows: two round trips, which on
    PostgreSQL cost more than either query. Here the count is an uncorrelated scalar subquery
    of the rows query (evaluated once by PostgreSQL and SQLite; unlike ``COUNT(*) OVER ()`` it
    does not buffer the whole result). The separate count is still used to tell a page past the
    end (404) from an empty first page, and for "last".
    """

    def page(self, number):
        queryset = self.object_list
        if (
            not fast_path("count")
            or not isinstance(queryset, QuerySet)
            or self.orphans
            or "count" in self.__dict__
        ):
            return super().page(number)
        number = self.validate_number_without_count(number)
        bottom = (number - 1) * self.per_page
        if bottom + self.per_page > LARGEST_OFFSET:
            return super().page(number)  # counts first: a page that far is past the end (404)
        rows = list(queryset.annotate(**{TOTAL: CountOf(queryset)})[bottom : bottom + self.per_page])
        if rows:
            first = rows[0]
            self.count = first[TOTAL] if isinstance(first, dict) else getattr(first, TOTAL)
        elif number == 1:
            self.count = 0
        else:
            return super().page(number)  # past the end: the usual EmptyPage
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
    """50 rows by default; clients may ask for 1-200 with ``page_size``."""

    django_paginator_class = OneQueryPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

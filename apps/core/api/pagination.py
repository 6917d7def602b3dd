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

import copy
import datetime
import functools
import operator
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import EmptyPage, Paginator
from django.db import connections
from django.db.models import F, Field, IntegerField, Q, QuerySet, Subquery
from django.db.models.constants import LOOKUP_SEP
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from apps.core.filtersets import stable_order

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


class PageStatement:
    """A list's rows query with its capped total (``CountOf``), compiled once: the SQL Django
    writes for ``queryset.values()`` annotated with the total, without LIMIT/OFFSET.
    ``statement[bottom:top]`` runs it with Django's LIMIT/OFFSET appended and gives the same dicts
    as the queryset's ``values()`` rows would (its converters applied). Kept by
    ``TenantViewSet.list_statement`` (fast path ``statement``), so that a list asked for again with
    the same filters and scope (or other values bound into it: ``statements``) skips building,
    filtering and compiling its queryset.

    Raises ``EmptyResultSet`` when the query can match nothing (Django would not run it)."""

    def __init__(self, queryset: QuerySet, cap: int):
        rows = queryset.values()
        query = rows.annotate(**{TOTAL: CountOf(rows, cap + 1)}).query
        compiler = query.get_compiler(using=rows.db)
        self.sql, self.params = compiler.as_sql()
        self.alias = rows.db
        self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
        self.converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])

    def with_params(self, params: tuple) -> PageStatement:
        """The same statement with other parameter values (``statements.bound``)."""
        statement = copy.copy(self)
        statement.params = params
        return statement

    def __getitem__(self, window: slice) -> list[dict]:
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(
                f"{self.sql} {connection.ops.limit_offset_sql(window.start, window.stop)}", self.params
            )
            rows = cursor.fetchall()
        if self.converters:  # SQLCompiler.apply_converters, with this thread's connection
            rows = [list(row) for row in rows]
            for row in rows:
                for position, (converters, expression) in self.converters.items():
                    value = row[position]
                    for converter in converters:
                        value = converter(value, expression, connection)
                    row[position] = value
        names = self.names
        return [dict(zip(names, row)) for row in rows]


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
        if not isinstance(queryset, (QuerySet, PageStatement)) or self.orphans:
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
            if not isinstance(queryset, PageStatement):  # a statement holds its count already
                queryset = queryset.annotate(**{TOTAL: CountOf(queryset, self.cap + 1)})
            rows = list(queryset[bottom : top + 1])
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

    keyset: KeysetPage | None = None

    def paginate_queryset(self, queryset, request, view=None):
        """Page-number pages, or with ``?cursor=`` keyset pages (``KeysetPage``)."""
        self.keyset = None
        if CURSOR not in request.query_params:
            return super().paginate_queryset(queryset, request, view)
        if self.page_query_param in request.query_params:
            raise exceptions.ValidationError({CURSOR: [CURSOR_WITH_PAGE]})
        self.request = request
        self.keyset = KeysetPage(queryset, request, self.get_page_size(request), settings.API_COUNT_CAP)
        return self.keyset.rows

    def get_paginated_response(self, data):
        keyset = self.keyset
        if keyset is not None:
            count, capped = keyset.count, keyset.count_capped
            next_link, previous_link = keyset.next_link(), keyset.previous_link()
        else:
            count, capped = self.page.paginator.count, getattr(self.page.paginator, "count_capped", False)
            next_link, previous_link = self.get_next_link(), self.get_previous_link()
        return Response(
            OrderedDict(
                [
                    ("count", count),
                    ("count_capped", capped),
                    ("next", next_link),
                    ("previous", previous_link),
                    ("results", data),
                ]
            )
        )

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        parameters.append(
            {
                "name": CURSOR,
                "required": False,
                "in": "query",
                "description": "커서 페이지 / keyset pages: cursor= (empty) for the first page, then follow "
                "next and previous. A page far down costs what the first does, and rows added or removed "
                "between requests never repeat or skip a row. Not with page; a cursor belongs to its "
                "ordering (another ordering with it is a 400).",
                "schema": {"type": "string"},
            }
        )
        return parameters

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


# --- Keyset (cursor) pagination -------------------------------------------------------------

CURSOR = "cursor"
# No timestamp: the same position always gives the same cursor (and the same page bytes).
CURSOR_SIGNER = signing.Signer(salt="vlrtracker.api.cursor")
BAD_CURSOR = (
    "커서가 올바르지 않거나 다른 정렬의 것입니다. cursor= (빈 값)으로 처음부터 다시 시작하세요 / "
    "the cursor is invalid or belongs to another ordering; start again with cursor= (empty)"
)
CURSOR_WITH_PAGE = "cursor와 page는 함께 쓸 수 없습니다 / cursor and page cannot be used together"
NO_CURSOR_HERE = (
    "이 목록과 정렬에는 커서 페이지가 없습니다. page를 쓰세요 / "
    "this list and ordering have no cursor pages; use page"
)


class NoKeyset(Exception):
    """The ordering has a term a keyset cannot follow (an expression, a relation ordered by its
    model's own ordering)."""


@dataclass(frozen=True)
class Term:
    """One term of a list's ordering: the lookup path, its direction, its model field, and the
    key its value has in a fetched row (a column, or an annotation for a path across a join)."""

    path: str
    descending: bool
    field: Field
    key: str

    @property
    def spelled(self) -> str:
        return f"-{self.path}" if self.descending else self.path


def keyset_terms(queryset: QuerySet) -> list[Term]:
    """The ordering of ``queryset`` (ending in the primary key, see ``stable_order``) as terms."""
    query = queryset.query
    if not query.standard_ordering:
        raise NoKeyset("reversed")
    ordering = query.order_by or (queryset.model._meta.ordering if query.default_ordering else ())
    terms = []
    for index, term in enumerate(ordering):
        if not isinstance(term, str) or term == "?":
            raise NoKeyset(term)
        path = term.lstrip("-")
        model, parts = queryset.model, path.split(LOOKUP_SEP)
        for part in parts[:-1]:
            relation = model._meta.get_field(part)
            if not relation.is_relation or relation.many_to_many or relation.one_to_many:
                raise NoKeyset(term)
            model = relation.related_model
        last = parts[-1]
        field = model._meta.pk if last == "pk" else model._meta.get_field(last)
        if field.is_relation and last != field.attname:
            raise NoKeyset(term)  # Django orders it by the related model's ordering
        key = field.attname if len(parts) == 1 else f"_cursor_{index}"
        terms.append(Term(path, term.startswith("-"), field, key))
    return terms


def _encoded(value):
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    return value


def _checked(field: Field, value, using: str):
    """``value`` if the database can compare it with ``field`` (an integer within the column's
    range), else ValueError: what would otherwise fail the statement."""
    if isinstance(value, int) and not isinstance(value, bool):
        column = field.target_field if field.is_relation else field
        low, high = connections[using].ops.integer_field_range(column.get_internal_type())
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(value)
    return value


def _after(terms: list[Term], values: list, nulls_largest: bool) -> Q | None:
    """Rows strictly after ``values`` in the order of ``terms`` (None: no row can be).

    The lexicographic ``(a, b, id) > (x, y, z)`` spelled out term by term, each direction and
    each backend's place for NULLs (PostgreSQL: largest; SQLite: smallest) respected, and led by
    a redundant ``a >= x`` on the first term when it cannot be NULL: that bound is what lets
    the database start an index range scan at the cursor instead of reading the rows before it.
    """
    branches, equal = [], Q()
    for term, value in zip(terms, values, strict=True):
        null_after = nulls_largest != term.descending
        if value is None:
            strictly = None if null_after else Q(**{f"{term.path}__isnull": False})
            same = Q(**{f"{term.path}__isnull": True})
        else:
            strictly = Q(**{f"{term.path}__{'lt' if term.descending else 'gt'}": value})
            if null_after and term.field.null:
                strictly |= Q(**{f"{term.path}__isnull": True})
            same = Q(**{term.path: value})
        if strictly is not None:
            branches.append(equal & strictly)
        equal &= same
    if not branches:
        return None
    condition = functools.reduce(operator.or_, branches)
    first, value = terms[0], values[0]
    if value is not None and not first.field.null and LOOKUP_SEP not in first.path:
        condition &= Q(**{f"{first.path}__{'lte' if first.descending else 'gte'}": value})
    return condition


class KeysetPage:
    """One page of a list after (or, going back, before) a position in its stable order.

    The cursor is the ordering and the sort values of the row it points at, signed with
    ``SECRET_KEY`` (``django.core.signing``), so a forged or edited one is refused; it stays
    valid while rows are added or removed around it (no row is repeated or skipped, unlike an
    OFFSET, and a page far down costs what the first one does). The total is the list's
    capped count, as on page-number pages.
    """

    def __init__(self, queryset: QuerySet, request, size: int, cap: int):
        if not isinstance(queryset, QuerySet):
            raise exceptions.ValidationError({CURSOR: [NO_CURSOR_HERE]})
        queryset = stable_order(queryset)
        try:
            terms = keyset_terms(queryset)
        except (NoKeyset, FieldDoesNotExist):
            raise exceptions.ValidationError({CURSOR: [NO_CURSOR_HERE]}) from None
        self.terms, self.request, self.db = terms, request, queryset.db
        self.ordering = [term.spelled for term in terms]
        position, backwards = self.decode(request.query_params[CURSOR])
        self.position, self.backwards = position, backwards
        whole = queryset
        joined = {term.key: F(term.path) for term in terms if term.key.startswith("_cursor_")}
        if joined:
            queryset = queryset.annotate(**joined)
        if backwards:
            queryset = queryset.reverse()
        nulls_largest = connections[queryset.db].features.nulls_order_largest
        if position is not None:
            directed = [Term(t.path, t.descending != backwards, t.field, t.key) for t in terms]
            condition = _after(directed, position, nulls_largest)
            queryset = queryset.filter(condition) if condition is not None else queryset.none()
        if fast_path("count"):
            rows = list(queryset.annotate(**{TOTAL: CountOf(whole, cap + 1)})[: size + 1])
            if rows:
                first = rows[0]
                total = first[TOTAL] if isinstance(first, dict) else getattr(first, TOTAL)
            else:
                total = counted(whole, cap + 1).count()
        else:
            total = counted(whole, cap + 1).count()
            rows = list(queryset[: size + 1])
        self.more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
        self.rows = rows
        self.count_capped = total > cap
        self.count = cap + 1 if self.count_capped else total

    def decode(self, raw: str) -> tuple[list | None, bool]:
        """``(sort values or None for the start, backwards)``; a 400 for anything else."""
        if raw == "":
            return None, False
        try:
            data = CURSOR_SIGNER.unsign_object(raw)
            if data["o"] != self.ordering or not isinstance(data["r"], bool):
                raise ValueError
            values = [
                None if value is None else _checked(term.field, term.field.to_python(value), self.db)
                for term, value in zip(self.terms, data["v"], strict=True)
            ]
        except (signing.BadSignature, DjangoValidationError, KeyError, TypeError, ValueError):
            raise exceptions.ValidationError({CURSOR: [BAD_CURSOR]}) from None
        return values, data["r"]

    def link(self, row, backwards: bool) -> str:
        if row is None:  # an empty page: point back at the position asked for
            values = self.position
        else:
            values = [row[t.key] if isinstance(row, dict) else getattr(row, t.key) for t in self.terms]
        cursor = CURSOR_SIGNER.sign_object(
            {"o": self.ordering, "v": [_encoded(value) for value in values], "r": backwards}
        )
        url = remove_query_param(self.request.build_absolute_uri(), "page")
        return replace_query_param(url, CURSOR, cursor)

    def next_link(self) -> str | None:
        last = self.rows[-1] if self.rows else None
        if self.backwards:
            return self.link(last, False) if last is not None or self.position is not None else None
        return self.link(last, False) if self.more else None

    def previous_link(self) -> str | None:
        first = self.rows[0] if self.rows else None
        if self.backwards:
            return self.link(first, True) if self.more else None
        return self.link(first, True) if self.position is not None else None

"""Base viewsets: every queryset starts from ``Model.objects.for_user(user, action)``."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import router
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import get_language
from django_filters import utils as filter_utils
from django_filters.filters import QuerySetRequestMixin
from rest_framework import exceptions, mixins, viewsets
from rest_framework.permissions import AllowAny

from apps.core.permissions import Action, municipality_scope, require_scope, scope_is_plain

from .fast import fast_path
from .filters import FilterBackend
from .pagination import CURSOR, PageStatement
from .permissions import ReadAnyoneWriteAuthenticated
from .schema import VLRAutoSchema
from .statements import KeptStatements


class Row:
    """A row read with ``.values()``: its columns (attnames) and annotations as attributes, and
    ``pk``. Serializers read it like the model instance it stands for."""

    def __init__(self, values: dict, pk_name: str):
        values["pk"] = values[pk_name]
        self.__dict__ = values

    def serializable_value(self, field_name: str):
        """``Model.serializable_value``: a foreign key's value is its id (DRF's pk-only reads)."""
        values = self.__dict__
        return values[f"{field_name}_id"] if f"{field_name}_id" in values else values[field_name]


class BaseViewSet(viewsets.GenericViewSet):
    permission_classes = [ReadAnyoneWriteAuthenticated]
    schema = VLRAutoSchema()
    lookup_value_regex = r"[0-9]+"


class ReferenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, BaseViewSet):
    """Read-only reference data (SDG framework, local governments): public, writes are 405."""

    queryset = None
    # No write method exists, so a write is 405 for everybody, logged in or not.
    permission_classes = [AllowAny]

    def get_queryset(self):
        # Reference querysets have no owner; municipalities' for_user(VIEW) is all rows.
        return self.queryset.all()


class TenantViewSet(BaseViewSet):
    """Rows owned by a municipality.

    ``action_permissions`` maps each viewset action to the permission action whose queryset it
    starts from: VIEW for reads, EDIT for writes, REVIEW for coordinator workflow verbs.
    Subclasses set ``model``, ``queryset_for()`` optimisations and ``municipality_id_of()``.
    """

    model = None
    action_permissions: dict[str, str] = {
        "list": Action.VIEW,
        "retrieve": Action.VIEW,
        "create": Action.EDIT,
        "update": Action.EDIT,
        "partial_update": Action.EDIT,
        "destroy": Action.EDIT,
    }

    def permission_action(self) -> str:
        return self.action_permissions.get(self.action, Action.VIEW)

    def optimise(self, queryset):
        """select_related / prefetch_related for the serializer (constant query count). When
        ``attach`` is off (``fast_path("links")``), also prefetch what it would load."""
        return queryset

    def get_queryset(self):
        queryset = self.model.objects.for_user(self.request.user, self.permission_action())
        return self.optimise(queryset)

    def attach(self, objects: list) -> None:
        """Load related values for a page of objects in a fixed number of plain queries (an
        alternative to prefetch_related without model rows); the serializer reads them. Runs
        only while ``fast_path("links")``; ``optimise`` prefetches the same relations otherwise."""

    # True when every field the serializer outputs is a column, an annotation of ``optimise``
    # or set by ``attach``: list pages then read ``.values()`` rows instead of building model
    # instances (tests/api/test_list_reads.py holds each such list to plain DRF's output). Such
    # a list's queryset (``get_queryset``, ``optimise``, its FilterSet) must depend on the user
    # through ``for_user`` alone and on the query string through its FilterSet alone:
    # ``list_statement`` keeps its compiled SQL by scope and the FilterSet's cleaned values.
    list_reads_rows = False

    def paginate_queryset(self, queryset):
        # Rows carry only columns, annotations and what attach() sets: never one without the other.
        rows = self.list_reads_rows and self.action == "list" and fast_path("rows") and fast_path("links")
        if rows and isinstance(queryset, QuerySet):
            queryset = queryset.values()  # a PageStatement reads values() rows already
        page = super().paginate_queryset(queryset)
        if page is not None:
            if rows:
                page = [Row(values, self.model._meta.pk.attname) for values in page]
            if fast_path("links"):
                self.attach(page)
        return page

    # The compiled list statements this process keeps (``list_statement``): at most 256, about
    # 20 KB each (SQL, and the converters with their expressions).
    statements = KeptStatements(size=256)

    def list_statement(self, request) -> PageStatement | None:
        """The compiled rows-and-count statement of this list page (fast path ``statement``), or
        None for the stock path.

        A list's SQL is a function of the viewset, the user's scope (``for_user`` of a plain
        ``TenantQuerySet`` depends on nothing else), its FilterSet's cleaned values, the language
        and the count cap: its FilterSet's filters read no database while they validate (no
        model-choice filter) and its ``published_q`` reads no clock. So the statement a list
        compiled is kept under those and read again with another LIMIT/OFFSET, instead of
        building, filtering and compiling the same queryset on every request; a value that only
        fills a parameter is kept by its kind and bound (``statements``), so another year or
        city of the same list is not compiled again either. A parameter the FilterSet refuses is
        a 400 before anything is kept; one it does not know changes nothing. Cursor pages and
        ``page=last`` (which counts every row) take the stock path."""
        if not (
            self.list_reads_rows
            and fast_path("statement")
            and fast_path("rows")
            and fast_path("links")
            and fast_path("count")
            and list(self.filter_backends) == [FilterBackend]
            and scope_is_plain(self.model)
            and _filters_read_no_database(self.filterset_class)
        ):
            return None
        params = request.query_params
        if CURSOR in params or params.get(self.paginator.page_query_param) == "last":
            return None
        filterset = self.filterset_class(params, request=request)
        filterset.only_given_fields = True
        if not filterset.is_valid():
            raise filter_utils.translate_validation(filterset.errors)
        cleaned = filterset.form.cleaned_data
        action = self.permission_action()
        list_key = (
            type(self),
            router.db_for_read(self.model),
            action,
            municipality_scope(request.user, action),
            get_language(),
            settings.API_COUNT_CAP,
            repr(settings.API_FAST_PATHS),
        )
        queryset = None

        def compile_with(values: dict) -> PageStatement:
            nonlocal queryset
            if queryset is None:
                queryset = self.get_queryset()
            filterset.form.cleaned_data = values
            try:
                return PageStatement(filterset.filter_queryset(queryset), settings.API_COUNT_CAP)
            finally:
                filterset.form.cleaned_data = cleaned

        try:
            return self.statements.find(list_key, filterset, compile_with)
        except EmptyResultSet:
            return None

    def get_object(self):
        """404 when the object is invisible to the user, 403 when visible but not theirs to
        change (one extra query, only on that refusal path)."""
        try:
            obj = super().get_object()
            if fast_path("links"):
                self.attach([obj])
            return obj
        except Http404:
            if self.permission_action() != Action.VIEW:
                lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
                visible = self.model.objects.for_user(self.request.user, Action.VIEW)
                if visible.filter(**{self.lookup_field: lookup}).exists():
                    raise exceptions.PermissionDenied() from None
            raise

    # Municipality checks on writes: 403 before anything is saved.
    def municipality_id_of(self, validated_data: dict, instance=None) -> int | None:
        municipality = validated_data.get("municipality")
        if municipality is not None:
            return municipality.pk
        return getattr(instance, "municipality_id", None)

    def extra_create_fields(self) -> dict:
        """Fields the server fills in on create (e.g. ``author``)."""
        return {}

    def perform_create(self, serializer):
        require_scope(self.request.user, Action.EDIT, self.municipality_id_of(serializer.validated_data))
        serializer.save(**self.extra_create_fields())

    def perform_update(self, serializer):
        # The object itself came from the EDIT queryset; a move to another city must be in scope too.
        require_scope(
            self.request.user,
            Action.EDIT,
            self.municipality_id_of(serializer.validated_data, serializer.instance),
        )
        serializer.save()


class TenantModelViewSet(
    TenantViewSet,  # first, so that its perform_create/perform_update (scope checks) win
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
):
    """Full CRUD within the user's municipalities."""

    def list(self, request, *args, **kwargs):
        statement = self.list_statement(request)
        if statement is None:
            return super().list(request, *args, **kwargs)
        page = self.paginate_queryset(statement)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def _filters_read_no_database(filterset_class) -> bool:
    """Whether validating ``filterset_class``'s parameters reads no rows (no model-choice filter)."""
    return filterset_class is not None and not any(
        isinstance(filter_, QuerySetRequestMixin) for filter_ in filterset_class.base_filters.values()
    )

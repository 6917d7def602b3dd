"""Base viewsets: every queryset starts from ``Model.objects.for_user(user, action)``."""

from __future__ import annotations

from django.http import Http404
from rest_framework import exceptions, mixins, viewsets
from rest_framework.permissions import AllowAny

from apps.core.permissions import Action, require_scope

from .fast import fast_path
from .permissions import ReadAnyoneWriteAuthenticated
from .schema import VLRAutoSchema


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
    # instances (tests/api/test_list_reads.py holds each such list to plain DRF's output).
    list_reads_rows = False

    def paginate_queryset(self, queryset):
        # Rows carry only columns, annotations and what attach() sets: never one without the other.
        rows = self.list_reads_rows and self.action == "list" and fast_path("rows") and fast_path("links")
        page = super().paginate_queryset(queryset.values() if rows else queryset)
        if page is not None:
            if rows:
                page = [Row(values, self.model._meta.pk.attname) for values in page]
            if fast_path("links"):
                self.attach(page)
        return page

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

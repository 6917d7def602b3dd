"""Initiatives and their dated progress updates: CRUD within the user's municipalities."""

from __future__ import annotations

from django.db.models import F

from apps.core.api.fast import fast_path
from apps.core.api.serializers import Represented
from apps.core.api.viewsets import TenantModelViewSet
from apps.initiatives.filtersets import InitiativeFilterSet, ProgressUpdateFilterSet
from apps.initiatives.models import Initiative, ProgressUpdate
from apps.initiatives.selectors import initiative_links

from .serializers import InitiativeSerializer, ProgressUpdateSerializer


class InitiativeViewSet(TenantModelViewSet):
    model = Initiative
    list_reads_rows = True
    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilterSet

    def optimise(self, queryset):
        queryset = queryset.annotate(_municipality_code=F("municipality__code"))
        if not fast_path("links"):  # what attach() reads with one query, the ORM's way
            queryset = queryset.prefetch_related(
                "target_links__target", "groups_served", "local_indicators", "framework_nodes"
            )
        return queryset

    def attach(self, objects):
        """Targets, groups, indicator and framework node ids of a page with one query, handed to
        the serializer as their final representation."""
        links = initiative_links(objects, user=self.request.user)
        for obj in objects:
            entry = links[obj.pk]
            obj._prefetched_targets = Represented(
                {"target": code, "is_primary": primary} for code, primary in entry.targets
            )
            obj._prefetched_groups_served = Represented(entry.groups)
            obj._prefetched_local_indicators = Represented(entry.indicators)
            obj._prefetched_framework_nodes = Represented(entry.nodes)


class ProgressUpdateViewSet(TenantModelViewSet):
    model = ProgressUpdate
    serializer_class = ProgressUpdateSerializer
    filterset_class = ProgressUpdateFilterSet

    def optimise(self, queryset):
        return queryset.select_related("author")

    def municipality_id_of(self, validated_data, instance=None):
        initiative = validated_data.get("initiative") or getattr(instance, "initiative", None)
        return initiative.municipality_id if initiative else None

    def extra_create_fields(self):
        return {"author": self.request.user}

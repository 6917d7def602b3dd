"""Initiatives and their dated progress updates: CRUD within the user's municipalities."""
from __future__ import annotations

from django.db.models import Prefetch

from apps.core.api.viewsets import TenantModelViewSet
from apps.initiatives.filtersets import InitiativeFilterSet, ProgressUpdateFilterSet
from apps.initiatives.models import Initiative, InitiativeTarget, ProgressUpdate

from .serializers import InitiativeSerializer, ProgressUpdateSerializer


class InitiativeViewSet(TenantModelViewSet):
    model = Initiative
    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilterSet

    def optimise(self, queryset):
        return queryset.select_related("municipality").prefetch_related(
            Prefetch("target_links", queryset=InitiativeTarget.objects.select_related("target")),
            "groups_served",
            "local_indicators",
        )


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

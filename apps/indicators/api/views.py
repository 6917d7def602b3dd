"""Local indicators and their observations: CRUD within the user's municipalities."""
from __future__ import annotations

from django.db.models import Prefetch

from apps.core.api.viewsets import TenantModelViewSet
from apps.indicators.filtersets import LocalIndicatorFilterSet, ObservationFilterSet
from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation

from .serializers import LocalIndicatorSerializer, ObservationSerializer


class LocalIndicatorViewSet(TenantModelViewSet):
    model = LocalIndicator
    serializer_class = LocalIndicatorSerializer
    filterset_class = LocalIndicatorFilterSet

    def optimise(self, queryset):
        return queryset.select_related("municipality").prefetch_related(
            Prefetch("alignments", queryset=IndicatorAlignment.objects.select_related("target", "indicator"))
        )


class ObservationViewSet(TenantModelViewSet):
    model = Observation
    serializer_class = ObservationSerializer
    filterset_class = ObservationFilterSet

    def optimise(self, queryset):
        return queryset.select_related("local_indicator__municipality")

    def municipality_id_of(self, validated_data, instance=None):
        indicator = validated_data.get("local_indicator") or getattr(instance, "local_indicator", None)
        return indicator.municipality_id if indicator else None

"""Initiatives and their dated progress updates: CRUD within the user's municipalities."""
from __future__ import annotations

from types import SimpleNamespace

from django.db.models import F

from apps.core.api.viewsets import TenantModelViewSet
from apps.initiatives.filtersets import InitiativeFilterSet, ProgressUpdateFilterSet
from apps.initiatives.models import Initiative, InitiativeTarget, ProgressUpdate

from .serializers import InitiativeSerializer, ProgressUpdateSerializer


class InitiativeViewSet(TenantModelViewSet):
    model = Initiative
    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilterSet

    def optimise(self, queryset):
        return queryset.annotate(_municipality_code=F("municipality__code"))

    def attach(self, objects):
        """Targets, groups and indicator ids of a page: 3 value queries, no model rows (the
        serializer's Prefetched* fields read ``_prefetched_<field>``)."""
        by_id = {obj.pk: obj for obj in objects}
        for obj in objects:
            obj._prefetched_targets, obj._prefetched_groups_served, obj._prefetched_local_indicators = [], [], []
        if not by_id:
            return
        links = InitiativeTarget.objects.filter(initiative__in=by_id).order_by("-is_primary", "target__sort_key")
        for initiative, code, primary in links.values_list("initiative_id", "target__code", "is_primary"):
            by_id[initiative]._prefetched_targets.append(SimpleNamespace(target=SimpleNamespace(code=code), is_primary=primary))
        groups = Initiative.groups_served.through.objects.filter(initiative__in=by_id).order_by("populationgroup_id")
        for initiative, code in groups.values_list("initiative_id", "populationgroup__code"):
            by_id[initiative]._prefetched_groups_served.append(SimpleNamespace(code=code))
        indicators = Initiative.local_indicators.through.objects.filter(initiative__in=by_id).order_by("localindicator_id")
        for initiative, indicator in indicators.values_list("initiative_id", "localindicator_id"):
            by_id[initiative]._prefetched_local_indicators.append(SimpleNamespace(pk=indicator))


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

"""SDG framework: read-only reference data, open to everyone."""

from __future__ import annotations

from apps.core.api.viewsets import ReferenceViewSet
from apps.sdg.filtersets import GoalFilterSet, IndicatorFilterSet, TargetFilterSet
from apps.sdg.models import Goal, Indicator, Target

from .serializers import GoalSerializer, IndicatorSerializer, TargetSerializer


class GoalViewSet(ReferenceViewSet):
    """The 17 Goals; ``/goals/{number}/``."""

    queryset = Goal.objects.all()
    serializer_class = GoalSerializer
    filterset_class = GoalFilterSet
    lookup_field = "number"
    lookup_value_regex = r"[0-9]{1,2}"


class TargetViewSet(ReferenceViewSet):
    """The 169 targets; ``/targets/{code}/`` (e.g. ``11.6``)."""

    queryset = Target.objects.select_related("goal")
    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{1,2}\.[0-9a-z]{1,2}"


class IndicatorViewSet(ReferenceViewSet):
    """Global indicators; ``/indicators/{code}/`` (e.g. ``11.6.2``)."""

    queryset = Indicator.objects.select_related("target__goal")
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{1,2}\.[0-9a-z]{1,2}\.[0-9]{1,2}"

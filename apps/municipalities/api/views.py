"""Local governments: the list is public reference data (``/municipalities/{code}/``)."""

from __future__ import annotations

from apps.core.api.viewsets import ReferenceViewSet
from apps.core.permissions import Action
from apps.municipalities.filtersets import MunicipalityFilterSet
from apps.municipalities.models import Municipality

from .serializers import MunicipalitySerializer


class MunicipalityViewSet(ReferenceViewSet):
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z-]{2,20}"

    def get_queryset(self):
        return Municipality.objects.for_user(self.request.user, Action.VIEW).select_related("parent")

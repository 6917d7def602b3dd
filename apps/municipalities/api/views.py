"""Local governments: the list is public reference data (``/municipalities/{code}/``); a
municipality's planners set its city profile (``PATCH /municipalities/{code}/profile/``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.core.api.viewsets import ReferenceViewSet
from apps.core.permissions import Action
from apps.municipalities.filtersets import MunicipalityFilterSet
from apps.municipalities.models import Municipality
from apps.municipalities.services import municipality_profile_update

from .serializers import MunicipalityProfileSerializer, MunicipalitySerializer


class MunicipalityViewSet(ReferenceViewSet):
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z-]{2,20}"

    def get_queryset(self):
        return Municipality.objects.for_user(self.request.user, Action.VIEW).select_related("parent")

    @extend_schema(
        request=MunicipalityProfileSerializer,
        responses=MunicipalitySerializer,
        summary="도시 개요 수정 / set the city profile",
        description="Population, area, annual budget, languages and the year of these figures, as "
        "the VLR submission pack's registration card carries them. Planners of the municipality "
        "(or admins); fields left out stay as they are.",
    )
    @action(detail=True, methods=["patch"], permission_classes=[IsAuthenticated])
    def profile(self, request, code=None):
        municipality = self.get_object()
        serializer = MunicipalityProfileSerializer(municipality, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        municipality = municipality_profile_update(
            municipality=municipality, actor=request.user, **serializer.validated_data
        )
        return Response(MunicipalitySerializer(municipality).data)

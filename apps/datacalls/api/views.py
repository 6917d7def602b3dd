"""Data calls: list and read within the user's municipalities; a coordinator in scope or a lead
planner opens and closes them (``apps.datacalls.services``); ``completeness`` is who has
reported, per department and per item."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api.viewsets import TenantViewSet
from apps.core.permissions import Action

from ..filtersets import DataCallFilterSet
from ..models import DataCall
from ..selectors import by_department, call_rows
from ..services import data_call_close, data_call_open
from .serializers import CompletenessSerializer, DataCallSerializer


class DataCallViewSet(
    TenantViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    model = DataCall
    serializer_class = DataCallSerializer
    filterset_class = DataCallFilterSet
    # Opening and closing are asked of apps.core.permissions.may_run_data_calls by the services
    # (coordinators have no edit scope): the object is looked up among those the user sees.
    action_permissions = {**TenantViewSet.action_permissions, "create": Action.VIEW, "close": Action.VIEW}

    def optimise(self, queryset):
        return queryset.select_related("municipality")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = data_call_open(
            municipality=data["municipality"],
            year=data["year"],
            due_date=data["due_date"],
            message=data.get("message", ""),
            actor=self.request.user,
        )

    @extend_schema(request=None, responses=DataCallSerializer, summary="닫기 / close (freezes completeness)")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        call = data_call_close(data_call=self.get_object(), actor=request.user)
        return Response(DataCallSerializer(call, context=self.get_serializer_context()).data)

    @extend_schema(responses=CompletenessSerializer, summary="제출 현황 / who has reported")
    @action(detail=True, methods=["get"])
    def completeness(self, request, pk=None):
        call = self.get_object()
        rows = call_rows(call)
        payload = {
            "data_call": call.pk,
            "frozen": call.frozen_rows is not None,
            "total": len(rows),
            "reported": sum(row.reported for row in rows),
            "departments": by_department(rows),
            "items": rows,
        }
        return Response(CompletenessSerializer(payload).data, status=status.HTTP_200_OK)

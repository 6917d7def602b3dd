"""Frameworks, their nodes and the crosswalk: readable as ``for_user`` says (shared frameworks by
anyone, a local one in its municipality's scope); written by its planners (shared: admins)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from apps.core.api.viewsets import TenantModelViewSet
from apps.core.permissions import Action
from apps.frameworks import services
from apps.frameworks.filtersets import CrosswalkLinkFilterSet, FrameworkFilterSet, FrameworkNodeFilterSet
from apps.frameworks.models import CrosswalkLink, Framework, FrameworkNode

from .serializers import (
    CrosswalkLinkSerializer,
    FrameworkImportSerializer,
    FrameworkNodeSerializer,
    FrameworkSerializer,
)


class FrameworkViewSet(TenantModelViewSet):
    model = Framework
    serializer_class = FrameworkSerializer
    filterset_class = FrameworkFilterSet
    action_permissions = {**TenantModelViewSet.action_permissions, "bulk_import": Action.VIEW}

    def optimise(self, queryset):
        return queryset.select_related("municipality")

    @extend_schema(
        request={"multipart/form-data": FrameworkImportSerializer},
        summary="프레임워크 가져오기 / import a framework's nodes and crosswalk (xlsx/csv)",
        description="The same service as `manage.py import_framework`: all or nothing, every bad cell "
        "listed as `row N, column C: reason`; importing the same file again changes nothing.",
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def bulk_import(self, request):
        serializer = FrameworkImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = services.framework_import(
            file=data["file"],
            municipality=data.get("municipality"),
            framework_code=data.get("framework", ""),
            dry_run=data["dry_run"],
            actor=request.user,
        )
        return Response(report.as_dict())


class FrameworkNodeViewSet(TenantModelViewSet):
    model = FrameworkNode
    serializer_class = FrameworkNodeSerializer
    filterset_class = FrameworkNodeFilterSet

    def optimise(self, queryset):
        return queryset.select_related("sdg_target")

    def municipality_id_of(self, validated_data, instance=None):
        framework = validated_data.get("framework") or instance.framework
        return framework.municipality_id

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.node_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "framework"}
        serializer.instance = services.node_update(node=serializer.instance, actor=self.request.user, **data)

    def perform_destroy(self, instance):
        services.node_delete(node=instance, actor=self.request.user)


class CrosswalkLinkViewSet(TenantModelViewSet):
    model = CrosswalkLink
    serializer_class = CrosswalkLinkSerializer
    filterset_class = CrosswalkLinkFilterSet
    http_method_names = ["get", "post", "delete", "head", "options"]

    def optimise(self, queryset):
        return queryset.select_related("created_by")

    def perform_create(self, serializer):
        serializer.instance = services.link_create(actor=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.link_delete(link=instance, actor=self.request.user)

"""Local indicators and their observations: CRUD within the user's municipalities."""
from __future__ import annotations

from django.db.models import F, Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from apps.core.api.viewsets import TenantModelViewSet
from apps.indicators import services
from apps.indicators.filtersets import LocalIndicatorFilterSet, ObservationFilterSet
from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation

from .serializers import (
    ImportReportSerializer,
    LocalIndicatorSerializer,
    ObservationImportSerializer,
    ObservationSerializer,
)


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
    list_reads_rows = True
    serializer_class = ObservationSerializer
    filterset_class = ObservationFilterSet

    def optimise(self, queryset):
        # Two codes by join instead of two related model rows per observation.
        return queryset.annotate(
            _local_indicator_code=F("local_indicator__code"),
            _municipality_code=F("local_indicator__municipality__code"),
        )

    def perform_destroy(self, instance):
        services.observation_delete(observation=instance, actor=self.request.user)

    def municipality_id_of(self, validated_data, instance=None):
        indicator = validated_data.get("local_indicator") or getattr(instance, "local_indicator", None)
        return indicator.municipality_id if indicator else None

    @extend_schema(
        request={"multipart/form-data": ObservationImportSerializer},
        responses=ImportReportSerializer,
        summary="관측값 일괄 가져오기 / bulk import observations (statistical annex xlsx/csv)",
        description=(
            "The same service as `manage.py import_observations`: every row is checked, and if any "
            "cell is wrong nothing is saved (400, code `import_failed`, one line per error in "
            "`errors.non_field_errors`: \"row 3, column value: …\"). `dry_run` checks and reports "
            "without saving. An unreadable or oversize file is 400 `bad_spreadsheet` / "
            "`file_too_large`; a municipality you do not edit is 403."
        ),
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def bulk_import(self, request):
        serializer = ObservationImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = services.observations_import(
            file=data["file"], municipality=data.get("municipality"), actor=request.user, dry_run=data["dry_run"]
        )
        return Response(ImportReportSerializer(report.as_dict()).data)

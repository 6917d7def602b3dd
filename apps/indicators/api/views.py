"""Local indicators and their observations: CRUD within the user's municipalities."""

from __future__ import annotations

from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from apps.core.api.jobs import JobAcceptedSerializer, job_accepted
from apps.core.api.renderers import CSVRenderer, JSONRenderer, ZIPRenderer
from apps.core.api.viewsets import TenantModelViewSet
from apps.core.http import attachment
from apps.core.permissions import Action
from apps.core.spreadsheets import clip
from apps.frameworks.models import FrameworkNode
from apps.indicators import services
from apps.indicators.filtersets import LocalIndicatorFilterSet, ObservationFilterSet
from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation
from apps.indicators.opendata import indicator_csv, open_sdg_id, opendata_zip
from apps.indicators.services import tables
from apps.indicators.services.kosis import kosis_link_save, kosis_refresh
from apps.municipalities.models import Municipality

from .serializers import (
    ImportReportSerializer,
    IndicatorImportSerializer,
    KosisLinkSerializer,
    LocalIndicatorSerializer,
    ObservationImportSerializer,
    ObservationSerializer,
    TableImportSerializer,
)


class LocalIndicatorViewSet(TenantModelViewSet):
    model = LocalIndicator
    action_permissions = {
        **TenantModelViewSet.action_permissions,
        "kosis_link": Action.EDIT,
        "kosis_refresh": Action.EDIT,
    }
    serializer_class = LocalIndicatorSerializer
    filterset_class = LocalIndicatorFilterSet

    def optimise(self, queryset):
        return queryset.select_related("municipality").prefetch_related(
            Prefetch("alignments", queryset=IndicatorAlignment.objects.select_related("target", "indicator")),
            Prefetch(
                "framework_nodes",
                queryset=FrameworkNode.objects.only("pk"),
                to_attr="_prefetched_framework_nodes",
            ),
        )

    @extend_schema(
        request={"multipart/form-data": IndicatorImportSerializer},
        responses={200: ImportReportSerializer, 202: JobAcceptedSerializer},
        summary="지표 일괄 가져오기 / bulk import local indicators (indicator metadata xlsx/csv)",
        description="The same service and rules as `manage.py import_indicators` and the observations import, "
        "background jobs included.",
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def bulk_import(self, request):
        return spreadsheet_import(
            request, IndicatorImportSerializer, "indicators_import", services.indicators_import
        )

    @extend_schema(
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="Open SDG tidy CSV")},
        operation_id="local_indicator_opendata_csv",
        summary="공개 지표의 열린 데이터 (CSV) / a public indicator's open data (Open SDG CSV)",
        description="Year, one column per disaggregation in use, Value; a blank cell is the total. "
        "Public indicators only (404 otherwise, whoever asks).",
    )
    @action(detail=True, methods=["get"], url_path="opendata", renderer_classes=[JSONRenderer, CSVRenderer])
    def opendata(self, request, pk=None):
        indicator = get_object_or_404(
            LocalIndicator.objects.published().select_related("municipality"), pk=pk
        )
        return attachment(
            indicator_csv(indicator),
            "text/csv; charset=utf-8",
            f"indicator_{open_sdg_id(indicator.code)}.csv",
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "municipality", str, required=True, description="지자체 코드 / municipality code"
            )
        ],
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY, description="Open SDG data repository"
            )
        },
        operation_id="local_indicators_opendata_zip",
        summary="지자체 열린 데이터 일괄 (zip) / a city's open data in bulk (Open SDG data repository)",
        description="data/indicator_<id>.csv and meta/<id>.md per public indicator, with a Frictionless "
        "datapackage.json. Public indicators only.",
    )
    @action(detail=False, methods=["get"], url_path="opendata", renderer_classes=[JSONRenderer, ZIPRenderer])
    def opendata_bulk(self, request):
        code = request.query_params.get("municipality", "")
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise NotFound(f"알 수 없는 지자체 코드 / unknown municipality code: {code}")
        return attachment(opendata_zip(municipality), "application/zip", f"opendata_{municipality.code}.zip")

    @extend_schema(
        request=KosisLinkSerializer,
        responses={200: KosisLinkSerializer},
        summary="KOSIS 연결 / link the indicator to a KOSIS table, item and classification",
    )
    @action(detail=True, methods=["post"], url_path="kosis-link")
    def kosis_link(self, request, pk=None):
        indicator = self.get_object()
        serializer = KosisLinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = kosis_link_save(indicator=indicator, actor=request.user, **serializer.validated_data)
        return Response(KosisLinkSerializer(link).data)

    @extend_schema(
        request=None,
        responses={200: dict, 202: JobAcceptedSerializer},
        summary="KOSIS에서 새로 받기 / refresh the indicator's values from KOSIS now",
        description="The report lists `revisions` (what the source changed) and `missing` (KOSIS markers). "
        "`?dry_run=true` fetches and checks without saving values. `?background=true` hands the refresh "
        "to a worker: 202 with the job's URL, whose result is the same report.",
    )
    @action(detail=True, methods=["post"], url_path="kosis-refresh")
    def kosis_refresh(self, request, pk=None):
        indicator = self.get_object()
        dry_run = _flag(request.query_params.get("dry_run"))
        if _flag(request.query_params.get("background")):
            return job_accepted(
                request,
                services.kosis_refresh_start(indicator=indicator, actor=request.user, dry_run=dry_run),
            )
        return Response(kosis_refresh(indicator=indicator, actor=request.user, dry_run=dry_run).as_dict())


class ObservationViewSet(TenantModelViewSet):
    model = Observation
    list_reads_rows = True
    serializer_class = ObservationSerializer
    filterset_class = ObservationFilterSet

    def optimise(self, queryset):
        # Two codes and who stored the value by join instead of three related model rows per observation.
        return queryset.annotate(
            _local_indicator_code=F("local_indicator__code"),
            _municipality_code=F("local_indicator__municipality__code"),
            _imported_by=F("imported_by__username"),
        )

    def perform_destroy(self, instance):
        services.observation_delete(observation=instance, actor=self.request.user)

    def municipality_id_of(self, validated_data, instance=None):
        indicator = validated_data.get("local_indicator") or getattr(instance, "local_indicator", None)
        return indicator.municipality_id if indicator else None

    @extend_schema(
        request={"multipart/form-data": ObservationImportSerializer},
        responses={200: ImportReportSerializer, 202: JobAcceptedSerializer},
        summary="관측값 일괄 가져오기 / bulk import observations (statistical annex xlsx/csv)",
        description=(
            "The same service as `manage.py import_observations`: every row is checked, and if any "
            "cell is wrong nothing is saved (400, code `import_failed`, one line per error in "
            '`errors.non_field_errors`: "row 3, column value: …"). `dry_run` checks and reports '
            "without saving. An unreadable or oversize file is 400 `bad_spreadsheet` / "
            "`file_too_large`; a municipality you do not edit is 403. A file over "
            "`IMPORT_BACKGROUND_BYTES`, or `background=true`, is handed to a worker: 202 with the "
            "job's URL (`GET /api/v1/jobs/<id>/` gives status, progress and the same report or errors)."
        ),
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def bulk_import(self, request):
        return spreadsheet_import(
            request, ObservationImportSerializer, "observations_import", services.observations_import
        )

    @extend_schema(
        request={"multipart/form-data": TableImportSerializer},
        responses={200: dict, 202: JobAcceptedSerializer},
        summary="표 가져오기 (KOSIS·부서 표) / import a table as KOSIS or a department keeps it",
        description="`preview=true`: the detected column mapping (`layout`) and the first rows, nothing "
        "saved. Otherwise the same all-or-nothing import as `manage.py import_observations --indicator`, "
        "with `layout` (the preview's mapping, corrected) if given; the report adds `missing` (KOSIS "
        "markers, with their reason, never stored) and `other_regions`. A file over "
        "IMPORT_BACKGROUND_BYTES (or `background=true`) is imported by a worker: 202 with the job's URL.",
    )
    @action(
        detail=False, methods=["post"], url_path="import-table", parser_classes=[MultiPartParser, FormParser]
    )
    def import_table(self, request):
        serializer = TableImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["preview"]:
            layout, rows = tables.table_layout(file=data["file"], sheet=data.get("sheet") or None)
            shown = [[clip(str(v), 40) if v is not None else "" for v in row] for row in rows]
            return Response({"layout": layout.as_dict(), "rows": shown})
        arguments = {
            "file": data["file"],
            "municipality": data.get("municipality"),
            "indicator": data["indicator"],
            "item": data.get("item") or "",
            "layout": data.get("layout"),
            "sheet": data.get("sheet") or None,
            "actor": request.user,
            "dry_run": data["dry_run"],
        }
        if services.import_in_background(data["file"], data.get("background")):
            return job_accepted(request, services.import_start(kind="observations_import_table", **arguments))
        return Response(tables.observations_import_table(**arguments).as_dict())


def _flag(value) -> bool:
    return str(value or "").lower() in ("1", "true", "yes")


def spreadsheet_import(request, serializer_class, kind: str, service):
    """Parse the upload, then import it now (200 with the report) or as a job (202)."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    arguments = {
        "file": data["file"],
        "municipality": data.get("municipality"),
        "actor": request.user,
        "dry_run": data["dry_run"],
    }
    if services.import_in_background(data["file"], data.get("background")):
        return job_accepted(request, services.import_start(kind=kind, **arguments))
    return Response(ImportReportSerializer(service(**arguments).as_dict()).data)

"""VLR editions with their workflow verbs, narrative sections and review comments.

Every write goes through ``apps.vlr.services`` (transitions, section_update, comment_create);
this module only parses, picks the queryset from ``for_user`` and renders.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from apps.core.api.jobs import JobAcceptedSerializer, job_accepted
from apps.core.api.renderers import JSONRenderer, ZIPRenderer, file_renderer
from apps.core.api.viewsets import TenantModelViewSet, TenantViewSet
from apps.core.exceptions import ApplicationError
from apps.core.http import attachment
from apps.core.models import Job
from apps.core.permissions import Action, sees_work_in_progress
from apps.vlr import assessment, services
from apps.vlr.choices import EditionAction, ReportKind
from apps.vlr.exports.report import (
    FORMATS,
    check_choice,
    report_bytes,
    report_filename,
    report_in_background,
    report_job_file,
    report_start,
)
from apps.vlr.exports.report_content import LANGS
from apps.vlr.exports.submission import submission_filename, submission_zip
from apps.vlr.exports.vlr_workbook import vlr_workbook_bytes, vlr_workbook_filename
from apps.vlr.filtersets import (
    AssessmentPanelFilterSet,
    CommentFilterSet,
    CycleDateFilterSet,
    CycleSettingsFilterSet,
    EditionFilterSet,
    EditionSectionFilterSet,
    OrdinanceReviewFilterSet,
    ParticipationRecordFilterSet,
    SubmissionFilterSet,
)
from apps.vlr.models import (
    AssessmentPanel,
    Comment,
    CycleDate,
    CycleSettings,
    Edition,
    EditionSection,
    EditionTransition,
    OrdinanceReview,
    ParticipationRecord,
    Submission,
)
from apps.vlr.selectors import calendar_items
from apps.vlr.workflow import TRANSITIONS

from .serializers import (
    AssessmentPanelSerializer,
    AssessmentRowSerializer,
    CalendarItemSerializer,
    CommentSerializer,
    CycleDateSerializer,
    CycleSettingsSerializer,
    EditionSectionSerializer,
    EditionSerializer,
    EditionUpdateSerializer,
    OrdinanceReviewSerializer,
    ParticipationRecordSerializer,
    RatingsInputSerializer,
    StartFromSerializer,
    SubmissionSerializer,
    TransitionInputSerializer,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


XLSXRenderer = file_renderer(XLSX, "xlsx")
PDFRenderer = file_renderer(FORMATS["pdf"], "pdf")  # ?format=pdf is DRF's renderer choice too
DOCXRenderer = file_renderer(FORMATS["docx"], "docx")


# A stored file as it is (errors stay JSON): the shared download renderer.
BinaryRenderer = file_renderer("application/octet-stream", "bin")


class EditionViewSet(
    TenantViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """VLR editions (review cycles). No DELETE: an edition is a record of a review (admin only)."""

    model = Edition
    filterset_class = EditionFilterSet
    action_permissions = {
        **TenantViewSet.action_permissions,
        # The workflow table says which permission each verb needs (EDIT to submit, REVIEW else).
        **{name: t.needs for name, t in TRANSITIONS.items()},
        # Reading the source is enough here; the service requires EDIT on the new edition's city.
        "start_from": Action.VIEW,
    }

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return EditionUpdateSerializer
        if self.action in TRANSITIONS:
            return TransitionInputSerializer
        if self.action == "start_from":
            return StartFromSerializer
        return EditionSerializer

    def optimise(self, queryset):
        if self.action not in ("workbook", "report", "submission"):  # only files read the frozen numbers
            queryset = queryset.without_snapshot()
        else:
            queryset = queryset.reading("snapshot")
        return queryset.select_related("municipality").prefetch_related(
            "focus_goals",
            "sections",
            Prefetch("transitions", queryset=EditionTransition.objects.select_related("actor")),
        )

    def _render(self, edition, status_code=status.HTTP_200_OK):
        fresh = self.optimise(Edition.objects.filter(pk=edition.pk)).get()
        return Response(
            EditionSerializer(fresh, context=self.get_serializer_context()).data, status=status_code
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        edition = services.edition_create(actor=request.user, **serializer.validated_data)
        return self._render(edition, status.HTTP_201_CREATED)

    @extend_schema(responses=EditionSerializer)
    def update(self, request, *args, **kwargs):
        edition = self.get_object()
        serializer = self.get_serializer(edition, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        return self._render(
            services.edition_update(edition=edition, actor=request.user, **serializer.validated_data)
        )

    @extend_schema(responses=EditionSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _transition(self, request, verb: str):
        edition = self.get_object()
        serializer = TransitionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.edition_transition(
            edition=edition, action=verb, actor=request.user, comment=serializer.validated_data["comment"]
        )
        return self._render(edition)

    @extend_schema(
        request=TransitionInputSerializer,
        responses=EditionSerializer,
        summary="제출 / submit for review (planner)",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request, EditionAction.SUBMIT)

    @extend_schema(
        request=TransitionInputSerializer,
        responses=EditionSerializer,
        summary="수정 요청 / request changes (coordinator; comment required)",
    )
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        return self._transition(request, EditionAction.REQUEST_CHANGES)

    @extend_schema(
        request=TransitionInputSerializer,
        responses=EditionSerializer,
        summary="승인 / approve (coordinator; freezes the numbers)",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._transition(request, EditionAction.APPROVE)

    @extend_schema(
        request=TransitionInputSerializer, responses=EditionSerializer, summary="공개 / publish (coordinator)"
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._transition(request, EditionAction.PUBLISH)

    @extend_schema(
        request=TransitionInputSerializer,
        responses=EditionSerializer,
        summary="다시 작성 / reopen as draft (coordinator; comment required)",
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._transition(request, EditionAction.REOPEN)

    @extend_schema(
        responses=AssessmentRowSerializer(many=True),
        summary="지표 진단 결과 / indicator assessment results of a 지속가능성 평가",
        description="Per local indicator: mean score and number of panels per criterion, the criteria "
        "flagging it (e.g. target value needs revision), the panels' comments, the department's response.",
    )
    @action(detail=True, methods=["get"])
    def assessment(self, request, pk=None):
        edition = self.get_object()
        if edition.kind != ReportKind.ASSESSMENT or not sees_work_in_progress(
            request.user, edition.municipality_id
        ):
            raise NotFound()
        results = assessment.assessment_results(edition, request.user)
        return Response(AssessmentRowSerializer(results["rows"], many=True).data)

    @extend_schema(
        request=StartFromSerializer,
        responses={201: EditionSerializer},
        summary="이 보고서에서 새 보고서 시작 / start a new edition (any kind) from this approved one",
        description="Narrative sections carried over by the outlines' mapping (apps/vlr/outlines.py), "
        "focus goals and participation copied; the new edition's based_on is this one.",
    )
    @action(detail=True, methods=["post"], url_path="start-from")
    def start_from(self, request, pk=None):
        source = self.get_object()
        serializer = StartFromSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        edition, _left_out = services.edition_start_from(
            source=source, actor=request.user, **serializer.validated_data
        )
        return self._render(edition, status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            (200, XLSX): OpenApiResponse(
                OpenApiTypes.BINARY, description="VLR 워크북 / the VLR workbook (.xlsx)"
            )
        },
        summary="VLR 워크북 내려받기 / download the VLR workbook",
        description="Live data for a draft; the numbers frozen at approval for an approved or published edition.",
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, XLSXRenderer])
    def workbook(self, request, pk=None):
        edition = self.get_object()
        content = vlr_workbook_bytes(municipality=edition.municipality, edition=edition, user=request.user)
        return attachment(
            content, XLSX, vlr_workbook_filename(edition.municipality, edition.year, edition.kind)
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=list(FORMATS), required=True, description="pdf | docx"),
            OpenApiParameter("lang", str, enum=list(LANGS), default="ko", description="ko | en | both"),
            OpenApiParameter("job", int, description="the file a finished report job made (GET)"),
        ],
        responses={
            (200, FORMATS["pdf"]): OpenApiResponse(OpenApiTypes.BINARY, description="PDF (A4, print-ready)"),
            (200, FORMATS["docx"]): OpenApiResponse(OpenApiTypes.BINARY, description="DOCX (editable)"),
            202: JobAcceptedSerializer,
        },
        summary="VLR 보고서 내려받기 / download the VLR report document",
        description="Live data for a draft; the numbers frozen at approval for an approved or published "
        "edition (anonymous readers: a published edition's snapshot, without the review's internals). "
        "A city with more than `REPORT_BACKGROUND_INDICATORS` indicators gets its PDF from a background "
        "job: `POST` with the same parameters answers 202 with the job's URL; the finished job's "
        "`result.api_download` is this URL with `job=<id>`.",
    )
    @action(detail=True, methods=["get", "post"], renderer_classes=[JSONRenderer, PDFRenderer, DOCXRenderer])
    def report(self, request, pk=None):
        # the file is an HttpResponse; anything else (202, an error) is JSON, whatever ?format=
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
        edition = self.get_object()
        fmt = request.query_params.get("format") or ""
        lang = request.query_params.get("lang") or "ko"
        check_choice(fmt, lang)
        if request.method == "POST":
            return job_accepted(
                request, report_start(edition=edition, fmt=fmt, lang=lang, actor=request.user)
            )
        if "job" in request.query_params:
            try:
                file, name, content_type = report_job_file(
                    user=request.user, job_id=request.query_params["job"], edition=edition
                )
            except Job.DoesNotExist:
                raise Http404 from None
            return FileResponse(file, as_attachment=True, filename=name, content_type=content_type)
        if request.user.is_authenticated and report_in_background(edition, fmt):
            raise ApplicationError(
                "이 도시의 PDF는 커서 작업자가 만듭니다: 같은 주소로 POST 하세요 / this city's PDF is large and is "
                "made by a background job: POST to this URL (202 with the job's URL; its result gives the "
                "download URL)",
                code="use_background_job",
            )
        content = report_bytes(
            municipality=edition.municipality, edition=edition, user=request.user, fmt=fmt, lang=lang
        )
        return attachment(
            content, FORMATS[fmt], report_filename(edition.municipality, edition.year, fmt, lang)
        )

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY, description="English PDF, registration card, CSV annex"
            )
        },
        summary="VLR 제출 묶음 / the VLR submission pack (zip)",
        description="What UN DESA and the IGES VLR Lab ask for: the English report (PDF), the "
        "registration card (CSV) and the indicator annex (CSV).",
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, ZIPRenderer])
    def submission(self, request, pk=None):
        edition = self.get_object()
        return attachment(
            submission_zip(municipality=edition.municipality, edition=edition, user=request.user),
            "application/zip",
            submission_filename(edition.municipality, edition.year),
        )


class EditionSectionViewSet(
    TenantViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin
):
    """Narrative sections of editions. Created with the edition; edited through
    ``apps.vlr.services.section_update`` (only while the edition is a draft or sent back)."""

    model = EditionSection
    serializer_class = EditionSectionSerializer
    filterset_class = EditionSectionFilterSet

    def optimise(self, queryset):
        return queryset.with_edition()

    def perform_update(self, serializer):
        serializer.instance = services.section_update(
            section=serializer.instance, actor=self.request.user, **serializer.validated_data
        )


class CommentViewSet(
    TenantViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Review comments on an edition (optionally about one indicator or initiative, threaded
    with ``parent``); written through ``apps.vlr.services.comment_create``."""

    model = Comment
    serializer_class = CommentSerializer
    filterset_class = CommentFilterSet
    # Planners of the city and coordinators in scope comment: the service decides (403 else).
    action_permissions = {**TenantViewSet.action_permissions, "create": Action.VIEW}

    def optimise(self, queryset):
        return queryset.select_related("author")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.comment_create(
            edition=data["edition"],
            actor=self.request.user,
            body=data["body"],
            parent=data.get("parent"),
            local_indicator=data.get("local_indicator"),
            initiative=data.get("initiative"),
        )


# --------------------------------------------------------------------------- the statutory cycle


class CycleSettingsViewSet(TenantModelViewSet):
    """A city's calendar settings (what the Act leaves to the city: apps/vlr/cycle.py)."""

    model = CycleSettings
    serializer_class = CycleSettingsSerializer
    filterset_class = CycleSettingsFilterSet

    def optimise(self, queryset):
        return queryset.select_related("municipality")

    @extend_schema(
        responses=CalendarItemSerializer(many=True),
        summary="제출 일정 / what this city owes when (the Act's rules and its own dates)",
    )
    @action(detail=True, methods=["get"])
    def calendar(self, request, pk=None):
        settings = self.get_object()
        items = calendar_items(municipality_ids=[settings.municipality_id], today=timezone.localdate())
        return Response(CalendarItemSerializer(items, many=True).data)


class CycleDateViewSet(TenantModelViewSet):
    """Dates a city sets: a report's due date (replacing the rule's) or its own."""

    model = CycleDate
    serializer_class = CycleDateSerializer
    filterset_class = CycleDateFilterSet

    def optimise(self, queryset):
        return queryset.select_related("municipality")


class SubmissionViewSet(
    TenantViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Submissions of approved editions: to whom, when, the reference number and the exact file
    (``services.submission_create``; ``file/`` downloads it for those who see the edition's work)."""

    model = Submission
    serializer_class = SubmissionSerializer
    filterset_class = SubmissionFilterSet
    parser_classes = [MultiPartParser, FormParser]
    action_permissions = {**TenantViewSet.action_permissions, "create": Action.VIEW, "file": Action.VIEW}

    def optimise(self, queryset):
        return queryset.select_related("recorded_by")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        upload = data.pop("file")
        serializer.instance = services.submission_create(
            actor=self.request.user, file_name=upload.name, content=upload.read(), **data
        )

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
        summary="보낸 파일 / the exact file sent",
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, BinaryRenderer])
    def file(self, request, pk=None):
        submission = self.get_object()
        if not sees_work_in_progress(request.user, submission.edition.municipality_id):
            raise NotFound()
        name = submission.file.name.rsplit("/", 1)[-1]
        return FileResponse(submission.file.open("rb"), as_attachment=True, filename=name)


class OrdinanceReviewViewSet(TenantModelViewSet):
    """The Art. 14 review register: ordinances and plans sent to the 지방위원회, its opinion,
    the authority's response and status."""

    model = OrdinanceReview
    serializer_class = OrdinanceReviewSerializer
    filterset_class = OrdinanceReviewFilterSet

    def optimise(self, queryset):
        return queryset.select_related("municipality").prefetch_related("targets")


class ParticipationRecordViewSet(TenantModelViewSet):
    """Forums and deliberations (숙의공론화장, Art. 29): date, head counts by group, topics,
    outcomes."""

    model = ParticipationRecord
    serializer_class = ParticipationRecordSerializer
    filterset_class = ParticipationRecordFilterSet

    def optimise(self, queryset):
        return queryset.select_related("municipality")


class AssessmentPanelViewSet(
    TenantViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Panels of a 지속가능성 평가 (``apps.vlr.assessment``); ``ratings`` saves a panel's scores
    (all rows or none), ``results`` on the edition aggregates them."""

    model = AssessmentPanel
    serializer_class = AssessmentPanelSerializer
    filterset_class = AssessmentPanelFilterSet
    action_permissions = {**TenantViewSet.action_permissions, "create": Action.VIEW, "ratings": Action.EDIT}

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = assessment.panel_create(
            edition=data["edition"],
            group=data["group"],
            name=data.get("name", ""),
            participants=data["participants"],
            actor=self.request.user,
        )

    @extend_schema(
        request=RatingsInputSerializer,
        responses={200: OpenApiResponse(description="{saved: n}")},
        summary="패널 평가 저장 / save a panel's ratings (every row or none)",
    )
    @action(detail=True, methods=["post"])
    def ratings(self, request, pk=None):
        panel = self.get_object()
        serializer = RatingsInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = [
            {**row, "where": f"rows[{index}]", "columns": {}}
            for index, row in enumerate(serializer.validated_data["rows"])
        ]
        return Response({"saved": assessment.panel_ratings_save(panel=panel, rows=rows, actor=request.user)})

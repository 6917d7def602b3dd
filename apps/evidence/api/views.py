"""Evidence: ingested documents and their links to targets, local indicators, initiatives.

Writes go through ``apps.evidence.services``: ``document_ingest`` (upload or pasted text),
``suggestion_confirm`` / ``suggestion_reject`` and ``evidence_link_create``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.core.api.exceptions import error_body
from apps.core.api.viewsets import TenantViewSet
from apps.core.exceptions import PermissionDeniedError
from apps.core.permissions import OUT_OF_SCOPE, Action, require_scope, works_on
from apps.evidence import services
from apps.evidence.filtersets import DocumentFilterSet, EvidenceLinkFilterSet
from apps.evidence.models import Document, EvidenceLink
from apps.evidence.pipeline import MAX_BYTES

from .serializers import (
    ConfirmInputSerializer,
    DecisionInputSerializer,
    DocumentSerializer,
    EvidenceLinkCreateSerializer,
    EvidenceLinkSerializer,
    IngestInputSerializer,
    IngestResultSerializer,
)


class DocumentViewSet(
    TenantViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
):
    """Documents are created by ingesting (``POST /documents/ingest/``), then their metadata
    (municipality, kind, dates, publication) may be corrected."""

    model = Document
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet
    extra_error_codes = {"ingest": ["413"]}

    def optimise(self, queryset):
        return queryset.select_related("municipality", "created_by").defer("raw_content")

    def perform_update(self, serializer):
        # A document may have no municipality (then its creator edits it: for_user(EDIT) says so);
        # moving it *to* a municipality needs edit rights there.
        municipality = serializer.validated_data.get("municipality")
        if municipality is not None and municipality.pk != serializer.instance.municipality_id:
            require_scope(self.request.user, Action.EDIT, municipality.pk)
        serializer.save()

    @extend_schema(
        request={"multipart/form-data": IngestInputSerializer, "application/json": IngestInputSerializer},
        responses={201: IngestResultSerializer, 200: IngestResultSerializer},
        summary="문서 수집 / ingest a file or pasted text",
        description=(
            "201 created, 200 duplicate (the same clean text is already a document). A refusal "
            "(binary, empty, unknown encoding, no article text) is 400 with code `refused` and the "
            "reason; over 5 MB is 413. Naming a municipality you neither edit nor review is 403; one "
            "detected from the text that is not yours is refused (400)."
        ),
    )
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def ingest(self, request):
        serializer = IngestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        municipality = data.get("municipality")
        # The services' rule, asked early so that an explicit out-of-scope request is a 403 like
        # every other create.
        if municipality is not None and not works_on(request.user, municipality.pk):
            raise PermissionDeniedError(OUT_OF_SCOPE)
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_BYTES:  # like `manage.py ingest`: never read a huge file
                message = f"file too large: {upload.size / 1048576:.1f} MB > {MAX_BYTES // 1048576} MB limit"
                return Response(error_body(message, "too_large", {"file": [message]}), status=413)
            payload, filename = upload.read(), upload.name
        else:
            payload, filename = data["text"], ""
        result = services.document_ingest(
            data=payload,
            name=filename or "pasted text",
            filename=filename,
            municipality=municipality,
            kind=data.get("kind"),
            actor=request.user,
            is_html=data.get("is_html"),
        )
        if result.status == "refused":
            field = "file" if upload is not None else "text"
            return Response(error_body(result.reason, "refused", {field: [result.reason]}), status=400)
        document = self.optimise(Document.objects.filter(pk=result.document.pk)).get()
        body = {
            "status": result.status,
            "reason": result.reason,
            "document": DocumentSerializer(document, context=self.get_serializer_context()).data,
            "items": [item.pk for item in result.items],
            "suggestions": result.suggestions,
        }
        return Response(
            body, status=status.HTTP_201_CREATED if result.status == "created" else status.HTTP_200_OK
        )


class EvidenceLinkViewSet(TenantViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Evidence links. Suggested by the classifier on ingest; people confirm or reject them
    (``POST …/confirm/``, ``…/reject/``) or link by hand with an excerpt (``POST /evidence-links/``).
    Who may decide is the service's rule (planners and coordinators of the municipality); the
    queryset only hides what the user cannot see (404)."""

    model = EvidenceLink
    serializer_class = EvidenceLinkSerializer
    filterset_class = EvidenceLinkFilterSet
    action_permissions = {
        **TenantViewSet.action_permissions,
        "create": Action.VIEW,
        "confirm": Action.VIEW,
        "reject": Action.VIEW,
    }

    def optimise(self, queryset):
        return (
            queryset.select_related("municipality", "target", "goal", "decided_by")
            .select_related("document")
            .defer("document__body", "document__raw_content")
        )

    def _render(self, link, status_code=status.HTTP_200_OK):
        fresh = self.optimise(EvidenceLink.objects.filter(pk=link.pk)).get()
        return Response(
            EvidenceLinkSerializer(fresh, context=self.get_serializer_context()).data, status=status_code
        )

    @extend_schema(
        request=EvidenceLinkCreateSerializer,
        responses={201: EvidenceLinkSerializer},
        summary="근거 직접 연결 / link a document by hand, quoting the excerpt",
    )
    def create(self, request):
        serializer = EvidenceLinkCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        link = services.evidence_link_create(actor=request.user, **serializer.validated_data)
        return self._render(link, status.HTTP_201_CREATED)

    def _decide(self, request, service, input_serializer=DecisionInputSerializer):
        link = self.get_object()
        serializer = input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._render(service(link=link, actor=request.user, **serializer.validated_data))

    @extend_schema(
        request=ConfirmInputSerializer,
        responses=EvidenceLinkSerializer,
        summary="제안 확인 / confirm a suggested link (a goal-level one with the target picked)",
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._decide(request, services.suggestion_confirm, ConfirmInputSerializer)

    @extend_schema(
        request=DecisionInputSerializer,
        responses=EvidenceLinkSerializer,
        summary="제안 기각 / reject a suggested link",
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, services.suggestion_reject)

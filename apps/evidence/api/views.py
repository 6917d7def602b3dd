"""Evidence: ingested documents and their links to targets, local indicators, initiatives."""
from __future__ import annotations

from rest_framework import mixins

from apps.core.api.permissions import require_scope
from apps.core.api.viewsets import TenantViewSet
from apps.core.permissions import Action
from apps.evidence.filtersets import DocumentFilterSet, EvidenceLinkFilterSet
from apps.evidence.models import Document, EvidenceLink

from .serializers import DocumentSerializer, EvidenceLinkSerializer


class DocumentViewSet(TenantViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                      mixins.DestroyModelMixin):
    """Documents are created by ingesting (``POST /documents/ingest/``), then their metadata
    (municipality, kind, dates, publication) may be corrected."""

    model = Document
    filterset_class = DocumentFilterSet

    serializer_class = DocumentSerializer

    def optimise(self, queryset):
        return queryset.select_related("municipality", "created_by").defer("raw_content")

    def perform_update(self, serializer):
        # A document may have no municipality (then its creator edits it: for_user(EDIT) says so);
        # moving it *to* a municipality needs edit rights there.
        municipality = serializer.validated_data.get("municipality")
        if municipality is not None and municipality.pk != serializer.instance.municipality_id:
            require_scope(self.request.user, Action.EDIT, municipality.pk)
        serializer.save()


class EvidenceLinkViewSet(TenantViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    model = EvidenceLink
    serializer_class = EvidenceLinkSerializer
    filterset_class = EvidenceLinkFilterSet

    def optimise(self, queryset):
        return queryset.select_related("municipality", "target", "decided_by").select_related(
            "document"
        ).defer("document__body", "document__raw_content")

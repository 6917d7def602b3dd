from __future__ import annotations

from rest_framework import serializers

from apps.core.api.serializers import FullCleanModelSerializer
from apps.evidence.models import Document, EvidenceLink
from apps.municipalities.models import Municipality


class DocumentSerializer(FullCleanModelSerializer):
    """An ingested document: ``body`` is the clean text; the metadata is editable."""

    municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), allow_null=True, required=False,
        help_text="지자체 코드 / municipality code (null: not municipal, e.g. a ministry release)",
    )
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    # A plain string in the schema: "" (unknown) is a valid value; the model validates URLs.
    source_url = serializers.CharField(max_length=1000, allow_blank=True, required=False)

    class Meta:
        model = Document
        fields = [
            "id", "municipality", "municipality_id", "parent", "kind", "title", "source_url", "publisher",
            "author", "published_date", "page_date", "language", "filename", "encoding", "body",
            "content_hash", "is_public", "created_by", "created_at", "updated_at",
        ]
        read_only_fields = [
            "municipality_id", "parent", "filename", "encoding", "body", "content_hash", "created_at", "updated_at",
        ]
        validators: list = []


class EvidenceLinkSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    target = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    document_title = serializers.CharField(source="document.title", read_only=True)

    class Meta:
        model = EvidenceLink
        fields = [
            "id", "document", "document_title", "municipality", "municipality_id", "target", "local_indicator",
            "initiative", "excerpt_start", "excerpt_end", "excerpt", "origin", "score", "reasons", "status",
            "decided_by", "decided_at", "note", "created_at", "updated_at",
        ]
        read_only_fields = fields

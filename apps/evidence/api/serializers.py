from __future__ import annotations

from rest_framework import serializers

from apps.core.api.serializers import (
    FastModelSerializer,
    FullCleanModelSerializer,
    VisiblePrimaryKeyRelatedField,
)
from apps.core.permissions import sees_work_in_progress
from apps.evidence.choices import DocumentKind
from apps.evidence.models import Document, EvidenceLink
from apps.indicators.models import LocalIndicator
from apps.initiatives.models import Initiative
from apps.municipalities.models import Municipality
from apps.sdg.models import Target


class DocumentSerializer(FullCleanModelSerializer):
    """An ingested document: ``body`` is the clean text; the metadata is editable."""

    municipality = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Municipality.objects.all(),
        allow_null=True,
        required=False,
        help_text="지자체 코드 / municipality code (null: not municipal, e.g. a ministry release)",
    )
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    # A plain string in the schema: "" (unknown) is a valid value; the model validates URLs.
    source_url = serializers.CharField(max_length=1000, allow_blank=True, required=False)

    class Meta:
        model = Document
        fields = [
            "id",
            "municipality",
            "municipality_id",
            "parent",
            "kind",
            "title",
            "source_url",
            "publisher",
            "author",
            "published_date",
            "page_date",
            "language",
            "filename",
            "encoding",
            "body",
            "content_hash",
            "analysis_note",
            "is_public",
            "created_by",
            "created_at",
            "updated_at",
            "evidence_score",
            "evidence_reasons",
        ]
        read_only_fields = [
            "municipality_id",
            "parent",
            "filename",
            "encoding",
            "body",
            "content_hash",
            "analysis_note",
            "created_at",
            "updated_at",
            "evidence_score",
            "evidence_reasons",
        ]
        validators: list = []

    def to_representation(self, instance):
        # Who uploaded a document is the city's working detail, not part of what it published.
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not sees_work_in_progress(getattr(request, "user", None), instance.municipality_id):
            data["created_by"] = None
        return data


class EvidenceLinkSerializer(FastModelSerializer):
    """``note`` and ``decided_by`` are the review behind a decision: empty for a reader who sees
    the link only because it is published (anonymous, another city)."""

    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    target = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    goal = serializers.SlugRelatedField(
        slug_field="number",
        read_only=True,
        allow_null=True,
        help_text="a goal-level suggestion's goal (no target yet: confirming it picks one)",
    )
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    document_title = serializers.CharField(source="document.title", read_only=True)

    class Meta:
        model = EvidenceLink
        fields = [
            "id",
            "document",
            "document_title",
            "municipality",
            "municipality_id",
            "target",
            "goal",
            "local_indicator",
            "initiative",
            "excerpt_start",
            "excerpt_end",
            "excerpt",
            "origin",
            "score",
            "reasons",
            "features",
            "status",
            "decided_by",
            "decided_at",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not sees_work_in_progress(getattr(request, "user", None), instance.municipality_id):
            data["note"], data["decided_by"] = "", None
        return data


class IngestInputSerializer(serializers.Serializer):
    """One file (multipart) or pasted text; the same limits and refusals as ``manage.py ingest``."""

    file = serializers.FileField(
        required=False,
        help_text=".txt, .html/.htm, .md (UTF-8, CP949/EUC-KR or UTF-16), .pdf, .docx, .hwpx, .hwp; ≤ 5 MB",
    )
    text = serializers.CharField(
        required=False, trim_whitespace=False, help_text="붙여 넣은 본문 / pasted text"
    )
    municipality = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
        help_text="지자체 코드: 감지된 지자체 대신 / municipality code, overrides the detected one",
    )
    # A plain string (the service refuses unknown kinds) so the schema keeps one document-kind enum.
    kind = serializers.CharField(
        required=False,
        max_length=20,
        help_text="문서 종류 / document kind: " + " | ".join(DocumentKind.values),
    )
    is_html = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="HTML 여부 (생략: 자동) / treat as HTML (omit: detect)",
    )

    def validate(self, attrs):
        if bool(attrs.get("file")) == bool(attrs.get("text")):
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        "파일 또는 본문 중 하나를 보내세요 / send either a file or text, not both"
                    ]
                }
            )
        return attrs


class IngestResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["created", "duplicate"], help_text="created | duplicate")
    reason = serializers.CharField(allow_blank=True)
    document = DocumentSerializer()
    items = serializers.ListField(
        child=serializers.IntegerField(), help_text="목록 페이지에서 나눈 항목 문서 id / item document ids"
    )
    suggestions = serializers.IntegerField(help_text="SDG 제안 수 / suggested links")


class DecisionInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)


class ConfirmInputSerializer(DecisionInputSerializer):
    target = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Target.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="for a goal-level suggestion: the target (of that goal) it is evidence for",
    )


class EvidenceLinkCreateSerializer(serializers.Serializer):
    """Link a document by hand to exactly one target, local indicator or initiative, quoting
    the excerpt (character offsets into the document body)."""

    document = VisiblePrimaryKeyRelatedField(model=Document)
    target = serializers.SlugRelatedField(
        slug_field="code", queryset=Target.objects.all(), required=False, allow_null=True
    )
    local_indicator = VisiblePrimaryKeyRelatedField(model=LocalIndicator, required=False, allow_null=True)
    initiative = VisiblePrimaryKeyRelatedField(model=Initiative, required=False, allow_null=True)
    excerpt_start = serializers.IntegerField(min_value=0, max_value=2**31 - 1)
    excerpt_end = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)

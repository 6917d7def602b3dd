from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework import serializers

from apps.core.api.serializers import (
    FastModelSerializer,
    FullCleanModelSerializer,
    MunicipalityCodeField,
    PrefetchedListSerializer,
    PrefetchedSlugRelatedField,
    VisiblePrimaryKeyRelatedField,
)
from apps.indicators.models import LocalIndicator
from apps.initiatives.models import (
    Initiative,
    InitiativeTarget,
    PopulationGroup,
    ProgressUpdate,
)
from apps.initiatives.services import initiative_targets_set
from apps.municipalities.models import Municipality
from apps.sdg.models import Target


class InitiativeTargetSerializer(FastModelSerializer):
    target = serializers.SlugRelatedField(slug_field="code", queryset=Target.objects.all(), help_text="e.g. 11.6")

    class Meta:
        model = InitiativeTarget
        fields = ["target", "is_primary"]
        list_serializer_class = PrefetchedListSerializer
        validators: list = []


class InitiativeSerializer(FullCleanModelSerializer):
    municipality = MunicipalityCodeField(queryset=Municipality.objects.all())
    targets = InitiativeTargetSerializer(
        many=True, source="target_links", required=False,
        help_text="SDG 세부목표, 주 목표 하나 / SDG targets, at most one primary (replaces all)",
    )
    groups_served = PrefetchedSlugRelatedField(
        many=True, slug_field="code", queryset=PopulationGroup.objects.all(), required=False,
        help_text="대상 집단 코드 / groups served (women, children_youth, older_people, …)",
    )
    local_indicators = VisiblePrimaryKeyRelatedField(
        many=True, model=LocalIndicator, required=False, help_text="관련 지표 id / related local indicator ids"
    )

    class Meta:
        model = Initiative
        fields = [
            "id", "municipality", "municipality_id", "title_ko", "title_en", "summary_ko", "summary_en", "kind",
            "status", "department", "start_date", "end_date", "budget_krw", "partners", "targets",
            "groups_served", "local_indicators", "is_public", "created_at", "updated_at",
        ]
        read_only_fields = ["municipality_id", "created_at", "updated_at"]
        validators: list = []

    def _set_targets(self, initiative, links):
        """Through the one service the form uses too; its refusal rolls back the whole save."""
        try:
            initiative_targets_set(
                initiative=initiative, links=[(link["target"], link.get("is_primary", False)) for link in links]
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error

    @transaction.atomic
    def create(self, validated_data):
        links = validated_data.pop("target_links", [])
        initiative = super().create(validated_data)
        self._set_targets(initiative, links)
        return initiative

    @transaction.atomic
    def update(self, instance, validated_data):
        links = validated_data.pop("target_links", None)
        initiative = super().update(instance, validated_data)
        if links is not None:
            self._set_targets(initiative, links)
        return initiative


class ProgressUpdateSerializer(FullCleanModelSerializer):
    initiative = VisiblePrimaryKeyRelatedField(model=Initiative, help_text="사업 id / initiative id")
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ProgressUpdate
        fields = ["id", "initiative", "date", "text", "author", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        full_clean_exclude = ["author"]
        validators: list = []

from __future__ import annotations

from rest_framework import serializers

from apps.core.api.serializers import (
    FastModelSerializer,
    FullCleanModelSerializer,
    InsideOnlyFieldsMixin,
    MunicipalityCodeField,
    PrefetchedListSerializer,
    PrefetchedSlugRelatedField,
    VisiblePrimaryKeyRelatedField,
    forget_prefetched,
    optional_email,
)
from apps.frameworks.api.serializers import framework_nodes_field
from apps.indicators.models import LocalIndicator
from apps.initiatives.models import (
    Initiative,
    InitiativeTarget,
    PopulationGroup,
    ProgressUpdate,
)
from apps.initiatives.services import initiative_create, initiative_update
from apps.municipalities.models import Municipality
from apps.sdg.models import Target


class InitiativeTargetSerializer(FastModelSerializer):
    target = serializers.SlugRelatedField(
        slug_field="code", queryset=Target.objects.all(), help_text="e.g. 11.6"
    )

    class Meta:
        model = InitiativeTarget
        fields = ["target", "is_primary"]
        list_serializer_class = PrefetchedListSerializer
        validators: list = []


class InitiativeSerializer(InsideOnlyFieldsMixin, FullCleanModelSerializer):
    owner_email = optional_email()
    municipality = MunicipalityCodeField(queryset=Municipality.objects.all())
    targets = InitiativeTargetSerializer(
        many=True,
        source="target_links",
        required=False,
        help_text="SDG 세부목표 하나 이상, 그중 주 목표 하나 / at least one SDG target, exactly one primary (replaces all)",
    )
    groups_served = PrefetchedSlugRelatedField(
        many=True,
        slug_field="code",
        queryset=PopulationGroup.objects.all(),
        required=False,
        help_text="대상 집단 코드 / groups served (women, children_youth, older_people, …)",
    )
    local_indicators = VisiblePrimaryKeyRelatedField(
        many=True,
        model=LocalIndicator,
        required=False,
        help_text="관련 지표 id (같은 지자체) / related local indicator ids (same municipality)",
    )
    framework_nodes = framework_nodes_field()

    class Meta:
        model = Initiative
        fields = [
            "id",
            "municipality",
            "municipality_id",
            "title_ko",
            "title_en",
            "summary_ko",
            "summary_en",
            "kind",
            "status",
            "department",
            "owner_name",
            "owner_email",
            "report_due",
            "start_date",
            "end_date",
            "budget_krw",
            "partners",
            "targets",
            "groups_served",
            "local_indicators",
            "framework_nodes",
            "is_public",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["municipality_id", "created_at", "updated_at"]
        validators: list = []
        # Who reports the values is the city's business: the public reads the row without them.
        inside_only_fields = ("owner_name", "owner_email", "report_due")

    @staticmethod
    def _links(validated_data: dict) -> dict:
        """The related rows as the service takes them (absent: ``None``, kept on update)."""
        links = validated_data.pop("target_links", None)
        return {
            "targets": None
            if links is None
            else [(link["target"], link.get("is_primary", False)) for link in links],
            "groups_served": validated_data.pop("groups_served", None),
            "local_indicators": validated_data.pop("local_indicators", None),
            "framework_nodes": validated_data.pop("framework_nodes", None),
        }

    def create(self, validated_data):
        # Through the one write path the web form uses too (apps.initiatives.services).
        links = self._links(validated_data)
        links = {name: [] if value is None else value for name, value in links.items()}
        return initiative_create(actor=self.context["request"].user, **links, **validated_data)

    def update(self, instance, validated_data):
        links = self._links(validated_data)
        return initiative_update(
            initiative=forget_prefetched(instance),
            actor=self.context["request"].user,
            **links,
            **validated_data,
        )


class ProgressUpdateSerializer(FullCleanModelSerializer):
    initiative = VisiblePrimaryKeyRelatedField(model=Initiative, help_text="사업 id / initiative id")
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ProgressUpdate
        fields = ["id", "initiative", "date", "text", "author", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        full_clean_exclude = ["author"]
        validators: list = []

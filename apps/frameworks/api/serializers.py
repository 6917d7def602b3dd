from __future__ import annotations

from rest_framework import serializers

from apps.core.api.serializers import (
    FullCleanModelSerializer,
    MunicipalityCodeField,
    PrefetchedManyRelatedField,
    VisiblePrimaryKeyRelatedField,
)
from apps.frameworks.models import CrosswalkLink, Framework, FrameworkNode
from apps.municipalities.models import Municipality


def framework_nodes_field() -> PrefetchedManyRelatedField:
    """The framework nodes an indicator or initiative is aligned to, by id (replaces all when
    sent). A node the user cannot see is "does not exist"; of the visible ones, the service
    (``alignment_nodes_check``, the one the web form goes through too) refuses a node of another
    city's framework. Reads the viewset's ``_prefetched_framework_nodes`` when present."""
    return PrefetchedManyRelatedField(
        child_relation=VisiblePrimaryKeyRelatedField(
            model=FrameworkNode,
            error_messages={
                "does_not_exist": "프레임워크 항목 {pk_value}이(가) 없거나 볼 수 없습니다 / framework node "
                "{pk_value} does not exist or is not visible to you"
            },
        ),
        required=False,
        help_text="정렬된 프레임워크 항목 id: 우리 지자체의 프레임워크 또는 K-SDG·UN SDG (모두 바꿈) / "
        "ids of framework nodes aligned to: the city's own framework or a shared one such as the "
        "K-SDGs (replaces all)",
    )


class FrameworkSerializer(FullCleanModelSerializer):
    municipality = MunicipalityCodeField(
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
        help_text="지역 프레임워크의 지자체 코드 / municipality code of a local framework",
    )

    class Meta:
        model = Framework
        fields = [
            "id",
            "kind",
            "code",
            "name_ko",
            "name_en",
            "version",
            "source",
            "is_sample_data",
            "municipality",
            "level_names",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list = []


class FrameworkNodeSerializer(serializers.ModelSerializer):
    """A node; writes go through ``apps.frameworks.services`` (level and order follow the parent)."""

    framework = VisiblePrimaryKeyRelatedField(model=Framework, help_text="프레임워크 id / framework id")
    parent = VisiblePrimaryKeyRelatedField(
        model=FrameworkNode, required=False, allow_null=True, help_text="상위 항목 id / parent node id"
    )
    sdg_target = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = FrameworkNode
        fields = [
            "id",
            "framework",
            "parent",
            "code",
            "level",
            "title_ko",
            "title_en",
            "unit",
            "source",
            "target_values",
            "caveat",
            "sdg_target",
        ]
        read_only_fields = ["level", "caveat"]
        validators: list = []


class CrosswalkLinkSerializer(serializers.ModelSerializer):
    from_node = VisiblePrimaryKeyRelatedField(model=FrameworkNode, help_text="출발 항목 id / from node id")
    to_node = VisiblePrimaryKeyRelatedField(model=FrameworkNode, help_text="도착 항목 id / to node id")
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = CrosswalkLink
        fields = ["id", "from_node", "to_node", "relation", "note", "created_by", "created_at"]
        read_only_fields = ["created_at"]
        validators: list = []


class FrameworkImportSerializer(serializers.Serializer):
    """A framework spreadsheet, as ``manage.py import_framework`` reads it."""

    file = serializers.FileField(
        help_text="xlsx 또는 csv / xlsx or csv (code, parent code, titles …); ≤ 20 MB"
    )
    municipality = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
        help_text="지역 프레임워크의 지자체 / the municipality whose framework this is",
    )
    framework = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="프레임워크 코드 / framework code (default: local)",
    )
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="확인만, 저장 안 함 / save nothing"
    )

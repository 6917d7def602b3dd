from __future__ import annotations

from rest_framework import serializers

from apps.core.api.serializers import FastModelSerializer
from apps.municipalities.models import Municipality


class MunicipalitySerializer(FastModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="상위 지자체 코드 / parent code"
    )

    class Meta:
        model = Municipality
        fields = [
            "id",
            "code",
            "name_ko",
            "name_en",
            "level",
            "kind",
            "parent",
            "parent_id",
            "country",
            "is_sample_data",
            "population",
            "area_km2",
            "budget_krw",
            "languages",
            "profile_year",
        ]


class MunicipalityProfileSerializer(serializers.ModelSerializer):
    """The city profile fields a planner sets (``PATCH /municipalities/{code}/profile/``)."""

    class Meta:
        model = Municipality
        fields = list(Municipality.PROFILE_FIELDS)

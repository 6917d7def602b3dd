from __future__ import annotations

from rest_framework import serializers

from apps.core.api.serializers import FastModelSerializer
from apps.sdg.models import Goal, Indicator, Target


class GoalSerializer(FastModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "number", "short_ko", "short_en", "title_ko", "title_en", "colour"]


class TargetSerializer(FastModelSerializer):
    goal = serializers.IntegerField(
        source="goal.number", read_only=True, help_text="SDG 목표 번호 / goal number"
    )

    class Meta:
        model = Target
        fields = ["id", "code", "goal", "title_ko", "title_en"]


class IndicatorSerializer(FastModelSerializer):
    target = serializers.CharField(
        source="target.code", read_only=True, help_text="세부목표 코드 / target code"
    )
    goal = serializers.IntegerField(source="target.goal.number", read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "code", "target", "goal", "title_ko", "title_en", "tier", "unsd_code"]

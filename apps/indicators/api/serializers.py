from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from apps.core.api.exceptions import django_validation_errors
from apps.core.api.serializers import (
    AnnotatedCharField,
    FastModelSerializer,
    FullCleanModelSerializer,
    VisiblePrimaryKeyRelatedField,
)
from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation
from apps.municipalities.models import Municipality
from apps.sdg.models import Indicator, Target


class AlignmentSerializer(FastModelSerializer):
    """The SDG target (and optionally global indicator) a local indicator measures."""

    target = serializers.SlugRelatedField(slug_field="code", queryset=Target.objects.all(), help_text="e.g. 11.6")
    indicator = serializers.SlugRelatedField(
        slug_field="code", queryset=Indicator.objects.all(), allow_null=True, required=False, help_text="e.g. 11.6.2"
    )

    class Meta:
        model = IndicatorAlignment
        fields = ["target", "indicator", "alignment"]
        validators: list = []

    def validate(self, attrs):
        try:
            IndicatorAlignment(**attrs).clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(django_validation_errors(exc)) from exc
        return attrs


class LocalIndicatorSerializer(FullCleanModelSerializer):
    municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), help_text="지자체 코드 / municipality code"
    )
    alignments = AlignmentSerializer(many=True, required=False, help_text="SDG 연계 / SDG alignment (replaces all)")

    class Meta:
        model = LocalIndicator
        fields = [
            "id", "municipality", "municipality_id", "code", "name_ko", "name_en", "unit", "direction", "is_binary",
            "baseline_year", "baseline_value", "target_year", "target_value", "target_note", "data_source",
            "department", "definition", "is_public", "alignments", "created_at", "updated_at",
        ]
        read_only_fields = ["municipality_id", "created_at", "updated_at"]
        validators: list = []

    def validate_alignments(self, value):
        codes = [item["target"].code for item in value]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError("같은 세부목표가 두 번 있습니다 / the same target is listed twice")
        return value

    def _set_alignments(self, indicator, alignments):
        indicator.alignments.all().delete()
        IndicatorAlignment.objects.bulk_create(IndicatorAlignment(local_indicator=indicator, **a) for a in alignments)

    def create(self, validated_data):
        alignments = validated_data.pop("alignments", [])
        indicator = super().create(validated_data)
        self._set_alignments(indicator, alignments)
        return indicator

    def update(self, instance, validated_data):
        alignments = validated_data.pop("alignments", None)
        indicator = super().update(instance, validated_data)
        if alignments is not None:
            self._set_alignments(indicator, alignments)
        return indicator


class ObservationSerializer(FullCleanModelSerializer):
    local_indicator = VisiblePrimaryKeyRelatedField(model=LocalIndicator, help_text="지표 id / local indicator id")
    local_indicator_code = AnnotatedCharField(annotation="_local_indicator_code", path="local_indicator.code")
    municipality = AnnotatedCharField(annotation="_municipality_code", path="local_indicator.municipality.code")

    class Meta:
        model = Observation
        fields = [
            "id", "local_indicator", "local_indicator_code", "municipality", "year", "quarter", "sex",
            "age_group", "district", "income_group", "disability", "value", "source", "is_provisional",
            "is_estimated", "note",
        ]
        validators: list = []


class ObservationImportSerializer(serializers.Serializer):
    """A statistical-annex spreadsheet, as ``manage.py import_observations`` reads it."""

    file = serializers.FileField(help_text="xlsx 또는 csv (통계 부록 형식) / xlsx or csv in the annex layout; ≤ 20 MB")
    municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), required=False, allow_null=True,
        help_text="이 지자체로만 가져오기 / import into this municipality only (else a municipality_code column)",
    )
    dry_run = serializers.BooleanField(required=False, default=False,
                                       help_text="확인만, 저장 안 함 / check every row, save nothing")


class ImportReportSerializer(serializers.Serializer):
    kind = serializers.CharField()
    file = serializers.CharField(allow_blank=True)
    sheet = serializers.CharField(allow_null=True)
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    dry_run = serializers.BooleanField()
    errors = serializers.ListField(child=serializers.CharField())
    ignored_columns = serializers.ListField(child=serializers.CharField())
    conversions = serializers.ListField(
        child=serializers.CharField(), help_text="unit conversions applied, e.g. `L1: 천명 → 명 (3행 / rows)`"
    )

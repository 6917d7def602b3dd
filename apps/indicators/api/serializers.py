from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from apps.core.api.exceptions import django_validation_errors
from apps.core.api.serializers import (
    AnnotatedCharField,
    FastModelSerializer,
    FullCleanModelSerializer,
    InsideOnlyFieldsMixin,
    VisiblePrimaryKeyRelatedField,
    forget_prefetched,
    optional_email,
)
from apps.frameworks.api.serializers import framework_nodes_field
from apps.indicators import services
from apps.indicators.choices import Alignment, Origin
from apps.indicators.models import (
    PROVENANCE_FIELDS,
    IndicatorAlignment,
    KosisLink,
    LocalIndicator,
    Observation,
)
from apps.municipalities.models import Municipality
from apps.sdg.models import Indicator, Target


class AlignmentSerializer(FastModelSerializer):
    """The SDG target (and optionally global indicator) a local indicator measures."""

    target = serializers.SlugRelatedField(
        slug_field="code", queryset=Target.objects.all(), help_text="e.g. 11.6"
    )
    indicator = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Indicator.objects.all(),
        allow_null=True,
        required=False,
        help_text="e.g. 11.6.2",
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


class LocalIndicatorSerializer(InsideOnlyFieldsMixin, FullCleanModelSerializer):
    owner_email = optional_email()
    municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), help_text="지자체 코드 / municipality code"
    )
    alignments = AlignmentSerializer(
        many=True, required=False, help_text="SDG 연계 / SDG alignment (replaces all)"
    )
    framework_nodes = framework_nodes_field()

    class Meta:
        model = LocalIndicator
        fields = [
            "id",
            "municipality",
            "municipality_id",
            *LocalIndicator.EDITABLE_FIELDS,
            "retired_at",
            "alignments",
            "framework_nodes",
            "created_at",
            "updated_at",
        ]
        # Retiring is its own write (indicator_retire, in the web UI); the API shows it.
        read_only_fields = ["municipality_id", "retired_at", "created_at", "updated_at"]
        validators: list = []
        # Who reports the values is the city's business: the public reads the row without them.
        inside_only_fields = ("owner_name", "owner_email", "report_due")

    # Writes go through the services the web form uses too (apps.indicators.services).
    def create(self, validated_data):
        alignments = validated_data.pop("alignments", [])
        nodes = validated_data.pop("framework_nodes", [])
        municipality = validated_data.pop("municipality")
        return services.indicator_create(
            municipality=municipality,
            fields=validated_data,
            alignments=_alignment_specs(alignments),
            framework_nodes=nodes,
            actor=self.context["request"].user,
        )

    def update(self, instance, validated_data):
        alignments = validated_data.pop("alignments", None)
        nodes = validated_data.pop("framework_nodes", None)
        municipality = validated_data.pop("municipality", None)
        return services.indicator_update(
            indicator=forget_prefetched(instance),
            fields=validated_data,
            municipality=municipality,
            alignments=None if alignments is None else _alignment_specs(alignments),
            framework_nodes=nodes,
            actor=self.context["request"].user,
        )


def _alignment_specs(alignments: list[dict]) -> list[dict]:
    """The API replaces alignments as sent: a left-out ``indicator``/``alignment`` is none/proxy."""
    return [
        {
            "target": a["target"],
            "indicator": a.get("indicator"),
            "alignment": a.get("alignment") or Alignment.PROXY,
        }
        for a in alignments
    ]


class ObservationSerializer(FullCleanModelSerializer):
    local_indicator = VisiblePrimaryKeyRelatedField(
        model=LocalIndicator, help_text="지표 id / local indicator id"
    )
    local_indicator_code = AnnotatedCharField(annotation="_local_indicator_code", path="local_indicator.code")
    municipality = AnnotatedCharField(
        annotation="_municipality_code", path="local_indicator.municipality.code"
    )
    imported_by = AnnotatedCharField(
        annotation="_imported_by",
        path="imported_by.username",
        allow_null=True,
        help_text="값을 넣은 사람 (읽기 전용) / who stored the value (read-only)",
    )

    class Meta:
        model = Observation
        # Provenance (origin_* … imported_at) is read-only: the service that stores a value
        # writes it (``api`` for a value written here).
        read_only_fields = [name for name in PROVENANCE_FIELDS if name != "imported_by"]
        fields = [
            "id",
            "local_indicator",
            "local_indicator_code",
            "municipality",
            "year",
            "quarter",
            "sex",
            "age_group",
            "district",
            "income_group",
            "disability",
            "value",
            "source",
            "is_provisional",
            "is_estimated",
            "note",
            *read_only_fields,
            "imported_by",
        ]
        validators: list = []

    # API clients write what they mean: the plausibility questions of the web form are not asked.
    def create(self, validated_data):
        indicator = validated_data.pop("local_indicator")
        return services.observation_create(
            indicator=indicator,
            fields=validated_data,
            actor=self.context["request"].user,
            confirmed=True,
            origin=Origin.API,
        )

    def update(self, instance, validated_data):
        return services.observation_update(
            observation=instance,
            indicator=validated_data.pop("local_indicator", None),
            fields=validated_data,
            actor=self.context["request"].user,
            confirmed=True,
            origin=Origin.API,
        )


class ObservationImportSerializer(serializers.Serializer):
    """A statistical-annex spreadsheet, as ``manage.py import_observations`` reads it."""

    file = serializers.FileField(
        help_text="xlsx 또는 csv (통계 부록 형식) / xlsx or csv in the annex layout; ≤ 20 MB"
    )
    municipality = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
        help_text="이 지자체로만 가져오기 / import into this municipality only (else a municipality_code column)",
    )
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="확인만, 저장 안 함 / check every row, save nothing"
    )
    background = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="작업자에게 맡기기 (202 + 작업 URL) / run as a background job (202 with the job's URL); by default "
        "files over IMPORT_BACKGROUND_BYTES do",
    )


class IndicatorImportSerializer(ObservationImportSerializer):
    """An indicator-metadata spreadsheet, as ``manage.py import_indicators`` reads it."""

    file = serializers.FileField(
        help_text="xlsx 또는 csv (지표 메타데이터 형식) / xlsx or csv in the indicator layout; ≤ 20 MB"
    )
    municipality = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Municipality.objects.all(),
        help_text="가져올 지자체 / the municipality whose indicators these are",
    )


class TableImportSerializer(serializers.Serializer):
    """A table as KOSIS or a department keeps it (wide, long or transposed), read through a
    detected or corrected column mapping; ``preview`` returns the mapping and saves nothing."""

    file = serializers.FileField(
        help_text="xlsx 또는 csv / xlsx or csv (CP949, UTF-8, UTF-8 with BOM); ≤ 20 MB"
    )
    municipality = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
        help_text="이 지자체의 행만 가져오기 / keep only this municipality's rows",
    )
    indicator = serializers.CharField(
        required=False, allow_blank=True, help_text="모든 값의 지표 코드 / the indicator all values belong to"
    )
    item = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="항목이 여럿일 때 / the item, when several",
    )
    sheet = serializers.CharField(required=False, allow_blank=True, max_length=100)
    layout = serializers.JSONField(
        required=False,
        allow_null=True,
        help_text="미리보기의 열 대응표 (고친 것) / the preview's mapping, corrected",
    )
    preview = serializers.BooleanField(required=False, default=False)
    dry_run = serializers.BooleanField(required=False, default=False)
    background = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="작업자에게 맡기기 (202 + 작업 URL) / run as a background job (202 with the job's URL); by default "
        "files over IMPORT_BACKGROUND_BYTES do",
    )

    def validate(self, data):
        code = (data.get("indicator") or "").strip()
        data["indicator"] = None
        if code:
            if data.get("municipality") is None:
                raise serializers.ValidationError(
                    {
                        "municipality": "지표를 고르려면 지자체가 필요합니다 / an indicator needs its municipality"
                    }
                )
            data["indicator"] = LocalIndicator.objects.filter(
                municipality=data["municipality"], code=code
            ).first()
            if data["indicator"] is None:
                raise serializers.ValidationError(
                    {"indicator": f"이 지자체에 없는 지표 코드 / unknown indicator code here: {code[:60]}"}
                )
        return data


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


class KosisLinkSerializer(serializers.ModelSerializer):
    """Where a local indicator's values come from in KOSIS; the refresh state is read only."""

    class Meta:
        model = KosisLink
        fields = [
            "org_id",
            "tbl_id",
            "itm_id",
            "region_level",
            "region_code",
            "other_classifications",
            "period_kind",
            "start_year",
            "refreshed_at",
            "source_newest_period",
            "source_last_change",
            "last_error",
        ]
        read_only_fields = ["refreshed_at", "source_newest_period", "source_last_change", "last_error"]

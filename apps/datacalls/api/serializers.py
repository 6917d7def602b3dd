"""Data calls in the API: the call (opened through ``services.data_call_open``) and its
completeness (``selectors.call_rows``)."""

from __future__ import annotations

from rest_framework import serializers

from apps.municipalities.models import Municipality

from ..models import DataCall


class DataCallSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), help_text="지자체 코드 / municipality code"
    )
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = DataCall
        fields = [
            "id",
            "municipality",
            "municipality_id",
            "year",
            "due_date",
            "message",
            "is_open",
            "opened_by",
            "closed_at",
            "closed_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "municipality_id",
            "opened_by",
            "closed_at",
            "closed_by",
            "created_at",
            "updated_at",
        ]


class CompletenessItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["indicator", "initiative"])
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name_ko = serializers.CharField()
    name_en = serializers.CharField()
    department = serializers.CharField()
    owner_name = serializers.CharField()
    owner_email = serializers.CharField()
    due = serializers.DateField()
    reported = serializers.BooleanField()


class DepartmentCountSerializer(serializers.Serializer):
    department = serializers.CharField()
    total = serializers.IntegerField()
    reported = serializers.IntegerField()
    missing = serializers.IntegerField()


class CompletenessSerializer(serializers.Serializer):
    data_call = serializers.IntegerField()
    frozen = serializers.BooleanField(help_text="닫힌 요청의 고정된 기록 / the record frozen at closing")
    total = serializers.IntegerField()
    reported = serializers.IntegerField()
    departments = DepartmentCountSerializer(many=True)
    items = CompletenessItemSerializer(many=True)

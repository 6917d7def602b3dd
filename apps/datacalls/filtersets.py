"""Filters of data calls, shared by the API and the web UI."""

from __future__ import annotations

import django_filters

from apps.core.filtersets import (
    BaseFilterSet,
    StableOrderingFilter,
    municipality_code_filter,
    municipality_id_filter,
)

from .models import DataCall


class DataCallFilterSet(BaseFilterSet):
    municipality = municipality_code_filter()
    municipality_id = municipality_id_filter()
    is_open = django_filters.BooleanFilter(
        field_name="closed_at", lookup_expr="isnull", label="열린 요청만 / open calls only"
    )
    ordering = StableOrderingFilter(
        fields=(("municipality__code", "municipality"), "year", "due_date", "closed_at", "created_at")
    )

    class Meta:
        model = DataCall
        fields = ["municipality", "municipality_id", "year", "is_open"]

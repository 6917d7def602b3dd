"""Filters of local governments, shared by the API and the web UI."""

from __future__ import annotations

import django_filters

from apps.core.filtersets import (
    BaseFilterSet,
    SearchFilter,
    StableOrderingFilter,
    id_filter,
)

from .choices import Level
from .models import Municipality


class MunicipalityFilterSet(BaseFilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices)
    kind = django_filters.CharFilter(max_length=20, label="종류 / kind (시, 군, 구, 도 …)")
    parent = django_filters.CharFilter(
        field_name="parent__code", max_length=20, label="상위 지자체 코드 / parent code"
    )
    parent_id = id_filter("parent_id", "상위 지자체 id / parent id")
    country = django_filters.CharFilter(max_length=2)
    q = SearchFilter(fields=("code", "name_ko", "name_en"))
    ordering = StableOrderingFilter(fields=("code", "name_ko", "name_en"))

    class Meta:
        model = Municipality
        fields = ["level", "kind", "parent", "parent_id", "country", "is_sample_data"]

"""Filters of local indicators and observations, shared by the API and the web UI."""

from __future__ import annotations

import django_filters

from apps.core.filtersets import (
    BaseFilterSet,
    SearchFilter,
    StableOrderingFilter,
    goal_filter,
    id_filter,
    municipality_code_filter,
    municipality_id_filter,
    target_filter,
    year_filter,
)

from .choices import Direction, Disability, Sex
from .models import IndicatorAlignment, LocalIndicator, Observation


class LocalIndicatorFilterSet(BaseFilterSet):
    municipality = municipality_code_filter()
    municipality_id = municipality_id_filter()
    goal = goal_filter("filter_goal")
    target = target_filter("filter_target")
    framework_node = id_filter(
        "framework_nodes", "정렬된 프레임워크 항목 id / aligned to this framework node (id)"
    )
    code = django_filters.CharFilter(max_length=40, label="지표 코드 / indicator code")
    direction = django_filters.ChoiceFilter(choices=Direction.choices)
    q = SearchFilter(fields=("code", "name_ko", "name_en"))
    ordering = StableOrderingFilter(
        fields=(("municipality__code", "municipality"), "code", "name_ko", "name_en", "updated_at")
    )

    class Meta:
        model = LocalIndicator
        fields = [
            "municipality",
            "municipality_id",
            "goal",
            "target",
            "framework_node",
            "code",
            "direction",
            "is_public",
            "is_binary",
        ]

    def filter_goal(self, queryset, name, value):
        aligned = IndicatorAlignment.objects.filter(target__goal__number=value).values("local_indicator_id")
        return queryset.filter(pk__in=aligned)

    def filter_target(self, queryset, name, value):
        aligned = IndicatorAlignment.objects.filter(target__code=value).values("local_indicator_id")
        return queryset.filter(pk__in=aligned)


class ObservationFilterSet(BaseFilterSet):
    municipality = municipality_code_filter("local_indicator__municipality")
    municipality_id = municipality_id_filter("local_indicator__municipality")
    local_indicator = id_filter("local_indicator_id", "지표 id / local indicator id")
    local_indicator_code = django_filters.CharFilter(
        field_name="local_indicator__code", max_length=40, label="지표 코드 / local indicator code"
    )
    goal = goal_filter("filter_goal")
    target = target_filter("filter_target")
    year = year_filter("year", "exact", "연도 / year")
    year_min = year_filter("year", "gte", "이 연도부터 / from this year")
    year_max = year_filter("year", "lte", "이 연도까지 / up to this year")
    quarter = django_filters.ChoiceFilter(
        choices=[(q, q) for q in range(5)], label="분기 (0 = 연간) / quarter (0 = whole year)"
    )
    sex = django_filters.ChoiceFilter(choices=[c for c in Sex.choices if c[0]])
    disability = django_filters.ChoiceFilter(choices=[c for c in Disability.choices if c[0]])
    total_only = django_filters.BooleanFilter(
        method="filter_total_only", label="세분류 없는 값만 / totals only"
    )
    ordering = StableOrderingFilter(
        fields=("year", "quarter", "value", ("local_indicator__code", "local_indicator_code"))
    )

    class Meta:
        model = Observation
        fields = [
            "municipality",
            "municipality_id",
            "local_indicator",
            "local_indicator_code",
            "goal",
            "target",
            "year",
            "year_min",
            "year_max",
            "quarter",
            "sex",
            "disability",
            "is_provisional",
            "is_estimated",
        ]

    def filter_goal(self, queryset, name, value):
        aligned = IndicatorAlignment.objects.filter(target__goal__number=value).values("local_indicator_id")
        return queryset.filter(local_indicator_id__in=aligned)

    def filter_target(self, queryset, name, value):
        aligned = IndicatorAlignment.objects.filter(target__code=value).values("local_indicator_id")
        return queryset.filter(local_indicator_id__in=aligned)

    def filter_total_only(self, queryset, name, value):
        if value:
            return queryset.filter(sex="", age_group="", district="", income_group="", disability="")
        return queryset

"""Filters of the SDG framework (reference data), shared by the API and the web UI."""

from __future__ import annotations

import django_filters

from apps.core.filtersets import BaseFilterSet, SearchFilter, StableOrderingFilter

from .models import Goal, Indicator, Target


class GoalFilterSet(BaseFilterSet):
    q = SearchFilter(fields=("title_ko", "title_en", "short_ko", "short_en"))
    ordering = StableOrderingFilter(fields=("number",))

    class Meta:
        model = Goal
        fields = ["number"]


class TargetFilterSet(BaseFilterSet):
    goal = django_filters.NumberFilter(field_name="goal__number", label="SDG 목표 번호 / goal number (1-17)")
    code = django_filters.CharFilter(
        field_name="code", max_length=6, label="세부목표 코드 / target code (11.6)"
    )
    q = SearchFilter(fields=("code", "title_ko", "title_en"))
    ordering = StableOrderingFilter(fields=(("sort_key", "code"),))

    class Meta:
        model = Target
        fields = ["goal", "code"]


class IndicatorFilterSet(BaseFilterSet):
    goal = django_filters.NumberFilter(
        field_name="target__goal__number", label="SDG 목표 번호 / goal number (1-17)"
    )
    target = django_filters.CharFilter(
        field_name="target__code", max_length=6, label="세부목표 코드 / target code (11.6)"
    )
    code = django_filters.CharFilter(
        field_name="code", max_length=10, label="지표 코드 / indicator code (11.6.2)"
    )
    tier = django_filters.CharFilter(field_name="tier", lookup_expr="icontains", max_length=60)
    q = SearchFilter(fields=("code", "title_ko", "title_en"))
    ordering = StableOrderingFilter(fields=(("sort_key", "code"),))

    class Meta:
        model = Indicator
        fields = ["goal", "target", "code", "tier"]

"""Filters of initiatives and their progress updates, shared by the API and the web UI."""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Q

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
from apps.indicators.models import LocalIndicator

from .choices import Kind, Status
from .models import Initiative, InitiativeTarget, PopulationGroup, ProgressUpdate


class InitiativeFilterSet(BaseFilterSet):
    municipality = municipality_code_filter()
    municipality_id = municipality_id_filter()
    goal = goal_filter("filter_goal")
    target = target_filter("filter_target")
    primary_target = django_filters.CharFilter(
        method="filter_primary_target", max_length=6, label="주 세부목표 / primary target"
    )
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    kind = django_filters.MultipleChoiceFilter(choices=Kind.choices)
    group = django_filters.CharFilter(
        method="filter_group", max_length=100, label="대상 집단 / group served (code or name: women, 여성)"
    )
    local_indicator = id_filter(
        "local_indicators__id", "관련 지표 id / related local indicator id", method="filter_local_indicator"
    )
    framework_node = id_filter(
        "framework_nodes", "정렬된 프레임워크 항목 id / aligned to this framework node (id)"
    )
    year_min = year_filter(
        "end_date", "gte", "이 연도 이후 진행 / active in or after this year", method="filter_year_min"
    )
    year_max = year_filter(
        "start_date", "lte", "이 연도 이전 시작 / active in or before this year", method="filter_year_max"
    )
    q = SearchFilter(fields=("title_ko", "title_en"))
    ordering = StableOrderingFilter(
        fields=(
            ("municipality__code", "municipality"),
            "title_ko",
            "title_en",
            "start_date",
            "end_date",
            "budget_krw",
            "status",
            "updated_at",
        )
    )

    class Meta:
        model = Initiative
        fields = ["municipality", "municipality_id", "goal", "target", "status", "kind", "is_public"]

    def filter_goal(self, queryset, name, value):
        return queryset.filter(
            pk__in=InitiativeTarget.objects.filter(target__goal__number=value).values("initiative_id")
        )

    def filter_target(self, queryset, name, value):
        return queryset.filter(
            pk__in=InitiativeTarget.objects.filter(target__code=value).values("initiative_id")
        )

    def filter_group(self, queryset, name, value):
        """A group by its code or its Korean or English name ("women", "여성", "Women")."""
        value = value.strip()
        groups = PopulationGroup.objects.filter(
            Q(code__iexact=value) | Q(name_ko=value) | Q(name_en__iexact=value)
        )
        return queryset.filter(
            pk__in=Initiative.groups_served.through.objects.filter(populationgroup__in=groups).values(
                "initiative_id"
            )
        )

    def filter_local_indicator(self, queryset, name, value):
        """Linked to the indicator ``value`` if the reader may see it (``self.request.user``;
        no request reads as anonymous): a private indicator's id answers as an unknown one."""
        visible = LocalIndicator.objects.for_user(getattr(self.request, "user", None)).filter(pk=value)
        return queryset.filter(local_indicators__in=visible)

    def filter_primary_target(self, queryset, name, value):
        links = InitiativeTarget.objects.filter(target__code=value, is_primary=True)
        return queryset.filter(pk__in=links.values("initiative_id"))

    def filter_year_min(self, queryset, name, value):
        """Still running in or after ``value`` (no end date counts as running)."""
        return queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(int(value), 1, 1)))

    def filter_year_max(self, queryset, name, value):
        """Started in or before ``value`` (no start date counts as started)."""
        return queryset.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=datetime.date(int(value), 12, 31))
        )


class ProgressUpdateFilterSet(BaseFilterSet):
    municipality = municipality_code_filter("initiative__municipality")
    municipality_id = municipality_id_filter("initiative__municipality")
    initiative = id_filter("initiative_id", "사업 id / initiative id")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    year_min = year_filter("date__year", "gte", "이 연도부터 / from this year")
    year_max = year_filter("date__year", "lte", "이 연도까지 / up to this year")
    q = SearchFilter(fields=("text", "initiative__title_ko", "initiative__title_en"))
    ordering = StableOrderingFilter(fields=("date", "created_at"))

    class Meta:
        model = ProgressUpdate
        fields = ["municipality", "municipality_id", "initiative"]

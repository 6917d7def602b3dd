"""Filters of frameworks, their nodes and crosswalk links, shared by the API and the web UI."""

from __future__ import annotations

import django_filters

from apps.core.filtersets import (
    BaseFilterSet,
    SearchFilter,
    StableOrderingFilter,
    id_filter,
    municipality_code_filter,
    municipality_id_filter,
)

from .choices import Kind, Relation
from .models import CrosswalkLink, Framework, FrameworkNode


class FrameworkFilterSet(BaseFilterSet):
    municipality = municipality_code_filter()
    municipality_id = municipality_id_filter()
    kind = django_filters.MultipleChoiceFilter(choices=Kind.choices)
    code = django_filters.CharFilter(max_length=40, label="프레임워크 코드 / framework code (e.g. K-SDG)")
    q = SearchFilter(fields=("name_ko", "name_en"))
    ordering = StableOrderingFilter(fields=("kind", "code", "name_ko", "name_en", "updated_at"))

    class Meta:
        model = Framework
        fields: list = []


class FrameworkNodeFilterSet(BaseFilterSet):
    framework = django_filters.CharFilter(
        field_name="framework__code", max_length=40, label="프레임워크 코드 / framework code (e.g. K-SDG)"
    )
    framework_id = id_filter("framework_id", "프레임워크 id / framework id")
    municipality = municipality_code_filter("framework__municipality")
    parent_id = id_filter("parent_id", "상위 항목 id / parent node id")
    level = django_filters.NumberFilter(min_value=1, max_value=10, label="단계 / level (1 = top)")
    code = django_filters.CharFilter(max_length=60, label="항목 코드 / node code")
    sdg_target = django_filters.CharFilter(
        field_name="sdg_target__code", max_length=6, label="UN 세부목표 코드 / UN target code (e.g. 11.6)"
    )
    q = SearchFilter(fields=("title_ko", "title_en", "code"))
    ordering = StableOrderingFilter(fields=("sort_key", "code", "level"))

    class Meta:
        model = FrameworkNode
        fields: list = []


class CrosswalkLinkFilterSet(BaseFilterSet):
    from_node_id = id_filter("from_node_id", "출발 항목 id / from node id")
    to_node_id = id_filter("to_node_id", "도착 항목 id / to node id")
    framework = django_filters.CharFilter(
        field_name="from_node__framework__code",
        max_length=40,
        label="출발 프레임워크 코드 / from framework code",
    )
    to_framework = django_filters.CharFilter(
        field_name="to_node__framework__code", max_length=40, label="도착 프레임워크 코드 / to framework code"
    )
    municipality = municipality_code_filter("from_node__framework__municipality")
    relation = django_filters.MultipleChoiceFilter(choices=Relation.choices)
    ordering = StableOrderingFilter(fields=("created_at",))

    class Meta:
        model = CrosswalkLink
        fields: list = []

"""Filters of evidence documents and links, shared by the API and the web UI (evidence inbox)."""

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

from .choices import DocumentKind, LinkOrigin, LinkStatus
from .models import Document, EvidenceLink


class DocumentFilterSet(BaseFilterSet):
    municipality = municipality_code_filter()
    municipality_id = municipality_id_filter()
    kind = django_filters.MultipleChoiceFilter(choices=DocumentKind.choices)
    language = django_filters.CharFilter(max_length=8)
    goal = goal_filter("filter_goal")
    target = target_filter("filter_target")
    link_status = django_filters.ChoiceFilter(
        choices=LinkStatus.choices, method="filter_link_status", label="연결 상태 / has a link in this status"
    )
    year_min = year_filter("published_date__year", "gte", "이 연도부터 / published from this year")
    year_max = year_filter("published_date__year", "lte", "이 연도까지 / published up to this year")
    date_from = django_filters.DateFilter(field_name="published_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="published_date", lookup_expr="lte")
    q = SearchFilter(fields=("title", "publisher"))
    ordering = StableOrderingFilter(fields=("published_date", "title", "created_at"))

    class Meta:
        model = Document
        fields = ["municipality", "municipality_id", "kind", "language", "is_public"]

    def filter_goal(self, queryset, name, value):
        links = EvidenceLink.objects.filter(target__goal__number=value).exclude(status=LinkStatus.REJECTED)
        return queryset.filter(pk__in=links.values("document_id"))

    def filter_target(self, queryset, name, value):
        links = EvidenceLink.objects.filter(target__code=value).exclude(status=LinkStatus.REJECTED)
        return queryset.filter(pk__in=links.values("document_id"))

    def filter_link_status(self, queryset, name, value):
        return queryset.filter(pk__in=EvidenceLink.objects.filter(status=value).values("document_id"))


class EvidenceLinkFilterSet(BaseFilterSet):
    municipality = municipality_code_filter()
    municipality_id = municipality_id_filter()
    document = id_filter("document_id", "문서 id / document id")
    goal = goal_filter("filter_goal")
    target = target_filter("filter_target")
    local_indicator = id_filter("local_indicator_id", "지표 id / local indicator id")
    initiative = id_filter("initiative_id", "사업 id / initiative id")
    status = django_filters.MultipleChoiceFilter(choices=LinkStatus.choices)
    origin = django_filters.ChoiceFilter(choices=LinkOrigin.choices)
    min_score = django_filters.NumberFilter(field_name="score", lookup_expr="gte")
    year_min = year_filter("document__published_date__year", "gte", "문서 연도부터 / document from this year")
    year_max = year_filter(
        "document__published_date__year", "lte", "문서 연도까지 / document up to this year"
    )
    q = SearchFilter(fields=("document__title", "excerpt", "note"))
    ordering = StableOrderingFilter(
        fields=("score", "created_at", "decided_at", ("document__published_date", "published_date"))
    )

    class Meta:
        model = EvidenceLink
        fields = ["municipality", "municipality_id", "document", "goal", "target", "status", "origin"]

    def filter_goal(self, queryset, name, value):
        """Links under the goal: by their target or (a goal-level suggestion) their goal, or
        through their indicator's alignments or their initiative's targets. A UNION of index
        lookups: an OR across the joined tables, made DISTINCT, read every link, alignment and
        initiative target of the network (590 ms for one planner at national scale, issue 16)."""
        links = EvidenceLink.objects.order_by().values("pk")
        arms = [
            links.filter(target__goal__number=value),
            links.filter(goal__number=value),
            links.filter(local_indicator__alignments__target__goal__number=value),
            links.filter(initiative__target_links__target__goal__number=value),
        ]
        return queryset.filter(pk__in=arms[0].union(*arms[1:], all=True))

    def filter_target(self, queryset, name, value):
        return queryset.filter(target__code=value)

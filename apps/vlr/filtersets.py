"""Filters of VLR editions, their sections and comments, shared by the API and the web UI."""

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
    year_filter,
)

from .choices import EditionStatus, ReportKind, ReviewStatus
from .models import (
    AssessmentPanel,
    Comment,
    CycleDate,
    CycleSettings,
    Edition,
    EditionSection,
    OrdinanceReview,
    ParticipationRecord,
    Submission,
)


class EditionFilterSet(BaseFilterSet):
    municipality = municipality_code_filter()
    municipality_id = municipality_id_filter()
    status = django_filters.MultipleChoiceFilter(choices=EditionStatus.choices)
    kind = django_filters.MultipleChoiceFilter(choices=ReportKind.choices)
    year = year_filter("year", "exact", "보고 연도 / reporting year")
    year_min = year_filter("year", "gte", "이 연도부터 / from this year")
    year_max = year_filter("year", "lte", "이 연도까지 / up to this year")
    goal = goal_filter("filter_goal")
    q = SearchFilter(fields=("title_ko", "title_en"))
    ordering = StableOrderingFilter(
        fields=(("municipality__code", "municipality"), "year", "status", "updated_at")
    )

    class Meta:
        model = Edition
        fields = ["municipality", "municipality_id", "status", "kind", "year", "year_min", "year_max", "goal"]

    def filter_goal(self, queryset, name, value):
        """Editions reviewing this goal in depth (focus goals)."""
        return queryset.filter(
            pk__in=Edition.focus_goals.through.objects.filter(goal__number=value).values("edition_id")
        )


class EditionSectionFilterSet(BaseFilterSet):
    municipality = municipality_code_filter("edition__municipality")
    municipality_id = municipality_id_filter("edition__municipality")
    edition = id_filter("edition_id", "VLR id / edition id")
    year = year_filter("edition__year", "exact", "보고 연도 / reporting year")
    code = django_filters.CharFilter(max_length=40, label="절 코드 / section code (e.g. enabling.lnob)")
    q = SearchFilter(fields=("title_ko", "title_en", "body_ko", "body_en"))
    ordering = StableOrderingFilter(fields=("order", "code"))

    class Meta:
        model = EditionSection
        fields = ["municipality", "municipality_id", "edition", "year", "code", "included"]


class CommentFilterSet(BaseFilterSet):
    municipality = municipality_code_filter("edition__municipality")
    municipality_id = municipality_id_filter("edition__municipality")
    edition = id_filter("edition_id", "VLR id / edition id")
    parent = id_filter("parent_id", "상위 댓글 id / parent comment id")
    local_indicator = id_filter("local_indicator_id", "지표 id / local indicator id")
    initiative = id_filter("initiative_id", "사업 id / initiative id")
    author = django_filters.CharFilter(field_name="author__username", max_length=150)
    q = SearchFilter(fields=("body",))
    ordering = StableOrderingFilter(fields=("created_at",))

    class Meta:
        model = Comment
        fields = [
            "municipality",
            "municipality_id",
            "edition",
            "parent",
            "local_indicator",
            "initiative",
            "author",
        ]


class _CityFilterSet(BaseFilterSet):
    """Rows owned by a municipality: filter by its code or id."""

    municipality = municipality_code_filter()
    municipality_id = municipality_id_filter()


class OrdinanceReviewFilterSet(_CityFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ReviewStatus.choices)
    q = SearchFilter(fields=("title", "committee_opinion", "authority_response"))
    ordering = StableOrderingFilter(fields=("submitted_on", "title", "status"))

    class Meta:
        model = OrdinanceReview
        fields = ["municipality", "municipality_id", "status", "item_kind"]


class ParticipationRecordFilterSet(_CityFilterSet):
    q = SearchFilter(fields=("title", "topics", "outcomes"))
    ordering = StableOrderingFilter(fields=("held_on", "title"))

    class Meta:
        model = ParticipationRecord
        fields = ["municipality", "municipality_id", "kind"]


class CycleDateFilterSet(_CityFilterSet):
    ordering = StableOrderingFilter(fields=("due", "year"))

    class Meta:
        model = CycleDate
        fields = ["municipality", "municipality_id", "kind", "year"]


class CycleSettingsFilterSet(_CityFilterSet):
    ordering = StableOrderingFilter(fields=(("municipality__code", "municipality"), "strategy_start"))

    class Meta:
        model = CycleSettings
        fields = ["municipality", "municipality_id"]


class SubmissionFilterSet(BaseFilterSet):
    municipality = municipality_code_filter("edition__municipality")
    municipality_id = municipality_id_filter("edition__municipality")
    edition = id_filter("edition_id", "보고서 id / edition id")
    ordering = StableOrderingFilter(fields=("sent_on", "recipient"))

    class Meta:
        model = Submission
        fields = ["municipality", "municipality_id", "edition"]


class AssessmentPanelFilterSet(BaseFilterSet):
    municipality = municipality_code_filter("edition__municipality")
    municipality_id = municipality_id_filter("edition__municipality")
    edition = id_filter("edition_id", "보고서 id / edition id")
    ordering = StableOrderingFilter(fields=("group", "participants"))

    class Meta:
        model = AssessmentPanel
        fields = ["municipality", "municipality_id", "edition", "group"]

from __future__ import annotations

from rest_framework import serializers

from apps.core.api.serializers import (
    FastModelSerializer,
    FullCleanModelSerializer,
    VisiblePrimaryKeyRelatedField,
)
from apps.core.permissions import sees_work_in_progress
from apps.indicators.models import LocalIndicator
from apps.initiatives.models import Initiative
from apps.municipalities.models import Municipality
from apps.sdg.models import Goal, Target
from apps.vlr.choices import ReportKind
from apps.vlr.models import (
    AssessmentPanel,
    Comment,
    CycleDate,
    CycleSettings,
    Edition,
    EditionSection,
    EditionTransition,
    OrdinanceReview,
    ParticipationRecord,
    Submission,
)
from apps.vlr.workflow import transitions_for


class EditionSectionSerializer(FastModelSerializer):
    """One narrative section; writes go through ``apps.vlr.services.section_update``."""

    edition = serializers.PrimaryKeyRelatedField(read_only=True)
    is_standard = serializers.BooleanField(
        read_only=True, help_text="기본 목차의 절 / part of the default outline"
    )

    class Meta:
        model = EditionSection
        fields = [
            "id",
            "edition",
            "code",
            "title_ko",
            "title_en",
            "order",
            "included",
            "body_ko",
            "body_en",
            "is_standard",
        ]
        read_only_fields = ["code"]
        extra_kwargs = {"title_ko": {"required": False}, "title_en": {"required": False}}
        validators: list = []


class EditionTransitionSerializer(FastModelSerializer):
    """One step of the review. ``actor`` and ``comment`` are review-internal: null for readers
    of a published edition who are not in its municipality's scope (``EditionSerializer``)."""

    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    comment = serializers.CharField(read_only=True, allow_null=True)
    # Plain strings (values of the edition ``status`` enum) so the schema has one status enum.
    from_status = serializers.CharField(
        read_only=True, help_text="draft | submitted | changes_requested | approved | published"
    )
    to_status = serializers.CharField(
        read_only=True, help_text="draft | submitted | changes_requested | approved | published"
    )

    class Meta:
        model = EditionTransition
        fields = ["action", "from_status", "to_status", "actor", "comment", "at"]


class EditionSerializer(FullCleanModelSerializer):
    municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), help_text="지자체 코드 / municipality code"
    )
    focus_goals = serializers.SlugRelatedField(
        many=True,
        slug_field="number",
        queryset=Goal.objects.all(),
        required=False,
        help_text="심층 검토 목표 번호 / goals reviewed in depth",
    )
    sections = EditionSectionSerializer(many=True, read_only=True)
    transitions = EditionTransitionSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField(
        help_text="지금 이 사용자가 할 수 있는 동작 / workflow actions this user may take now"
    )
    recipients = serializers.SerializerMethodField(help_text="받는 곳 (법정) / statutory recipients")
    rule = serializers.SerializerMethodField(help_text="법정 주기와 조항 / statutory cycle and article")
    period_start = serializers.IntegerField(
        required=False,
        min_value=1990,
        max_value=2100,
        help_text="보고 기간 시작 (기본: 보고 연도) / period from",
    )
    period_end = serializers.IntegerField(
        required=False, min_value=1990, max_value=2100, help_text="보고 기간 끝 (기본: 보고 연도) / period to"
    )

    class Meta:
        model = Edition
        fields = [
            "id",
            "municipality",
            "municipality_id",
            "kind",
            "year",
            "title_ko",
            "title_en",
            "period_start",
            "period_end",
            "due_date",
            "recipients",
            "rule",
            "based_on",
            "status",
            "focus_goals",
            "participation",
            "goal_narratives",
            "allowed_actions",
            "sections",
            "transitions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["municipality_id", "status", "based_on", "created_at", "updated_at"]
        validators: list = []

    def validate(self, attrs):
        # A new edition's period defaults to its reporting year, as in ``edition_create``.
        if self.instance is None and "year" in attrs:
            attrs.setdefault("period_start", attrs["year"])
            attrs.setdefault("period_end", attrs["year"])
        return super().validate(attrs)

    def get_recipients(self, edition) -> list[dict[str, str]]:
        return [{"ko": ko, "en": en} for ko, en in edition.outline.recipients]

    def get_rule(self, edition) -> dict[str, str | int | None]:
        outline = edition.outline
        return {
            "article": outline.article,
            "cycle_years": outline.cycle_years,
            "ko": outline.rule_ko,
            "en": outline.rule_en,
        }

    def to_representation(self, edition):
        data = super().to_representation(edition)
        if not sees_work_in_progress(self.context["request"].user, edition.municipality_id):
            # The public reads what was published: included sections, and that the review
            # happened, not what reviewers wrote or who they are.
            data["sections"] = [section for section in data["sections"] if section["included"]]
            for transition in data["transitions"]:
                transition["actor"] = transition["comment"] = None
        return data

    def get_allowed_actions(self, edition) -> list[str]:
        return [t.action for t in transitions_for(self.context["request"].user, edition)]


class EditionUpdateSerializer(EditionSerializer):
    """What may change on an edition after creation: not its municipality, kind, year or status."""

    # Declared fields ignore Meta.read_only_fields: redeclare the municipality read-only.
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta(EditionSerializer.Meta):
        read_only_fields = [
            "municipality",
            "municipality_id",
            "kind",
            "year",
            "status",
            "based_on",
            "created_at",
            "updated_at",
        ]


class StartFromSerializer(serializers.Serializer):
    """A new edition of ``kind`` started from an approved one (``services.edition_start_from``)."""

    kind = serializers.ChoiceField(choices=ReportKind.choices)
    year = serializers.IntegerField(min_value=2015, max_value=2100)
    period_start = serializers.IntegerField(min_value=1990, max_value=2100, required=False)
    period_end = serializers.IntegerField(min_value=1990, max_value=2100, required=False)


class TransitionInputSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=10000,
        help_text="사유 (수정 요청·다시 작성 시 필수) / reason (required for request-changes and reopen)",
    )


class CommentSerializer(FastModelSerializer):
    """Review comments; created through ``apps.vlr.services.comment_create``."""

    edition = VisiblePrimaryKeyRelatedField(model=Edition)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Comment.objects.all(), required=False, allow_null=True
    )
    local_indicator = VisiblePrimaryKeyRelatedField(model=LocalIndicator, required=False, allow_null=True)
    initiative = VisiblePrimaryKeyRelatedField(model=Initiative, required=False, allow_null=True)
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    body = serializers.CharField(max_length=20000)

    class Meta:
        model = Comment
        fields = ["id", "edition", "parent", "local_indicator", "initiative", "author", "body", "created_at"]
        read_only_fields = ["created_at"]
        validators: list = []

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            from apps.core.permissions import Action

            fields["parent"].queryset = Comment.objects.for_user(request.user, Action.VIEW)
        return fields


# --------------------------------------------------------------------------- the statutory cycle


class _CitySerializer(FullCleanModelSerializer):
    municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), help_text="지자체 코드 / municipality code"
    )


class CycleSettingsSerializer(_CitySerializer):
    class Meta:
        model = CycleSettings
        fields = [
            "id",
            "municipality",
            "strategy_start",
            "plan_first",
            "biennial_first",
            "due_month",
            "due_day",
        ]
        validators: list = []


class CycleDateSerializer(_CitySerializer):
    class Meta:
        model = CycleDate
        fields = ["id", "municipality", "kind", "year", "due", "title_ko", "title_en"]
        validators: list = []


class CalendarItemSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="보고서 종류 (빈 값: 지자체 자체 일정) / kind ('' for a date of the city's own)"
    )
    year = serializers.IntegerField()
    due = serializers.DateField()
    source = serializers.ChoiceField(choices=["rule", "city"])
    title_ko = serializers.CharField()
    title_en = serializers.CharField()
    article = serializers.CharField()
    standing = serializers.ChoiceField(choices=["submitted", "overdue", "soon", "later"])
    edition_id = serializers.IntegerField(allow_null=True)
    submitted_on = serializers.DateField(allow_null=True)


class SubmissionSerializer(FastModelSerializer):
    """A record of an edition sent; the file is downloaded from ``file/``."""

    edition = VisiblePrimaryKeyRelatedField(model=Edition)
    file = serializers.FileField(write_only=True, help_text="보낸 파일 / the exact file sent")
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "edition",
            "recipient",
            "sent_on",
            "reference",
            "file",
            "file_sha256",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["file_sha256", "created_at"]
        validators: list = []


class OrdinanceReviewSerializer(_CitySerializer):
    targets = serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        queryset=Target.objects.all(),
        required=False,
        help_text="SDG 세부목표 / targets",
    )

    class Meta:
        model = OrdinanceReview
        fields = [
            "id",
            "municipality",
            "item_kind",
            "title",
            "department",
            "submitted_on",
            "committee_opinion",
            "reviewed_on",
            "authority_response",
            "responded_on",
            "status",
            "targets",
        ]
        validators: list = []


class ParticipationRecordSerializer(_CitySerializer):
    participants = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        help_text='집단별 인원 / head count per group, e.g. {"시민": 40}',
    )

    class Meta:
        model = ParticipationRecord
        fields = [
            "id",
            "municipality",
            "kind",
            "title",
            "held_on",
            "participants",
            "topics",
            "outcomes",
            "results_url",
        ]
        validators: list = []


class AssessmentPanelSerializer(FastModelSerializer):
    edition = VisiblePrimaryKeyRelatedField(model=Edition)

    class Meta:
        model = AssessmentPanel
        fields = ["id", "edition", "group", "name", "participants"]
        validators: list = []


class RatingRowSerializer(serializers.Serializer):
    indicator = serializers.CharField(max_length=40, help_text="지표 코드 / local indicator code")
    scores = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, default=dict
    )
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=5000)


class RatingsInputSerializer(serializers.Serializer):
    rows = RatingRowSerializer(many=True)


class AssessmentRowSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="indicator.code")
    means = serializers.DictField(help_text="기준별 평균과 평가 패널 수 / mean and n per criterion")
    flags = serializers.ListField(child=serializers.CharField())
    comments = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    response = serializers.SerializerMethodField()

    def get_response(self, row) -> dict | None:
        r = row["response"]
        return {"department": r.department, "response": r.response} if r else None

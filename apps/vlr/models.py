"""VLR editions (review cycles), their narrative sections, comments and workflow log."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from apps.core.models import CleanTextMixin, TimeStampedModel, pick_language
from apps.core.permissions import TenantQuerySet

from .choices import SECTION_CODES, EditionAction, EditionStatus

# An approved edition's frozen numbers: megabytes of JSON per edition at national scale, read
# only by the pages and exports of that one edition. Lists and joins leave them unread.
LARGE_FIELDS = ("snapshot",)


class EditionQuerySet(TenantQuerySet):
    def published_q(self) -> Q:
        return Q(status=EditionStatus.PUBLISHED)

    def without_snapshot(self):
        """Editions for a list: everything but the frozen snapshot (loaded on access if read)."""
        return self.defer(*LARGE_FIELDS)


class Edition(CleanTextMixin, TimeStampedModel):
    """One Voluntary Local Review of a municipality for a reporting year."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="editions"
    )
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2015), MaxValueValidator(2100)])
    title_ko = models.CharField(max_length=300, blank=True)
    title_en = models.CharField(max_length=300, blank=True)
    period_start = models.PositiveSmallIntegerField(null=True, blank=True, help_text="보고 기간 시작 연도")
    period_end = models.PositiveSmallIntegerField(null=True, blank=True, help_text="보고 기간 끝 연도")
    status = models.CharField(max_length=20, choices=EditionStatus.choices, default=EditionStatus.DRAFT)
    focus_goals = models.ManyToManyField("sdg.Goal", blank=True, related_name="focus_of_editions")
    participation = models.TextField(
        blank=True, help_text="참여 주체·과정 기록 / who took part in preparing the review"
    )
    goal_narratives = models.JSONField(
        default=dict,
        blank=True,
        help_text='목표별 서술 / the city\'s narrative per goal: {"3": {"ko": "...", "en": "..."}}',
    )
    snapshot = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="승인 시점의 수치 (동결) / numbers frozen at approval",
    )
    history = HistoricalRecords(m2m_fields=[focus_goals])

    objects = EditionQuerySet.as_manager()
    text_limits = {"participation": 50_000}  # characters

    class Meta:
        ordering = ["municipality__code", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"],
                name="edition_unique_year",
                violation_error_message="이 연도의 VLR이 이미 있습니다 / this municipality already has an edition for that year",
            ),
            models.CheckConstraint(
                condition=Q(status__in=EditionStatus.values),
                name="edition_status_valid",
                violation_error_message="알 수 없는 상태 / unknown status",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="edition_period_ordered",
                violation_error_message="보고 기간이 올바르지 않습니다 / reporting period end is before its start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name_ko} VLR {self.year} ({self.get_status_display()})"

    @property
    def title(self) -> str:
        return pick_language(self.title_ko, self.title_en) or f"VLR {self.year}"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError(
                {"period_end": "보고 기간 끝이 시작보다 빠릅니다 / reporting period end is before its start"}
            )
        problem = goal_narratives_problem(self.goal_narratives)
        if problem:
            raise ValidationError({"goal_narratives": problem})

    def goal_narrative(self, goal: int) -> dict:
        """The narrative of one goal: ``{"ko": ..., "en": ...}`` (empty strings when unwritten)."""
        entry = (self.goal_narratives or {}).get(str(goal)) or {}
        return {"ko": entry.get("ko", ""), "en": entry.get("en", "")}


GOAL_NARRATIVE_LIMIT = 50_000  # characters per goal and language: a chapter of the review


def goal_narratives_problem(value) -> str | None:
    """Why a per-goal narrative value is malformed (None when it is fine): a dict of goal numbers
    "1".."17" to ``{"ko": str, "en": str}``, each text at most GOAL_NARRATIVE_LIMIT characters."""
    if not isinstance(value, dict):
        return "목표별 서술은 객체여야 합니다 / goal narratives must be an object keyed by goal number"
    for key, entry in value.items():
        if key not in {str(n) for n in range(1, 18)}:
            return f"알 수 없는 목표 번호 / unknown goal number: {key}"
        if not isinstance(entry, dict) or set(entry) - {"ko", "en"}:
            return f"목표 {key}: ko, en 항목만 씁니다 / goal {key}: only 'ko' and 'en' texts"
        for lang, text in entry.items():
            if not isinstance(text, str):
                return f"목표 {key} ({lang}): 글이어야 합니다 / goal {key} ({lang}): must be text"
            if "\x00" in text:
                return "NUL 문자는 쓸 수 없습니다 / the NUL character is not allowed"
            if len(text) > GOAL_NARRATIVE_LIMIT:
                return (
                    f"목표 {key} ({lang}): {GOAL_NARRATIVE_LIMIT:,}자 이하 / "
                    f"goal {key} ({lang}): at most {GOAL_NARRATIVE_LIMIT:,} characters"
                )
    return None


class EditionSectionQuerySet(TenantQuerySet):
    municipality_path = "edition__municipality"

    def published_q(self) -> Q:
        # A section left out of a published edition is not part of what was published.
        return Q(edition__status=EditionStatus.PUBLISHED, included=True)

    def with_edition(self):
        """Sections with their edition joined, the edition's snapshot left unread."""
        return self.select_related("edition").defer(*(f"edition__{name}" for name in LARGE_FIELDS))


class EditionSection(CleanTextMixin, models.Model):
    """The narrative of one VLR section; a city may rename, reorder or skip sections."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(max_length=40)
    title_ko = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    included = models.BooleanField(default=True)
    body_ko = models.TextField(blank=True)
    body_en = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = EditionSectionQuerySet.as_manager()
    text_limits = {"body_ko": 200_000, "body_en": 200_000}  # characters: a chapter of the review

    class Meta:
        ordering = ["edition_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "code"],
                name="edition_section_unique_code",
                violation_error_message="이 VLR에 같은 절이 있습니다 / section already exists in this edition",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_ko} / {self.title_en}"

    @property
    def is_standard(self) -> bool:
        return self.code in SECTION_CODES


class CommentQuerySet(TenantQuerySet):
    municipality_path = "edition__municipality"


class Comment(CleanTextMixin, TimeStampedModel):
    """A review comment on an edition, optionally about one indicator or initiative in it;
    replies thread under their parent."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    local_indicator = models.ForeignKey(
        "indicators.LocalIndicator", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vlr_comments"
    )
    body = models.TextField()
    history = HistoricalRecords()

    objects = CommentQuerySet.as_manager()
    text_limits = {"body": 20_000}  # characters, as the API's comment field

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=""),
                name="comment_body_not_empty",
                violation_error_message="내용을 입력하세요 / comment is empty",
            )
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:60]}"

    def clean(self) -> None:
        errors = {}
        if self.parent_id and self.parent.edition_id != self.edition_id:
            errors["parent"] = "다른 VLR의 댓글에 답할 수 없습니다 / reply must be in the same edition"
        municipality_id = self.edition.municipality_id if self.edition_id else None
        if self.local_indicator_id and self.local_indicator.municipality_id != municipality_id:
            errors["local_indicator"] = "다른 지자체의 지표입니다 / indicator belongs to another municipality"
        if self.initiative_id and self.initiative.municipality_id != municipality_id:
            errors["initiative"] = "다른 지자체의 사업입니다 / initiative belongs to another municipality"
        if errors:
            raise ValidationError(errors)


class EditionTransitionQuerySet(TenantQuerySet):
    municipality_path = "edition__municipality"


class EditionTransition(models.Model):
    """Who moved an edition from one status to another, when, and why (append-only log)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20, choices=EditionAction.choices)
    from_status = models.CharField(max_length=20, choices=EditionStatus.choices)
    to_status = models.CharField(max_length=20, choices=EditionStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    objects = EditionTransitionQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.edition}: {self.from_status} → {self.to_status} by {self.actor}"

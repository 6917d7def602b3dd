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

from .choices import (
    EditionAction,
    EditionStatus,
    PanelGroup,
    ParticipationKind,
    ReportKind,
    ReviewItemKind,
    ReviewStatus,
)
from .outlines import outline_of

# An approved edition's frozen numbers: megabytes of JSON per edition at national scale, read
# only by the exports of that one edition; the few figures of them the next edition's "what
# changed" compares with (kilobytes); and what its public page shows of them (the public view
# less the values and the evidence list, a tenth of the snapshot). Lists and joins leave them
# unread.
LARGE_FIELDS = ("snapshot", "changes_basis", "public_summary")


class EditionQuerySet(TenantQuerySet):
    def published_q(self) -> Q:
        return Q(status=EditionStatus.PUBLISHED)

    def without_snapshot(self):
        """Editions for a list: everything but the frozen snapshot (loaded on access if read)."""
        return self.defer(*LARGE_FIELDS)

    def reading(self, *fields: str):
        """Editions with only ``fields`` of the ``LARGE_FIELDS`` loaded: what a page or a file
        reads of the frozen numbers (the others are loaded on access if read)."""
        return self.defer(*(name for name in LARGE_FIELDS if name not in fields))


class Edition(CleanTextMixin, TimeStampedModel):
    """One report of a municipality: a statutory document of the 지속가능발전 기본법 (지방기본전략,
    지방추진계획, 추진상황 점검, 지속가능성 평가, 지방보고서) or a Voluntary Local Review
    (``kind``, apps/vlr/outlines.py), covering a span of years (``period_start``–``period_end``)
    and dated by its reporting ``year``. One edition per municipality, kind and period."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="editions"
    )
    kind = models.CharField(
        max_length=20,
        choices=ReportKind.choices,
        default=ReportKind.VLR,
        help_text="보고서 종류 / kind of report",
    )
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2015), MaxValueValidator(2100)],
        help_text="보고 연도 (자료 기준) / reporting year (the data are read as of it)",
    )
    title_ko = models.CharField(max_length=300, blank=True)
    title_en = models.CharField(max_length=300, blank=True)
    period_start = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1990), MaxValueValidator(2100)], help_text="보고 기간 시작 연도"
    )
    period_end = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1990), MaxValueValidator(2100)], help_text="보고 기간 끝 연도"
    )
    due_date = models.DateField(
        null=True, blank=True, help_text="제출 기한 / due date (from the kind's rule or set by the city)"
    )
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derived",
        help_text="이 보고서를 시작한 승인된 보고서 / the approved edition this one started from",
    )
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
    changes_basis = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text=(
            "동결 수치 중 다음 판의 변경 비교에 쓰는 요약 / the frozen figures the next edition's "
            '"what changed" compares with (selectors.editions.change_basis)'
        ),
    )
    public_summary = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text=(
            "동결 수치 중 공개 페이지가 보여주는 부분 / what the public page shows of the frozen "
            "numbers (selectors.report.public_page_data), stored at approval"
        ),
    )
    # The public summary is derived from the snapshot (kept in the history) whenever it is
    # needed again: the history need not hold it twice.
    history = HistoricalRecords(m2m_fields=[focus_goals], excluded_fields=["public_summary"])

    objects = EditionQuerySet.as_manager()
    text_limits = {"participation": 50_000}  # characters

    class Meta:
        ordering = ["municipality__code", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "period_start", "period_end"],
                name="edition_unique_kind_period",
                violation_error_message="이 기간의 같은 종류 보고서가 이미 있습니다 / "
                "this municipality already has an edition of that kind for that period",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReportKind.values),
                name="edition_kind_valid",
                violation_error_message="알 수 없는 보고서 종류 / unknown kind of report",
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
        return f"{self.municipality.name_ko} {self.kind_short} {self.year} ({self.get_status_display()})"

    @property
    def kind_short(self) -> str:
        """The kind's Korean name ("지방보고서") or "VLR": for titles of messages and files."""
        return "VLR" if self.kind == ReportKind.VLR else self.get_kind_display().split(" / ")[0]

    @property
    def title(self) -> str:
        return pick_language(self.title_ko, self.title_en) or f"{self.kind_short} {self.year}"

    @property
    def outline(self):
        """The kind's outline, recipients, article and cycle (apps/vlr/outlines.py)."""
        return outline_of(self.kind)

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
    """The narrative of one section of an edition's outline; a city may rename, reorder or skip
    sections."""

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
        """Part of its kind's outline (not a section the city added)."""
        return self.code in {code for code, _ko, _en in self.edition.outline.sections}


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


class CycleSettingsQuerySet(TenantQuerySet):
    pass


class CycleSettings(TimeStampedModel):
    """A city's settings of the statutory calendar (apps/vlr/cycle.py): the year its
    지방기본전략 started, and what the Act leaves open (the first year of the 5-yearly plan and
    of the 2-yearly check, assessment and report; the day within a due year)."""

    municipality = models.OneToOneField(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="cycle_settings"
    )
    strategy_start = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="지방기본전략 시작 연도 / year the local basic strategy started",
    )
    plan_first = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="첫 지방추진계획 연도 (비우면 전략 시작 연도) / first plan year (blank: the strategy's)",
    )
    biennial_first = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="첫 점검·평가·지방보고서 연도 (비우면 전략 시작 + 2) / first year of the 2-yearly reports (blank: strategy + 2)",
    )
    due_month = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1), MaxValueValidator(12)], help_text="기한 월 / due month"
    )
    due_day = models.PositiveSmallIntegerField(
        default=31, validators=[MinValueValidator(1), MaxValueValidator(31)], help_text="기한 일 / due day"
    )
    history = HistoricalRecords()

    objects = CycleSettingsQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.municipality} cycle from {self.strategy_start}"

    def rule_settings(self) -> dict:
        return {
            "strategy_start": self.strategy_start,
            "plan_first": self.plan_first,
            "biennial_first": self.biennial_first,
        }


class CycleDateQuerySet(TenantQuerySet):
    pass


class CycleDate(CleanTextMixin, TimeStampedModel):
    """A date the city sets: the due date of a report of ``kind`` for ``year`` (replacing the
    rule's date, e.g. the day its ordinance names) or, without a kind, any date of its own."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="cycle_dates"
    )
    kind = models.CharField(max_length=20, choices=ReportKind.choices, blank=True)
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)], help_text="대상 연도 / year it is for"
    )
    due = models.DateField(help_text="기한 / due date")
    title_ko = models.CharField(max_length=200, blank=True)
    title_en = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    objects = CycleDateQuerySet.as_manager()

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "year"],
                condition=~Q(kind=""),
                name="cycle_date_once_per_report",
                violation_error_message="이 보고서의 기한이 이미 있습니다 / that report already has a date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.kind or self.title_ko} {self.year}: {self.due}"

    def clean(self) -> None:
        if not self.kind and not (self.title_ko or self.title_en):
            raise ValidationError({"title_ko": "제목을 입력하세요 / give the date a title"})


class SubmissionQuerySet(TenantQuerySet):
    municipality_path = "edition__municipality"


class Submission(CleanTextMixin, TimeStampedModel):
    """An edition sent to a recipient: to whom, when, under which reference number, and the
    exact file that was sent (kept; downloadable by those who may view the edition)."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="submissions")
    recipient = models.CharField(max_length=200, help_text="받는 곳 / sent to")
    sent_on = models.DateField(help_text="보낸 날 / sent on")
    reference = models.CharField(max_length=100, blank=True, help_text="문서 번호 / reference number")
    file = models.FileField(
        upload_to="submissions/%Y/", max_length=300, help_text="보낸 파일 / the file sent"
    )
    file_sha256 = models.CharField(max_length=64, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return f"{self.edition} → {self.recipient} ({self.sent_on})"


# --------------------------------------------------------------------------- indicator assessment


class CriterionQuerySet(TenantQuerySet):
    municipality_path = "edition__municipality"


class AssessmentCriterion(CleanTextMixin, models.Model):
    """A criterion the panels of a 지속가능성 평가 rate each local indicator on (1–5). An
    indicator whose mean score over the panels is below ``flag_below`` is flagged (by default:
    the adequacy of its target value below 3, "목표값 수정 필요")."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(max_length=40)
    name_ko = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    flag_below = models.FloatField(
        null=True, blank=True, help_text="평균이 이 값보다 낮으면 표시 / flag when the mean is below this"
    )

    objects = CriterionQuerySet.as_manager()

    class Meta:
        ordering = ["edition_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "code"],
                name="criterion_unique_code",
                violation_error_message="같은 기준이 이미 있습니다 / criterion already exists",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_ko}"


class PanelQuerySet(TenantQuerySet):
    municipality_path = "edition__municipality"


class AssessmentPanel(CleanTextMixin, TimeStampedModel):
    """A panel of a 지속가능성 평가: its group and how many took part, no personal data."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="panels")
    group = models.CharField(max_length=20, choices=PanelGroup.choices)
    name = models.CharField(
        max_length=100, blank=True, help_text="예: 시민참여단 1조 / e.g. citizens' panel 1"
    )
    participants = models.PositiveIntegerField(help_text="참여 인원 / number of participants")
    history = HistoricalRecords()

    objects = PanelQuerySet.as_manager()

    class Meta:
        ordering = ["edition_id", "group", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "group", "name"],
                name="panel_unique_name",
                violation_error_message="같은 이름의 패널이 있습니다 / a panel of that group and name exists",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()} {self.name} ({self.participants})".strip()

    def clean(self) -> None:
        if self.edition_id and self.edition.kind != ReportKind.ASSESSMENT:
            raise ValidationError(
                {
                    "edition": "패널은 지속가능성 평가에만 둡니다 / panels belong to a sustainability assessment"
                }
            )


class RatingQuerySet(TenantQuerySet):
    municipality_path = "panel__edition__municipality"


class IndicatorRating(CleanTextMixin, models.Model):
    """One panel's scores of one local indicator (``{criterion code: 1–5}``) and its comment."""

    panel = models.ForeignKey(AssessmentPanel, on_delete=models.CASCADE, related_name="ratings")
    local_indicator = models.ForeignKey(
        "indicators.LocalIndicator", on_delete=models.CASCADE, related_name="ratings"
    )
    scores = models.JSONField(default=dict, blank=True)
    comment = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = RatingQuerySet.as_manager()
    text_limits = {"comment": 5_000}

    class Meta:
        ordering = ["panel_id", "local_indicator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "local_indicator"],
                name="rating_once_per_panel",
                violation_error_message="이 패널이 이미 평가한 지표입니다 / this panel already rated the indicator",
            )
        ]

    def __str__(self) -> str:
        return f"{self.panel}: {self.local_indicator_id} {self.scores}"


class ResponseQuerySet(TenantQuerySet):
    municipality_path = "edition__municipality"


class DepartmentResponse(CleanTextMixin, TimeStampedModel):
    """The responsible department's response to the assessment of one indicator."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="department_responses")
    local_indicator = models.ForeignKey(
        "indicators.LocalIndicator", on_delete=models.CASCADE, related_name="department_responses"
    )
    department = models.CharField(max_length=100)
    response = models.TextField()
    history = HistoricalRecords()

    objects = ResponseQuerySet.as_manager()
    text_limits = {"response": 10_000}

    class Meta:
        ordering = ["edition_id", "local_indicator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "local_indicator"],
                name="response_once_per_indicator",
                violation_error_message="이 지표의 부서 의견이 이미 있습니다 / the indicator already has a response",
            )
        ]

    def __str__(self) -> str:
        return f"{self.department}: {self.response[:40]}"


# --------------------------------------------------------------------------- review register, participation


class OrdinanceReviewQuerySet(TenantQuerySet):
    pass


class OrdinanceReview(CleanTextMixin, TimeStampedModel):
    """An ordinance or plan the head sent to the 지방위원회 for review (Act Art. 14③④⑥⑦): the
    committee's opinion, the authority's response (it reflects the opinion and reports back)
    and where it stands, linked to the SDG targets concerned."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="ordinance_reviews"
    )
    item_kind = models.CharField(max_length=20, choices=ReviewItemKind.choices)
    title = models.CharField(max_length=300)
    department = models.CharField(max_length=100, blank=True)
    submitted_on = models.DateField(help_text="검토 요청일 / sent for review on")
    committee_opinion = models.TextField(blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    authority_response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED)
    targets = models.ManyToManyField("sdg.Target", blank=True, related_name="ordinance_reviews")
    history = HistoricalRecords(m2m_fields=[targets])

    objects = OrdinanceReviewQuerySet.as_manager()
    text_limits = {"committee_opinion": 20_000, "authority_response": 20_000}

    class Meta:
        ordering = ["municipality_id", "-submitted_on", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    def clean(self) -> None:
        if self.status != ReviewStatus.SUBMITTED and not self.committee_opinion.strip():
            raise ValidationError(
                {"committee_opinion": "위원회 의견을 입력하세요 / record the committee's opinion first"}
            )


class ParticipationQuerySet(TenantQuerySet):
    pass


class ParticipationRecord(CleanTextMixin, TimeStampedModel):
    """A forum or deliberation (숙의공론화장, Act Art. 29) held for the review: when, how many
    took part by group (numbers only), the topics and the outcomes."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="participation_records"
    )
    kind = models.CharField(max_length=20, choices=ParticipationKind.choices)
    title = models.CharField(max_length=300)
    held_on = models.DateField()
    participants = models.JSONField(
        default=dict, help_text='집단별 인원 / head count per group, e.g. {"시민": 40, "전문가": 5}'
    )
    topics = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    results_url = models.URLField(blank=True, help_text="결과 공개 주소 / where the results are disclosed")
    history = HistoricalRecords()

    objects = ParticipationQuerySet.as_manager()
    text_limits = {"topics": 20_000, "outcomes": 20_000}

    class Meta:
        ordering = ["municipality_id", "-held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    @property
    def participant_total(self) -> int:
        return sum(self.participants.values()) if isinstance(self.participants, dict) else 0

    def clean(self) -> None:
        counts = self.participants
        if not isinstance(counts, dict) or not all(
            isinstance(k, str) and k.strip() and isinstance(v, int) and not isinstance(v, bool) and v >= 0
            for k, v in counts.items()
        ):
            raise ValidationError(
                {
                    "participants": "집단별 인원은 {집단: 0 이상의 정수} / give a head count (whole number ≥ 0) per group"
                }
            )

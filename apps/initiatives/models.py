"""What a municipality does: policies, programmes, ordinances, education, events."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from apps.core.models import (
    CleanTextMixin,
    TimeStampedModel,
    both_languages,
    optional_email_field,
    pick_language,
)
from apps.core.permissions import TenantQuerySet

from .choices import Kind, Status


class PopulationGroup(models.Model):
    """A leave-no-one-behind group an initiative serves (reference list)."""

    code = models.CharField(max_length=30, unique=True)
    name_ko = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return both_languages(self.name_ko, self.name_en)

    @property
    def name(self) -> str:
        return pick_language(self.name_ko, self.name_en)


class InitiativeQuerySet(TenantQuerySet):
    def published_q(self) -> Q:
        return Q(is_public=True)


class Initiative(CleanTextMixin, TimeStampedModel):
    """A policy, programme, project, ordinance, plan, education or event of a municipality."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="initiatives"
    )
    title_ko = models.CharField(max_length=300, blank=True)
    title_en = models.CharField(max_length=300, blank=True)
    summary_ko = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PROGRAMME)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    department = models.CharField(max_length=200, blank=True)
    # Who reports its progress (data calls, apps.datacalls), as on a local indicator.
    owner_name = models.CharField(max_length=100, blank=True, help_text="담당자 / person responsible")
    owner_email = optional_email_field("담당자 전자우편 / their e-mail")
    report_due = models.DateField(
        null=True,
        blank=True,
        help_text="보고 기한: 데이터 요청의 기한 대신 / reporting due date, instead of the data call's",
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    budget_krw = models.BigIntegerField(null=True, blank=True, help_text="예산(원) / budget in KRW")
    partners = models.TextField(blank=True, help_text="한 줄에 하나 / one partner per line")
    groups_served = models.ManyToManyField(PopulationGroup, blank=True, related_name="initiatives")
    targets = models.ManyToManyField(
        "sdg.Target", through="InitiativeTarget", related_name="initiatives", blank=True
    )
    local_indicators = models.ManyToManyField(
        "indicators.LocalIndicator", blank=True, related_name="initiatives"
    )
    # The city's own framework nodes it serves; UN targets follow through the crosswalk.
    framework_nodes = models.ManyToManyField(
        "frameworks.FrameworkNode", blank=True, related_name="initiatives"
    )
    is_public = models.BooleanField(default=False, help_text="공개 / readable by anyone")
    history = HistoricalRecords(m2m_fields=[groups_served, local_indicators])

    objects = InitiativeQuerySet.as_manager()
    text_limits = {"summary_ko": 20_000, "summary_en": 20_000, "partners": 5_000}  # characters

    class Meta:
        ordering = ["municipality__code", "-start_date", "id"]
        # The public arm of the scope, as local_indicator_public_idx.
        indexes = [
            models.Index(fields=["municipality"], condition=Q(is_public=True), name="initiative_public_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_ko="", title_en=""),
                name="initiative_has_a_title",
                violation_error_message="국문 또는 영문 제목이 필요합니다 / a Korean or English title is required",
            ),
            models.CheckConstraint(
                condition=Q(budget_krw__isnull=True) | Q(budget_krw__gte=0),
                name="initiative_budget_not_negative",
                violation_error_message="예산은 0 이상 / budget cannot be negative",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="initiative_end_after_start",
                violation_error_message="종료일은 시작일 이후여야 합니다 / end date must not be before start date",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="initiative_status_valid",
                violation_error_message="알 수 없는 상태 / unknown status",
            ),
        ]

    def __str__(self) -> str:
        return both_languages(self.title_ko, self.title_en)

    @property
    def title(self) -> str:
        return pick_language(self.title_ko, self.title_en)

    @property
    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": "종료일은 시작일 이후여야 합니다 / end date must not be before start date"}
            )


class InitiativeTarget(models.Model):
    """An SDG target an initiative contributes to; exactly one may be primary."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="target_links")
    target = models.ForeignKey("sdg.Target", on_delete=models.PROTECT, related_name="initiative_links")
    is_primary = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_primary", "target__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "target"],
                name="initiative_target_unique",
                violation_error_message="이미 연결된 세부목표입니다 / target already linked",
            ),
            models.UniqueConstraint(
                fields=["initiative"],
                condition=Q(is_primary=True),
                name="initiative_one_primary_target",
                violation_error_message="주 세부목표는 하나만 / only one primary target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target.code}{' (primary)' if self.is_primary else ''}"


class ProgressUpdateQuerySet(TenantQuerySet):
    municipality_path = "initiative__municipality"
    scope_parent = "initiative"

    def published_q(self) -> Q:
        return Q(initiative__is_public=True)


class ProgressUpdate(CleanTextMixin, TimeStampedModel):
    """A dated note on how an initiative is going."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField()
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = ProgressUpdateQuerySet.as_manager()
    text_limits = {"text": 10_000}  # characters

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:60]}"

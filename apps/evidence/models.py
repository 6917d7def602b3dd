"""Evidence: ingested documents and their links to SDG targets, local indicators, initiatives."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.core.permissions import (
    Action,
    TenantQuerySet,
    municipality_scope,
    reviews_anywhere,
)

from .choices import DocumentKind, LinkOrigin, LinkStatus


class DocumentQuerySet(TenantQuerySet):
    def published_q(self) -> Q:
        return Q(is_public=True)

    def for_user(self, user, action: str = Action.VIEW):
        """Municipal documents follow the municipality; one with no municipality (e.g. a
        ministry press release) is readable by coordinators and editable by whoever added it."""
        scope = municipality_scope(user, action)
        if scope.all:
            return self.all()
        condition = Q(municipality__in=scope.ids)
        if action == Action.VIEW:
            condition |= self.published_q()
            if reviews_anywhere(user):
                condition |= Q(municipality__isnull=True)
        if getattr(user, "is_authenticated", False) and action in (Action.VIEW, Action.EDIT):
            condition |= Q(municipality__isnull=True, created_by=user)
        return self.filter(condition)


class Document(TimeStampedModel):
    """An ingested article, press release, case study or report. The same clean text ingested
    twice is one document (``content_hash``) *per tenant*: per municipality, and for a document
    of no municipality per uploader (or once for the operator's commands). Two cities may each
    hold their own copy of one press release; neither learns that the other has it."""

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="items",
        help_text="목록 페이지에서 나눈 항목의 원 페이지 / the list page this item came from",
    )
    kind = models.CharField(max_length=20, choices=DocumentKind.choices, default=DocumentKind.NEWS)
    title = models.CharField(max_length=500, blank=True)
    source_url = models.URLField(max_length=1000, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    published_date = models.DateField(null=True, blank=True)
    page_date = models.DateField(null=True, blank=True, help_text="페이지 날짜(기사 날짜 아님) / page date")
    language = models.CharField(max_length=8, default="ko")
    filename = models.CharField(max_length=300, blank=True)
    encoding = models.CharField(max_length=30, blank=True)
    raw_content = models.TextField(blank=True, help_text="받은 그대로 / as received")
    body = models.TextField()
    content_hash = models.CharField(max_length=64, db_index=True)
    analysis_note = models.TextField(
        blank=True,
        help_text="분석 중 생략·미확인 항목 / what the analysis could not do or read (time budget, unusable metadata)",
    )
    original_file = models.FileField(
        upload_to="evidence/%Y/%m/",
        blank=True,
        max_length=300,
        help_text="원본 파일(PDF·DOCX·HWPX·HWP), 권한 확인 후 내려받기 / the proof file as received",
    )
    evidence_score = models.FloatField(
        null=True,
        blank=True,
        help_text="지자체 공공 활동의 근거인 정도(0–1), 받은편지함 순서 / is it a public body's action (0–1): inbox order",
    )
    evidence_reasons = models.JSONField(default=list, blank=True)
    is_public = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="근거 아님으로 처리한 시각(되돌릴 수 있음) / dismissed as no evidence (can be restored)",
    )
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["raw_content"])

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-published_date", "-id"]
        # The public arm of the scope, as local_indicator_public_idx.
        indexes = [
            models.Index(fields=["municipality"], condition=Q(is_public=True), name="document_public_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=""),
                name="document_body_not_empty",
                violation_error_message="본문이 비어 있습니다 / the document has no body text",
            ),
            models.UniqueConstraint(
                fields=["municipality", "content_hash"],
                name="document_text_once_per_municipality",
                violation_error_message="이 지자체에 같은 본문의 문서가 이미 있습니다 / this municipality already holds a document with the same text",
            ),
            models.UniqueConstraint(
                fields=["created_by", "content_hash"],
                condition=Q(municipality__isnull=True),
                name="document_text_once_per_uploader",
                violation_error_message="같은 본문의 문서를 이미 올렸습니다 / you already added a document with the same text",
            ),
            models.UniqueConstraint(
                fields=["content_hash"],
                condition=Q(municipality__isnull=True, created_by__isnull=True),
                name="document_text_once_for_the_operator",
                violation_error_message="같은 본문의 문서가 이미 있습니다 / a document with the same text exists",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.filename or f"document {self.pk}"

    @property
    def date(self):
        return self.published_date or self.page_date


class EvidenceLinkQuerySet(TenantQuerySet):
    def published_q(self) -> Q:
        return Q(document__is_public=True, status=LinkStatus.CONFIRMED)


class EvidenceLink(TimeStampedModel):
    """A document proves something about one SDG target, local indicator or initiative,
    quoting an excerpt (character offsets into the document body)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links")
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence_links",
    )
    target = models.ForeignKey(
        "sdg.Target", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence_links"
    )
    local_indicator = models.ForeignKey(
        "indicators.LocalIndicator",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence_links",
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence_links",
    )
    #: A goal-level suggestion: the learned scorer found the goal but no lexicon term named one of
    #: its targets. It has no target; the person who confirms it picks one (and the link becomes
    #: an ordinary target link, ``goal`` cleared).
    goal = models.ForeignKey(
        "sdg.Goal", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence_links"
    )
    excerpt_start = models.PositiveIntegerField(null=True, blank=True)
    excerpt_end = models.PositiveIntegerField(null=True, blank=True)
    excerpt = models.TextField(blank=True)
    origin = models.CharField(max_length=10, choices=LinkOrigin.choices, default=LinkOrigin.MANUAL)
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    #: The learned scorer's features that carried a suggestion, largest first:
    #: ``{"feature", "weight"}`` plus ``field``/``start``/``end`` (offsets into the title or body)
    #: for an n-gram, or a ``detail`` for a lexicon feature. Empty without learned weights.
    features = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=LinkStatus.choices, default=LinkStatus.SUGGESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = EvidenceLinkQuerySet.as_manager()

    class Meta:
        ordering = ["document_id", "-score", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        target__isnull=False,
                        local_indicator__isnull=True,
                        initiative__isnull=True,
                        goal__isnull=True,
                    )
                    | Q(
                        target__isnull=True,
                        local_indicator__isnull=False,
                        initiative__isnull=True,
                        goal__isnull=True,
                    )
                    | Q(
                        target__isnull=True,
                        local_indicator__isnull=True,
                        initiative__isnull=False,
                        goal__isnull=True,
                    )
                    | Q(
                        target__isnull=True,
                        local_indicator__isnull=True,
                        initiative__isnull=True,
                        goal__isnull=False,
                        origin="suggested",
                    )
                ),
                name="evidence_link_exactly_one_object_or_goal_suggestion",
                violation_error_message=(
                    "세부목표, 지표, 사업 중 정확히 하나에 연결하세요 / "
                    "link to exactly one of target, local indicator or initiative"
                ),
            ),
            models.CheckConstraint(
                condition=Q(excerpt_start__isnull=True, excerpt_end__isnull=True)
                | Q(
                    excerpt_start__isnull=False,
                    excerpt_end__isnull=False,
                    excerpt_end__gt=models.F("excerpt_start"),
                ),
                name="evidence_link_excerpt_range",
                violation_error_message="인용 범위가 올바르지 않습니다 / excerpt range is invalid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=LinkStatus.values),
                name="evidence_link_status_valid",
                violation_error_message="알 수 없는 상태 / unknown status",
            ),
            models.UniqueConstraint(
                fields=["document", "target"],
                condition=Q(origin="suggested"),
                name="evidence_link_one_suggestion_per_target",
                violation_error_message="이미 제안된 세부목표입니다 / target already suggested for this document",
            ),
            models.UniqueConstraint(
                fields=["document", "goal"],
                condition=Q(origin="suggested"),
                name="evidence_link_one_suggestion_per_goal",
                violation_error_message="이미 제안된 목표입니다 / goal already suggested for this document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.linked_object} [{self.status}]"

    @property
    def linked_object(self):
        return self.target or self.local_indicator or self.initiative or self.goal

    def clean(self) -> None:
        spans = self.excerpt_start is not None and self.excerpt_end is not None and self.document_id
        if spans and not (0 <= self.excerpt_start < self.excerpt_end <= len(self.document.body)):
            raise ValidationError(
                {"excerpt_end": "인용 범위가 본문 밖입니다 / excerpt is outside the document body"}
            )

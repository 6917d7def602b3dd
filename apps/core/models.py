"""Shared model bits: timestamps, bilingual names, limits on free text."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models
from django.utils.translation import get_language

from .permissions import municipality_scope

# Invisible characters that change the display order of the text around them (embeddings,
# overrides, isolates): in a title or a name they make "exe.txt" read as "txt.exe". Marks
# (U+200E/U+200F) stay allowed; Korean and English text needs none of these.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
DEFAULT_TEXT_LIMIT = 100_000  # characters, for a TextField without its own limit


def optional_email_field(help_text: str) -> models.CharField:
    """An e-mail address that may be left empty, refused with a bilingual message. A CharField
    with the validator rather than an EmailField: the API schema then allows the empty string
    (OpenAPI's ``format: email`` does not)."""
    return models.CharField(
        max_length=254,
        blank=True,
        validators=[
            EmailValidator(message="전자우편 주소가 올바르지 않습니다 / enter a valid e-mail address")
        ],
        help_text=help_text,
    )


class CleanTextMixin:
    """Model mixin: refuses junk in free-text fields at ``full_clean()`` (so forms, serializers
    and services alike), with bilingual messages:

    - every text longer than its limit — ``text_limits[field]`` characters, else
      ``DEFAULT_TEXT_LIMIT`` for a TextField (a CharField has its ``max_length``);
    - a NUL character anywhere (PostgreSQL cannot store it);
    - bidirectional control characters in a CharField (titles, names, codes).
    """

    text_limits: dict[str, int] = {}

    def clean_fields(self, exclude=None):
        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if not isinstance(field, (models.CharField, models.TextField)) or field.name in errors:
                continue
            if exclude and field.name in exclude:
                continue
            value = getattr(self, field.attname)
            if isinstance(value, str) and (problem := self._text_problem(field, value)):
                errors[field.name] = [ValidationError(problem, code="invalid_text")]
        if errors:
            raise ValidationError(errors)

    def _text_problem(self, field, value: str) -> str | None:
        limit = self.text_limits.get(field.name) or (
            DEFAULT_TEXT_LIMIT if isinstance(field, models.TextField) else None
        )
        if limit and len(value) > limit:
            return f"너무 깁니다: 최대 {limit:,}자 (입력 {len(value):,}자) / too long: at most {limit:,} characters ({len(value):,} given)"
        if "\x00" in value:
            return "NUL 문자는 쓸 수 없습니다 / the NUL character is not allowed"
        if isinstance(field, models.CharField) and (found := BIDI_CONTROLS.search(value)):
            code = f"U+{ord(found.group()):04X}"
            return (
                f"보이지 않는 글자 방향 제어 문자({code})는 쓸 수 없습니다 / "
                f"invisible text-direction control characters ({code}) are not allowed"
            )
        return None


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def pick_language(ko: str, en: str) -> str:
    """The name in the active language, falling back to the other one when missing."""
    if (get_language() or "ko").startswith("en"):
        return en or ko
    return ko or en


def one_language(label) -> str:
    """A choice label stored as "국문 / English" → the active language's half (first letter of
    the English capitalised); a label without " / " is returned as it is."""
    text = str(label)
    if " / " not in text:
        return text
    ko, en = text.split(" / ", 1)
    return (en[:1].upper() + en[1:]) if (get_language() or "ko").startswith("en") else ko


def both_languages(ko: str, en: str) -> str:
    """ "국문 / English" when both exist, else whichever exists."""
    if ko and en and ko != en:
        return f"{ko} / {en}"
    return ko or en


class JobStatus(models.TextChoices):
    QUEUED = "queued", "대기 / queued"
    RUNNING = "running", "진행 중 / running"
    SUCCEEDED = "succeeded", "완료 / succeeded"
    FAILED = "failed", "실패 / failed"


class JobQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view"):
        """Jobs ``user`` started, and those about a municipality they may ``action``."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        scope = municipality_scope(user, action)
        if scope.all:
            return self.all()
        return self.filter(models.Q(started_by=user) | models.Q(municipality_id__in=scope.ids))


class Job(models.Model):
    """A piece of work run by a background worker (README "Background jobs"): what the UI's
    progress bar and ``GET /api/v1/jobs/<id>/`` read.

    The work itself is a django-tasks task that updates this row (``apps.core.jobs``). The
    municipality is kept as a plain id (no foreign key: core imports no app of ours); the file
    to import is kept in ``payload`` until the job ends. ``worker`` (host:pid) and
    ``heartbeat_at`` let a reader tell a running job from one whose worker died.
    """

    kind = models.CharField(max_length=50)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(max_length=30, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    message = models.TextField(blank=True)
    params = models.JSONField(default=dict, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    payload = models.BinaryField(null=True, blank=True, editable=False)
    result = models.JSONField(null=True, blank=True)
    errors = models.JSONField(default=list, blank=True)
    municipality_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def percent(self) -> int | None:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)

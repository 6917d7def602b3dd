"""In-app notifications (also sent by e-mail): an edition was submitted, sent back, approved,
published or reopened, somebody commented on it, or a report of the statutory calendar falls
due (``send_due_reminders``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language


class Verb(models.TextChoices):
    SUBMIT = "submit", "제출 / submitted"
    REQUEST_CHANGES = "request_changes", "수정 요청 / changes requested"
    APPROVE = "approve", "승인 / approved"
    PUBLISH = "publish", "공개 / published"
    REOPEN = "reopen", "다시 작성 / reopened"
    COMMENT = "comment", "댓글 / comment"
    DUE = "due", "제출 기한 / report due"


class Notification(models.Model):
    """One message to one person. ``event_key`` names the event (``transition:12``,
    ``comment:40``), so notifying the same event twice does nothing the second time."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=20, choices=Verb.choices)
    event_key = models.CharField(max_length=80)
    edition = models.ForeignKey(
        "vlr.Edition", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    message_ko = models.TextField()
    message_en = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"],
                name="notification_once_per_event",
                violation_error_message="이미 알린 일입니다 / already notified",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.message_en}"

    @property
    def message(self) -> str:
        return self.message_en if (get_language() or "ko").startswith("en") else self.message_ko

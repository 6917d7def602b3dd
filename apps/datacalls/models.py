"""Data calls: a coordinator or a city's lead planner asks the owners of its local indicators
and initiatives for the values and progress of one year, by a due date (README "Data calls").

What a call covers and who has reported is read live while it is open
(``apps.datacalls.selectors``) and frozen into ``frozen_rows`` when it is closed."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from apps.core.models import CleanTextMixin, TimeStampedModel
from apps.core.permissions import TenantQuerySet


class DataCallQuerySet(TenantQuerySet):
    """Read by the city's members and the coordinators in scope; nobody else (nothing public)."""

    def open(self):
        return self.filter(closed_at__isnull=True)


class DataCall(CleanTextMixin, TimeStampedModel):
    """One request for a municipality's values of ``year``, due on ``due_date``."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="data_calls"
    )
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text="보고 연도 / the year asked for",
    )
    due_date = models.DateField(help_text="제출 기한 / due date")
    message = models.TextField(blank=True, help_text="담당자에게 보내는 말 / message to the owners")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The completeness record at closing (``selectors.call_rows`` of that moment), never changed
    # after: a value entered later does not rewrite who had reported by the close.
    frozen_rows = models.JSONField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = DataCallQuerySet.as_manager()
    text_limits = {"message": 5_000}  # characters (CleanTextMixin)

    class Meta:
        ordering = ["municipality__code", "-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(closed_at__isnull=True),
                name="data_call_one_open_per_municipality",
                violation_error_message="이미 열린 데이터 요청이 있습니다: 먼저 닫으세요 / a data call is already open: close it first",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.year} (due {self.due_date})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class DataCallReminder(models.Model):
    """One reminder e-mailed to one owner address for one call, due date and step: the key
    that makes ``send_data_call_reminders`` idempotent."""

    data_call = models.ForeignKey(DataCall, on_delete=models.CASCADE, related_name="reminders")
    email = models.EmailField()
    step = models.CharField(max_length=40)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["data_call", "email", "sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["data_call", "email", "step"],
                name="data_call_reminder_once",
                violation_error_message="이미 보낸 알림입니다 / reminder already sent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.data_call_id} → {self.email} ({self.step})"

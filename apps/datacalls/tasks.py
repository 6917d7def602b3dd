"""Background task of this app (README "Background jobs"): the daily data-call reminders, for a
deployment that runs them through the task worker instead of cron (README "Data calls")."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from .services import data_call_reminders_send


@task()
def send_data_call_reminders() -> int:
    """``manage.py send_data_call_reminders`` as a task: how many reminders were sent today."""
    return len(data_call_reminders_send(today=timezone.localdate()))

"""Background tasks of this app (README "Background jobs"): the daily due-date reminders, for a
deployment that runs them through the task worker instead of cron (README "The statutory
cycle")."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from .services import due_reminders_send


@task()
def send_due_reminders() -> int:
    """``manage.py send_due_reminders`` as a task: how many reminders were sent today."""
    return len(due_reminders_send(today=timezone.localdate()))

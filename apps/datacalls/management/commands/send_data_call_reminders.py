"""E-mail the owners of what open data calls still lack (run daily; README "Data calls")."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.datacalls.services import data_call_reminders_send


class Command(BaseCommand):
    help = (
        "Remind owners of unreported items of open data calls, the week before and weekly after (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", help="the date to act as today, YYYY-MM-DD (default: the local date now)"
        )

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(
                f"--today: 날짜 형식은 YYYY-MM-DD / give the date as YYYY-MM-DD ({error})"
            ) from error
        sent = data_call_reminders_send(today=day)
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} reminder(s) sent for {day.isoformat()}"))

"""A management command that acts as of one day: ``--today YYYY-MM-DD`` (default: the local date),
for the reminder commands that a scheduler runs daily and tests run with a fixed clock."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class DatedCommand(BaseCommand):
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
        self.handle_day(day)

    def handle_day(self, day: date) -> None:
        raise NotImplementedError

"""E-mail the owners of what open data calls still lack (run daily; README "Data calls")."""

from __future__ import annotations

from apps.core.management.dated import DatedCommand
from apps.datacalls.services import data_call_reminders_send


class Command(DatedCommand):
    help = (
        "Remind owners of unreported items of open data calls, the week before and weekly after (idempotent)."
    )

    def handle_day(self, day):
        sent = data_call_reminders_send(today=day)
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} reminder(s) sent for {day.isoformat()}"))

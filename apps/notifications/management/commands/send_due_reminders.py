"""Send the reminders of the statutory calendar that are due today (run daily; README
"The statutory cycle")."""

from __future__ import annotations

from apps.core.management.dated import DatedCommand
from apps.notifications.services import due_reminders_send


class Command(DatedCommand):
    help = "Remind planners of the reports due 90/30/7 days ahead and overdue (idempotent; run daily)."

    def handle_day(self, day):
        sent = due_reminders_send(today=day)
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} reminder(s) sent for {day.isoformat()}"))

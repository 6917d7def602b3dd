from django.core.management.base import BaseCommand, CommandError

from apps.municipalities.models import Municipality
from apps.portal.demo import DEMO_CITIES, demo_seed

RESET_HINT = ".venv/bin/python manage.py seed_demo --reset-passwords"


class Command(BaseCommand):
    help = (
        "Create demo users (admin, a coordinator, a planner for 중랑구, 광명시, 하남시, 당진시) and "
        "fictional indicators, values, initiatives and a draft VLR per city. Passwords are printed "
        "once, when a user is created; --reset-passwords prints new ones. Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords", action="store_true", help="give every demo user a new password"
        )

    def handle(self, *args, reset_passwords=False, **options):
        if Municipality.objects.filter(code__in=DEMO_CITIES).count() != len(DEMO_CITIES):
            raise CommandError(
                "Reference data missing: run `.venv/bin/python manage.py load_reference` (or `make setup`) first."
            )
        logins = demo_seed(reset_passwords=reset_passwords)
        self.stdout.write(
            self.style.WARNING("DEMO DATA: all indicator values and initiatives are fictional.")
        )
        self.stdout.write("Demo logins (log in at /accounts/login/):")
        for login in logins:
            self.stdout.write(
                f"  {login.username:24} {login.password or '(unchanged)':24} {login.role} — {login.municipality}"
            )
        if not all(login.password for login in logins):
            self.stdout.write(
                f"Passwords are printed only when a user is created; new ones: `{RESET_HINT}` (or `make passwords`)."
            )

from django.core.management.base import BaseCommand, CommandError

from apps.municipalities.models import Municipality
from apps.portal.demo import DEMO_CITIES, demo_seed


class Command(BaseCommand):
    help = (
        "Create demo users (admin, a coordinator, a planner for 중랑구, 광명시, 하남시, 당진시) and "
        "fictional indicators, values, initiatives and a draft VLR per city. Passwords are printed "
        "once, when a user is created; --reset-passwords prints new ones. Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset-passwords", action="store_true", help="give every demo user a new password")

    def handle(self, *args, reset_passwords=False, **options):
        if Municipality.objects.filter(code__in=DEMO_CITIES).count() != len(DEMO_CITIES):
            raise CommandError("Reference data missing: run `python manage.py load_reference` first.")
        logins = demo_seed(reset_passwords=reset_passwords)
        self.stdout.write(self.style.WARNING("DEMO DATA: all indicator values and initiatives are fictional."))
        self.stdout.write("Demo logins (http://127.0.0.1:8000/accounts/login/):")
        for login in logins:
            secret = login.password or "(unchanged; run `python manage.py seed_demo --reset-passwords`)"
            self.stdout.write(f"  {login.username:24} {secret:24} {login.role} — {login.municipality}")

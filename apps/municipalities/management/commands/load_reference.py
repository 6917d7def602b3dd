from django.core.management.base import BaseCommand

from apps.municipalities.services import reference_load


class Command(BaseCommand):
    help = (
        "Load the SDG framework (17 goals, 169 targets, 251 indicators) and the 243 Korean local "
        "governments from fixtures/. Safe to re-run: a second run changes nothing and says so."
    )

    def handle(self, *args, **options):
        report = reference_load()
        for line in report.lines():
            self.stdout.write(line)
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Reference data loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Reference data already up to date: no change."))

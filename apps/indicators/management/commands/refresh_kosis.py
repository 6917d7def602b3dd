from django.core.management.base import BaseCommand, CommandError

from apps.core.exceptions import ApplicationError
from apps.indicators.models import LocalIndicator
from apps.indicators.services.kosis import kosis_refresh, kosis_refresh_all


class Command(BaseCommand):
    help = (
        "Refresh local indicators from the KOSIS tables they are linked to (KOSIS_API_KEY from the "
        "environment). One indicator (--municipality and --indicator) or every linked one (--all, "
        "what a scheduler runs); --background queues the --all run as a job for a worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", metavar="CODE")
        parser.add_argument("--indicator", metavar="CODE")
        parser.add_argument("--all", action="store_true", help="every indicator linked to KOSIS")
        parser.add_argument(
            "--background", action="store_true", help="with --all: queue a job, return at once"
        )
        parser.add_argument("--dry-run", action="store_true", help="fetch and check, save no value")

    def handle(
        self, *args, municipality=None, indicator=None, all=False, background=False, dry_run=False, **o
    ):
        if all:
            if background:
                from apps.indicators.tasks import kosis_refresh_task

                result = kosis_refresh_task.enqueue(dry_run=dry_run)
                self.stdout.write(self.style.SUCCESS(f"queued / 대기열에 넣음: {result.id}"))
                return
            for link, outcome in kosis_refresh_all(dry_run=dry_run):
                self.stdout.write(f"{link.indicator.municipality.code} {link.indicator.code}: {outcome}")
            return
        if not (municipality and indicator):
            raise CommandError(
                "--municipality와 --indicator, 또는 --all / give --municipality and --indicator, or --all"
            )
        ind = LocalIndicator.objects.filter(municipality__code=municipality, code=indicator).first()
        if ind is None:
            raise CommandError(f"알 수 없는 지표 / unknown indicator: {municipality} {indicator}")
        try:
            report = kosis_refresh(indicator=ind, actor=None, dry_run=dry_run)
        except ApplicationError as exc:
            raise CommandError("\n".join([exc.message, *(exc.extra.get("errors") or [])])) from exc
        for line in report.revisions:
            self.stdout.write(f"수정됨 / revised: {line}")
        for line in report.missing:
            self.stdout.write(f"결측 / missing: {line}")
        self.stdout.write(self.style.SUCCESS(report.summary()))

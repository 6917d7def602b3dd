from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.portal.services import network_exports_prune


class Command(BaseCommand):
    help = (
        "Delete the whole-network export zips (MEDIA_ROOT/exports/) whose job ended more than "
        "NETWORK_EXPORT_KEEP_DAYS days ago (or --days), and those no job links to that are as old; "
        "a running job's zip is kept. Each new export does the same; run this from cron too."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            metavar="N",
            help=(
                "keep the exports of the last N days (default NETWORK_EXPORT_KEEP_DAYS, now "
                f"{settings.NETWORK_EXPORT_KEEP_DAYS}; 0: delete every finished one)"
            ),
        )

    def handle(self, *args, days, **options):
        if days is not None and days < 0:
            raise CommandError("--days는 0 이상이어야 합니다 / --days must be 0 or more")
        deleted = network_exports_prune(keep_days=days)
        for name in deleted:
            self.stdout.write(name)
        self.stdout.write(self.style.SUCCESS(f"{len(deleted)} export file(s) deleted"))

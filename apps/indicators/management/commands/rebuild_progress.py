from django.core.management.base import BaseCommand, CommandError

from apps.indicators.services import progress_refresh
from apps.municipalities.models import Municipality


class Command(BaseCommand):
    help = (
        "Recompute and store the progress of every local indicator and series (or those of the "
        "given municipalities) from the observations. The services keep it up to date; run this "
        "after migrating, or after writing indicators or values around the services."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipality", action="append", default=[], metavar="CODE", help="repeat for several"
        )

    def handle(self, *args, **options):
        codes = options["municipality"]
        municipality_ids = None
        if codes:
            found = dict(Municipality.objects.filter(code__in=codes).values_list("code", "pk"))
            unknown = sorted(set(codes) - set(found))
            if unknown:
                raise CommandError(
                    f"알 수 없는 지자체 코드 / unknown municipality code: {', '.join(unknown)}"
                )
            municipality_ids = list(found.values())
        n = progress_refresh(municipality_ids=municipality_ids)
        self.stdout.write(self.style.SUCCESS(f"Progress stored for {n:,} local indicators."))

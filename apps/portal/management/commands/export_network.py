from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.exceptions import ApplicationError
from apps.portal.selectors import network_municipalities
from apps.portal.services import network_export_write


class Command(BaseCommand):
    help = (
        "Write the VLR workbook of every municipality with data (or of those given with "
        "--municipality) for a reporting year into one zip file, VLR_<code>_<year>.xlsx each. "
        "Time and memory follow the data: one city at a time, each read by index."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", metavar="OUT.zip", help="where to write the zip")
        parser.add_argument("--year", required=True, type=int, metavar="YYYY", help="reporting year")
        parser.add_argument(
            "--municipality",
            action="append",
            default=[],
            metavar="CODE",
            help="a municipality code; repeat for several (default: every municipality with data)",
        )

    def handle(self, *args, output, year, municipality, **options):
        path = Path(output)
        if path.suffix.lower() != ".zip":
            raise CommandError("출력 파일은 .zip이어야 합니다 / the output file must end in .zip")
        if not path.parent.exists():
            raise CommandError(f"폴더가 없습니다 / no such directory: {path.parent}")
        try:
            municipalities = list(network_municipalities(None, codes=municipality))
            with path.open("wb") as out:
                count = network_export_write(municipalities=municipalities, year=year, file=out)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"VLR workbooks of {count} municipalities written: {path} ({path.stat().st_size:,} bytes)"
            )
        )

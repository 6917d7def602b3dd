from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.exceptions import ApplicationError
from apps.municipalities.models import Municipality
from apps.vlr.exports.vlr_workbook import vlr_workbook_build


class Command(BaseCommand):
    help = (
        "Write the VLR workbook (xlsx) of a municipality for a reporting year: cover, contents, "
        "narrative sections, SDG overview, progress, initiatives, evidence, statistical annex and "
        "indicator metadata. An approved edition is written from the numbers frozen at approval."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipality", required=True, metavar="CODE", help="municipality code, e.g. 11260"
        )
        parser.add_argument("--year", required=True, type=int, metavar="YYYY", help="reporting year")
        parser.add_argument(
            "--output", required=True, metavar="FILE.xlsx", help="where to write the workbook"
        )

    def handle(self, *args, municipality, year, output, **options):
        muni = Municipality.objects.filter(code=municipality).first()
        if muni is None:
            raise CommandError(f"알 수 없는 지자체 코드 / unknown municipality code: {municipality}")
        path = Path(output)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("출력 파일은 .xlsx여야 합니다 / the output file must end in .xlsx")
        if not path.parent.exists():
            raise CommandError(f"폴더가 없습니다 / no such directory: {path.parent}")
        try:
            workbook = vlr_workbook_build(municipality=muni, year=year)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        workbook.save(path)
        self.stdout.write(self.style.SUCCESS(f"VLR workbook written: {path} ({path.stat().st_size:,} bytes)"))

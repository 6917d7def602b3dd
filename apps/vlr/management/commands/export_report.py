from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.exceptions import ApplicationError
from apps.municipalities.models import Municipality
from apps.vlr.exports.report import FORMATS, report_bytes
from apps.vlr.exports.report_content import LANGS


class Command(BaseCommand):
    help = (
        "Write the VLR report document (PDF or DOCX, Korean, English or both) of a municipality "
        "for a reporting year: cover, contents, the edition's sections with the data behind them, "
        "goal-by-goal chapters, indicator annex, references. An approved edition is written from "
        "the numbers frozen at approval. The format follows the output file's extension."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipality", required=True, metavar="CODE", help="municipality code, e.g. 11260"
        )
        parser.add_argument("--year", required=True, type=int, metavar="YYYY", help="reporting year")
        parser.add_argument("--lang", default="ko", choices=LANGS, help="ko (default), en or both")
        parser.add_argument("--output", required=True, metavar="FILE.pdf|FILE.docx", help="where to write it")

    def handle(self, *args, municipality, year, lang, output, **options):
        muni = Municipality.objects.filter(code=municipality).first()
        if muni is None:
            raise CommandError(f"알 수 없는 지자체 코드 / unknown municipality code: {municipality}")
        path = Path(output)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError(
                "출력 파일은 .pdf 또는 .docx여야 합니다 / the output file must end in .pdf or .docx"
            )
        if not path.parent.exists():
            raise CommandError(f"폴더가 없습니다 / no such directory: {path.parent}")
        try:
            content = report_bytes(municipality=muni, year=year, fmt=fmt, lang=lang)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        path.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"VLR report written: {path} ({len(content):,} bytes)"))

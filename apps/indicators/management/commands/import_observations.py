import json
from pathlib import Path

from django.core.management.base import CommandError

from apps.core.exceptions import ApplicationError
from apps.indicators.models import LocalIndicator
from apps.indicators.services import observations_import
from apps.indicators.services.tables import observations_import_table

from ._import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import observations from a spreadsheet (xlsx or csv). Without --indicator/--table: the "
        "statistical-annex layout of the VLR workbook. With --indicator CODE (and --municipality): "
        "a table as KOSIS or a department keeps it (wide: regions as rows, periods as columns; "
        "multi-row and merged headers; markers -, x, …, p), e)), keeping that municipality's rows. "
        "All or nothing; every bad cell is reported as 'row N, column C: reason'; re-importing the "
        "same file changes nothing. --dry-run checks without saving."
    )
    service = staticmethod(observations_import)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--indicator", metavar="CODE", help="the local indicator all values belong to")
        parser.add_argument(
            "--item", default="", help="the item (e.g. 초미세먼지) when the table holds several"
        )
        parser.add_argument("--sheet", help="the sheet to read (default: the first)")
        parser.add_argument(
            "--layout", metavar="JSON_FILE", help="a column mapping saved from the preview or --show-layout"
        )
        parser.add_argument("--table", action="store_true", help="read the file as a table in any layout")
        parser.add_argument(
            "--show-layout", action="store_true", help="print the detected column mapping (JSON) and stop"
        )

    def handle(self, *args, file, municipality=None, dry_run=False, **options):
        table = any(options.get(k) for k in ("indicator", "item", "layout", "table", "show_layout"))
        if not table:
            return super().handle(*args, file=file, municipality=municipality, dry_run=dry_run, **options)
        from apps.indicators.services.tables import table_layout
        from apps.municipalities.models import Municipality

        try:
            if options.get("show_layout"):
                layout, _rows = table_layout(file=file, sheet=options.get("sheet"))
                self.stdout.write(json.dumps(layout.as_dict(), ensure_ascii=False, indent=2))
                return
            muni = None
            if municipality:
                muni = Municipality.objects.filter(code=municipality).first()
                if muni is None:
                    raise CommandError(f"알 수 없는 지자체 코드 / unknown municipality code: {municipality}")
            indicator = None
            if options.get("indicator"):
                if muni is None:
                    raise CommandError(
                        "--indicator에는 --municipality가 필요합니다 / --indicator needs --municipality"
                    )
                indicator = LocalIndicator.objects.filter(
                    municipality=muni, code=options["indicator"]
                ).first()
                if indicator is None:
                    raise CommandError(
                        f"{muni.code}에 없는 지표 코드 / unknown indicator code in {muni.code}: {options['indicator']}"
                    )
            layout = None
            if options.get("layout"):
                try:
                    layout = json.loads(Path(options["layout"]).read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    raise CommandError(
                        f"열 대응표를 읽을 수 없습니다 / cannot read the layout: {exc}"
                    ) from exc
            report = observations_import_table(
                file=file,
                municipality=muni,
                indicator=indicator,
                item=options.get("item") or "",
                layout=layout,
                sheet=options.get("sheet"),
                dry_run=dry_run,
            )
        except ApplicationError as exc:
            lines = exc.extra.get("errors") or []
            raise CommandError("\n".join([exc.message, *lines])) from exc
        for line in report.missing:
            self.stdout.write(f"결측 / missing: {line}")
        for line in report.conversion_lines():
            self.stdout.write(f"단위 환산 / unit converted: {line}")
        if report.other_regions:
            self.stdout.write(
                f"다른 지역의 값 {report.other_regions}개 건너뜀 / values of other regions skipped"
            )
        self.stdout.write(self.style.SUCCESS(report.summary()))

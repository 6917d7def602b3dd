from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.core.exceptions import ApplicationError
from apps.frameworks.services import framework_import
from apps.municipalities.models import Municipality


class Command(BaseCommand):
    help = (
        "Create or update a framework's nodes (code, parent code, level, titles ko/en, unit, source, "
        "target values by year, mapped UN / K-SDG codes) from an xlsx or csv file. With --municipality: "
        "that city's local framework (code 'local' unless --framework). All or nothing; --dry-run "
        "checks without saving; importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="xlsx or csv file")
        parser.add_argument("--municipality", metavar="CODE", help="municipality code (e.g. 11260)")
        parser.add_argument("--framework", metavar="CODE", default="", help="framework code (default: local)")
        parser.add_argument("--name-ko", default="", help="Korean name of a new framework")
        parser.add_argument("--name-en", default="", help="English name of a new framework")
        parser.add_argument(
            "--levels",
            default="",
            help='level names of a new framework, e.g. "목표/Goal,전략/Strategy,지표/Indicator"',
        )
        parser.add_argument("--dry-run", action="store_true", help="check and report, then roll back")

    def handle(
        self,
        *args,
        file,
        municipality=None,
        framework="",
        name_ko="",
        name_en="",
        levels="",
        dry_run=False,
        **options,
    ):
        muni = None
        if municipality:
            muni = Municipality.objects.filter(code=municipality).first()
            if muni is None:
                raise CommandError(f"알 수 없는 지자체 코드 / unknown municipality code: {municipality}")
        level_names = []
        for part in filter(None, (p.strip() for p in levels.split(","))):
            ko, _, en = part.partition("/")
            level_names.append({"ko": ko.strip(), "en": en.strip()})
        try:
            report = framework_import(
                file=file,
                municipality=muni,
                framework_code=framework,
                name_ko=name_ko,
                name_en=name_en,
                level_names=level_names,
                dry_run=dry_run,
            )
        except ApplicationError as exc:
            raise CommandError("\n".join([exc.message, *(exc.extra.get("errors") or [])])) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        if report.ignored_columns:
            self.stdout.write(f"무시한 열 / ignored columns: {', '.join(report.ignored_columns)}")
        self.stdout.write(self.style.SUCCESS(report.summary()))

"""Shared body of the two spreadsheet import commands (parse, call the service, print)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from apps.core.exceptions import ApplicationError
from apps.municipalities.models import Municipality


class ImportCommand(BaseCommand):
    service = None  # set by subclasses: a function (file=, municipality=, dry_run=) -> ImportReport
    municipality_required = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="xlsx or csv file")
        parser.add_argument(
            "--municipality",
            required=self.municipality_required,
            metavar="CODE",
            help="municipality code (e.g. 11260); rows of another municipality are errors",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, then roll back: nothing is saved"
        )

    def handle(self, *args, file, municipality=None, dry_run=False, **options):
        muni = None
        if municipality:
            muni = Municipality.objects.filter(code=municipality).first()
            if muni is None:
                raise CommandError(f"알 수 없는 지자체 코드 / unknown municipality code: {municipality}")
        try:
            report = type(self).service(file=file, municipality=muni, dry_run=dry_run)
        except ApplicationError as exc:
            lines = exc.extra.get("errors") or []
            raise CommandError("\n".join([exc.message, *lines])) from exc
        if report.ignored_columns:
            self.stdout.write(f"무시한 열 / ignored columns: {', '.join(report.ignored_columns)}")
        for line in report.conversion_lines():
            self.stdout.write(f"단위 환산 / unit converted: {line}")
        self.stdout.write(self.style.SUCCESS(report.summary()))

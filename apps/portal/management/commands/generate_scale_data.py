from django.core.management.base import BaseCommand, CommandError

from apps.portal.scale import scale_data_generate


class Command(BaseCommand):
    help = (
        "Create sample municipalities with many indicators, observations, initiatives, documents "
        "and evidence links, for benchmarks and load tests. They are marked as sample data "
        "(fictional values). Defaults: the large benchmark case (300 indicators x 15 years x 3 "
        "series, 500 initiatives, 2,000 evidence links)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=1)
        parser.add_argument("--indicators", type=int, default=300, help="local indicators per municipality")
        parser.add_argument("--years", type=int, default=15, help="years of data per series")
        parser.add_argument(
            "--series", type=int, default=3, help="series per indicator: total + N-1 disaggregations"
        )
        parser.add_argument("--initiatives", type=int, default=500)
        parser.add_argument("--documents", type=int, default=500)
        parser.add_argument("--evidence", type=int, default=2000, help="confirmed evidence links")
        parser.add_argument("--last-year", type=int, default=2024)
        parser.add_argument(
            "--code-prefix", default="SCALE", help="municipality codes are PREFIX001, PREFIX002, ..."
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--replace", action="store_true", help="delete and regenerate municipalities that exist"
        )

    def handle(self, *args, **o):
        try:
            report = scale_data_generate(
                municipalities=o["municipalities"],
                indicators=o["indicators"],
                years=o["years"],
                series=o["series"],
                initiatives=o["initiatives"],
                documents=o["documents"],
                evidence=o["evidence"],
                last_year=o["last_year"],
                code_prefix=o["code_prefix"],
                seed=o["seed"],
                replace=o["replace"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Sample data generated for {', '.join(report.municipalities)} (marked as sample data)."
            )
        )

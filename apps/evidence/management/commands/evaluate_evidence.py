from django.core.management.base import BaseCommand, CommandError

from apps.evidence.pipeline.evaluation import evaluate


class Command(BaseCommand):
    help = (
        "Score the evidence engine on a labelled folder (layout of shared/evidence-dev: DIR with the "
        "files, LABELS.csv; the seeds' expected.csv layout works too): primary-goal top-1 accuracy, "
        "goal micro precision/recall/F1, share of non-SDG documents left silent, municipality and "
        "date accuracy. No database writes."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir")
        parser.add_argument("labels")
        parser.add_argument("--verbose", action="store_true", help="one line per document with what went wrong")

    def handle(self, *args, dir, labels, verbose=False, **options):
        try:
            result = evaluate(dir, labels)
        except (OSError, KeyError, ValueError) as error:
            raise CommandError(f"cannot evaluate: {error}")
        for key, value in result.items():
            if key == "per_document":
                continue
            if isinstance(value, float):
                self.stdout.write(f"{key:32} {value:.3f}")
            elif not isinstance(value, (list, dict)):
                self.stdout.write(f"{key:32} {value}")
        if verbose:
            for row in result.get("per_document", []):
                self.stdout.write(str(row))

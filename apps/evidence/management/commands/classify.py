import json

from django.core.management.base import BaseCommand

from apps.evidence.management.commands.ingest import expand
from apps.evidence.pipeline import MAX_BYTES, Refused, analyse, analysis_to_json


class Command(BaseCommand):
    help = (
        "Analyse files without writing to the database. With --json: one JSON object per input "
        'file per line: {"file", "title", "published", "page_date", "municipality_code", "body", '
        '"goals": [{"goal", "score", "targets", "reasons"}]}, goals sorted by score. A refused file '
        'gets {"file", "error"}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument(
            "--json", action="store_true", help="JSON lines (the interface evaluation tools use)"
        )

    def handle(self, *args, paths, json: bool = False, **options):
        for path in expand(paths):
            try:
                if path.stat().st_size > MAX_BYTES:
                    raise Refused(f"파일이 너무 큽니다 / file too large: > {MAX_BYTES // 1048576} MB limit")
                record = analysis_to_json(analyse(path.read_bytes(), filename=path.name), str(path))
            except (Refused, OSError) as error:
                record = {"file": str(path), "error": str(error)}
            if json:
                self.stdout.write(_dumps(record))
            else:
                self._human(record)

    def _human(self, record: dict) -> None:
        if "error" in record:
            self.stdout.write(self.style.ERROR(f"{record['file']}: refused: {record['error']}"))
            return
        self.stdout.write(self.style.SUCCESS(record["file"]))
        self.stdout.write(
            f"  title: {record['title']}\n  published: {record['published']}  page date: {record['page_date']}"
            f"  municipality: {record['municipality_code']}"
        )
        for goal in record["goals"]:
            terms = ", ".join(sorted({r["term"] for r in goal["reasons"]})[:8])
            self.stdout.write(
                f"  SDG {goal['goal']:>2}  {goal['score']:.2f}  {' '.join(goal['targets'])}  ← {terms}"
            )


def _dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.evidence.choices import DocumentKind
from apps.evidence.pipeline import MAX_BYTES
from apps.evidence.services import document_ingest
from apps.municipalities.models import Municipality

SUFFIXES = {".txt", ".html", ".htm", ".md", ".pdf", ".docx", ".hwpx", ".hwp"}


def expand(paths: list[str]) -> list[Path]:
    """Files as given, folders expanded to their ingestible files (sorted, recursive)."""
    files = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
        else:
            files.append(path)
    return files


class Command(BaseCommand):
    help = (
        "Ingest evidence documents (.txt, .html/.htm, .md files or folders): detect the encoding, "
        "clean the page, extract title/dates/municipality, suggest SDG targets, store. "
        f"Files over {MAX_BYTES // (1024 * 1024)} MB, binary or empty files are refused with a reason; "
        "the rest of the batch goes on, and the exit status is 1 when any file was not stored. "
        "Re-running is safe: the same text is one document."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--municipality", help="5-digit code; overrides the detected municipality")
        parser.add_argument("--kind", choices=DocumentKind.values)

    def handle(self, *args, paths, municipality=None, kind=None, **options):
        target = None
        if municipality:
            target = Municipality.objects.filter(code=municipality).first()
            if target is None:
                raise CommandError(f"unknown municipality code {municipality!r}")
        counts = {"created": 0, "duplicate": 0, "refused": 0}
        for path in expand(paths):
            try:
                result_line, status = self.ingest_one(path, target, kind)
            except Exception as error:
                result_line, status = (
                    f"refused    {path}: unexpected error: {type(error).__name__}: {error}",
                    "refused",
                )
            counts[status] += 1
            style = {
                "created": self.style.SUCCESS,
                "duplicate": self.style.WARNING,
                "refused": self.style.ERROR,
            }[status]
            self.stdout.write(style(result_line))
        self.stdout.write(
            f"Summary: {counts['created']} created, {counts['duplicate']} duplicate, {counts['refused']} refused."
        )
        if counts["refused"]:
            total = sum(counts.values())
            raise CommandError(f"{counts['refused']} of {total} files not stored (reasons above)")

    def ingest_one(self, path: Path, target, kind) -> tuple[str, str]:
        if not path.exists():
            return f"refused    {path}: no such file", "refused"
        size = path.stat().st_size
        if size > MAX_BYTES:  # do not even read a huge file into memory
            return (
                f"refused    {path}: file too large: {size / 1048576:.1f} MB > {MAX_BYTES // 1048576} MB limit",
                "refused",
            )
        result = document_ingest(
            data=path.read_bytes(), name=str(path), filename=path.name, municipality=target, kind=kind
        )
        line = result.line()
        if result.document is not None and result.document.analysis_note:
            line += " | " + result.document.analysis_note.replace("\n", " | ")
        return line, result.status

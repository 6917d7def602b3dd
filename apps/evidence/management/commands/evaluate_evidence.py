import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.evidence.pipeline.evaluation import evaluate

LABEL_FILES = ("labels.csv", "expected.csv")  # shared/evidence-dev, seeds/


def _layout(directory: Path, labels: str | None) -> tuple[Path, Path]:
    """(folder holding the texts, labels file) for a labelled set given as its folder, with or
    without the labels file: shared/evidence-dev keeps labels.csv at the top and the texts in
    docs/, seeds/ keeps both side by side."""
    if labels:
        labels_csv = Path(labels)
    else:
        found = [directory / name for name in LABEL_FILES if (directory / name).is_file()]
        if not found:
            raise CommandError(
                f"no {' or '.join(LABEL_FILES)} in {directory}: name the labels file after the folder"
            )
        labels_csv = found[0]
    try:
        with open(labels_csv, encoding="utf-8-sig") as fh:
            first = next(csv.DictReader(fh), {}).get("file") or ""
    except OSError as error:
        raise CommandError(f"cannot read the labels: {error}") from error
    if first and not (directory / first).is_file() and (directory / "docs" / first).is_file():
        return directory / "docs", labels_csv
    return directory, labels_csv


def _mark(ok: bool) -> str:
    return "ok" if ok else "WRONG"


def _goals(items) -> str:
    return ",".join(map(str, items)) or "-"


def _document_line(d: dict) -> str:
    parts = [f"{d['file']:28}", f"goals {_goals(d['expected_goals'])} → {_goals(d['predicted_goals'])}"]
    missing = [g for g in d["expected_goals"] if g not in d["predicted_goals"]]
    extra = [g for g in d["predicted_goals"] if g not in d["expected_goals"]]
    if missing or extra:
        parts[-1] += f" (missing {_goals(missing)}, extra {_goals(extra)})"
    if d.get("evidence") is not None:
        parts.append(f"evidence {d['evidence']:.2f}")
    if "primary_ok" in d:
        parts.append(f"primary {_mark(d['primary_ok'])}")
    elif d["predicted_goals"]:
        parts.append("not SDG evidence, yet suggested: WRONG")
    parts.append(
        f"municipality {d['municipality'] or '-'} (expected {d['municipality_expected'] or '-'}) "
        f"{_mark(d['municipality_ok'])}"
    )
    parts.append(f"date {d['published'] or '-'} {_mark(d['date_ok'])}")
    if "title_ok" in d:
        parts.append(f"title {_mark(d['title_ok'])}" + ("" if d["title_ok"] else f" ({d['title']!r})"))
    if d.get("body_missing") or d.get("body_leaked"):
        parts.append(f"body missing {d['body_missing']} leaked {d['body_leaked']}")
    return " | ".join(parts)


class Command(BaseCommand):
    help = (
        "Score the evidence engine on a labelled folder: DIR is shared/evidence-dev (labels.csv, texts "
        "in docs/) or seeds/ (expected.csv beside the texts); LABELS.csv may be named after it. Prints "
        "primary-goal top-1 accuracy, goal micro precision/recall/F1, share of non-SDG documents left "
        "silent, municipality and date accuracy; --verbose adds one line per document. No database writes."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir")
        parser.add_argument(
            "labels", nargs="?", help="labels file (default: DIR/labels.csv or DIR/expected.csv)"
        )
        parser.add_argument(
            "--verbose", action="store_true", help="one line per document: expected and found"
        )
        parser.add_argument("--lang", help="only the rows whose lang column is this (ko, en)")
        parser.add_argument(
            "--kind",
            help="only the rows whose kind column is one of these (comma-separated: news,press_release)",
        )

    def handle(self, *args, dir, labels=None, verbose=False, lang=None, kind=None, **options):
        directory = Path(dir)
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder")
        texts, labels_csv = _layout(directory, labels)
        try:
            result = evaluate(texts, labels_csv, lang=lang, kind=kind)
        except (OSError, KeyError, ValueError) as error:
            raise CommandError(f"cannot evaluate {texts} with {labels_csv}: {error}") from error
        if verbose:
            for row in result["details"]:
                self.stdout.write(_document_line(row))
        for key, value in result.items():
            if key == "per_goal_accuracy":
                self.stdout.write(f"{key:32} " + " ".join(f"{g}:{a:.2f}" for g, a in value.items()))
            elif isinstance(value, float):
                self.stdout.write(f"{key:32} {value:.3f}")
            elif not isinstance(value, (list, dict)):
                self.stdout.write(f"{key:32} {value}")

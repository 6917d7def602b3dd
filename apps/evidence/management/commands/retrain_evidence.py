import json
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from apps.evidence.choices import LinkStatus
from apps.evidence.models import EvidenceLink
from apps.evidence.pipeline.training import GOALS, corpus_examples, fit

#: The shipped training texts: the corpus's training split and the team's earlier set (both
#: written and labelled by the team; never the corpus's hold-out nor shared/evidence-dev).
CORPORA = (
    Path(settings.BASE_DIR) / "fixtures" / "evidence_corpus" / "train",
    Path(settings.BASE_DIR) / "tests" / "evidence" / "holdout",
)


def decided_examples() -> list[dict]:
    """One example per document with a decided goal: confirmed = yes, rejected = no (a goal
    both confirmed and rejected on one document, through two targets, counts as yes); the
    goals nobody decided stay unknown and teach nothing."""
    labels: dict[int, dict[int, int]] = {}
    texts: dict[int, tuple[str, str]] = {}
    rows = (
        EvidenceLink.objects.filter(
            Q(target__isnull=False) | Q(goal__isnull=False),
            status__in=(LinkStatus.CONFIRMED, LinkStatus.REJECTED),
        )
        .values_list(
            "document_id",
            "document__title",
            "document__body",
            "target__goal__number",
            "goal__number",
            "status",
        )
        .order_by("document_id")
    )
    for doc, title, body, target_goal, bare_goal, status in rows.iterator():
        goal = target_goal or bare_goal  # a rejected goal-level suggestion says no to its goal
        texts[doc] = (title, body)
        known = labels.setdefault(doc, {})
        known[goal] = max(known.get(goal, 0), int(status == LinkStatus.CONFIRMED))
    return [
        {"title": texts[d][0], "body": texts[d][1], "labels": labels[d], "source": f"document {d}"}
        for d in sorted(labels)
    ]


class Command(BaseCommand):
    help = (
        "Retrain the learned SDG topic scorer from the shipped corpus (fixtures/evidence_corpus/train) "
        "and this deployment's confirmed and rejected suggestions; C and the threshold are chosen by "
        "cross-validation. Writes the weights to settings.EVIDENCE_MODEL_PATH (or --output), where the "
        "engine reads them. Needs scikit-learn (requirements-dev.txt)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--corpus",
            action="append",
            help="labelled folder (labels.csv + texts), repeatable; default: " + ", ".join(map(str, CORPORA)),
        )
        parser.add_argument("--output", help="weights file (default: settings.EVIDENCE_MODEL_PATH)")
        parser.add_argument("--corpus-only", action="store_true", help="ignore the decisions in the database")

    def handle(self, *args, corpus=None, output=None, corpus_only=False, **options):
        try:
            import sklearn  # noqa: F401
        except ImportError as error:
            raise CommandError(
                "scikit-learn is needed to train: pip install -r requirements-dev.txt"
            ) from error
        folders = [Path(c) for c in corpus] if corpus else list(CORPORA)
        examples = []
        for folder in folders:
            if not (folder / "labels.csv").is_file():
                raise CommandError(f"no labels.csv in {folder}")
            examples += corpus_examples(folder)
        decided = [] if corpus_only else decided_examples()
        base = Path(settings.BASE_DIR)
        sources = [str(f.relative_to(base)) if f.is_relative_to(base) else str(f) for f in folders]
        if decided:
            sources.append(f"{len(decided)} decided documents")
        model = fit(examples + decided, sources=sources)
        target = Path(output or settings.EVIDENCE_MODEL_PATH)
        target.parent.mkdir(parents=True, exist_ok=True)
        # write beside, then rename: a document analysed meanwhile reads the old or the new file, never half
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=target.parent, delete=False, suffix=".tmp"
        ) as fh:
            json.dump(model, fh, ensure_ascii=False, separators=(",", ":"))
            fh.write("\n")
        os.chmod(fh.name, 0o644)  # readable like any shipped fixture (the temporary file is 0600)
        os.replace(fh.name, target)
        learned = sum(1 for g in GOALS if str(g) in model["bias"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Trained on {len(examples)} corpus texts and {len(decided)} decided documents: "
                f"{learned} goals, {len(model['weights'])} features, C={model['C']}, "
                f"threshold {model['threshold']}, cross-validated micro F1 {model['cv_micro_f1']:.3f}. "
                f"Wrote {target}."
            )
        )

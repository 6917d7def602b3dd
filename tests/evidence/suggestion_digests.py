"""Digests of the engine's suggestions on every shipped text, to prove that a speed-up
changes nothing (``test_pipeline_equivalence.py``).

Each text of the corpus (both splits), the team's earlier set and the seeds is analysed; its
suggestions (goal, score, targets, reasons, features with offsets) are serialised and hashed.
A change meant to be faster only must leave every digest as it is. A change meant to move
results (lexicon, weights, rules) rewrites the file on purpose, in the same commit:

    .venv/bin/python tests/evidence/suggestion_digests.py --write
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIGESTS = ROOT / "fixtures" / "evidence_suggestion_digests.json"
FOLDERS = (
    "fixtures/evidence_corpus/train",
    "fixtures/evidence_corpus/holdout",
    "tests/evidence/holdout",
    "seeds",
)


def digests() -> dict[str, dict]:
    """``{path: {"goals": [goal, ...], "sha256": digest of the full suggestions}}``."""
    from apps.evidence.pipeline import analyse

    out = {}
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).glob("*.txt")):
            a = analyse(path.read_bytes(), filename=path.name)
            full = json.dumps(a.goals, sort_keys=True, ensure_ascii=False)
            out[f"{folder}/{path.name}"] = {
                "goals": [g["goal"] for g in a.goals],
                "sha256": hashlib.sha256(full.encode("utf-8")).hexdigest(),
            }
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:] != ["--write"]:
        raise SystemExit(__doc__)
    DIGESTS.write_text(json.dumps(digests(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {DIGESTS}")

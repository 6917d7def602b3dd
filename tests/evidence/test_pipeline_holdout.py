"""A small hold-out set written by the team (Korean and English), never used to build the
lexicon or the rules: a guard against rules that only fit the dev set. Thresholds are looser
than the dev-set targets on purpose; the figures are in the README."""
from pathlib import Path

from apps.evidence.pipeline.evaluation import evaluate

HOLDOUT = Path(__file__).parent / "holdout"


def test_engine_generalises_to_texts_it_was_not_built_on():
    result = evaluate(HOLDOUT, HOLDOUT / "labels.csv")
    assert result["n_docs"] == 8
    assert result["primary_top1"] >= 0.8
    assert result["goal_f1"] >= 0.6
    assert result["negatives_silent"] == 1.0
    assert result["municipality_accuracy"] >= 0.85
    assert result["invented_dates"] == 0

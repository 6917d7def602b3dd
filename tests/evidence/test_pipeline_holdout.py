"""A hold-out set written by the team (46 short texts, Korean and English, all 17 goals,
page furniture, homonym districts, ministries as actors, 6 negatives), labelled before the
engine was run on them: a guard against rules that only fit the dev set. Thresholds are looser
than the dev-set targets on purpose; the figures are in the README."""

from pathlib import Path

from apps.evidence.pipeline.evaluation import evaluate

HOLDOUT = Path(__file__).parent / "holdout"


def test_engine_generalises_to_texts_it_was_not_built_on():
    result = evaluate(HOLDOUT, HOLDOUT / "labels.csv")
    assert result["n_docs"] == 46
    assert result["n_negatives"] == 6
    assert result["primary_top1"] >= 0.85
    assert result["goal_f1"] >= 0.8
    assert result["negatives_silent"] == 1.0
    assert result["municipality_accuracy"] >= 0.9
    assert result["date_accuracy"] >= 0.9
    assert result["invented_dates"] == 0

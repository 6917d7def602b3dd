"""The learned topic scorer (apps/evidence/pipeline/model.py) and the corpus it is trained on
(fixtures/evidence_corpus): explanations with offsets, run-time features equal to training
features, the shipped weights' provenance, and the corpus manifest's promises."""

import csv
import json
import os
from pathlib import Path

from apps.evidence.pipeline.classify import _marketing, classify, lexicon_evidence, text_features
from apps.evidence.pipeline.lexicon import load_lexicon
from apps.evidence.pipeline.model import MODEL_PATH, configure, load_model, model_path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "fixtures" / "evidence_corpus"
TITLE = "당진시, 단독주택 태양광 설치비 지원"
BODY = "당진시는 단독주택 500가구에 태양광 발전 설비 설치비의 70%를 지원한다. 재생에너지 보급을 늘려 온실가스를 줄인다."


def _labels(split: str) -> list[dict]:
    with open(CORPUS / split / "labels.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_each_suggestion_lists_the_features_that_carried_it_with_offsets():
    goals = classify(TITLE, BODY)
    assert goals and goals[0]["goal"] == 7
    for goal in goals:
        assert goal["features"], goal
        assert all(f["weight"] > 0 for f in goal["features"])
        for f in goal["features"]:
            kind, _, gram = f["feature"].partition(":")
            if "start" not in f:  # lexicon features point to the reasons, which carry offsets
                assert kind in ("lex", "lexr", "lext") and f["detail"]
                continue
            text = TITLE if f["field"] == "title" else BODY
            if kind == "k":
                assert text[f["start"] : f["end"]] == gram
            else:  # an English word or two, stemmed: the span covers them as written
                assert text[f["start"] : f["end"]].lower().startswith(gram.split()[0][:3])
        for r in goal["reasons"]:  # the lexicon reasons keep their shape (the highlighter reads them)
            text = TITLE if r["field"] == "title" else BODY
            assert text[r["start"] : r["end"]] == r["match"]


def test_run_time_features_are_the_training_features_the_model_weighs():
    model = load_model()
    lex = load_lexicon()
    for title, body in ((TITLE, BODY), ("", "Cities that recycle more waste cut landfill emissions.")):
        view = lexicon_evidence(title, body, lex)
        every = text_features(title, body, view, _marketing(title, body))
        kept = text_features(title, body, view, _marketing(title, body), model)
        assert kept == {
            k: v for k, v in every.items() if k in model.weights or not k.startswith(("k:", "w:", "b:"))
        }


def test_the_topic_does_not_depend_on_who_acts():
    body = "재활용 선별장에 광학 선별기를 도입해 플라스틱 재활용률을 높인다."
    assert [g["goal"] for g in classify("재활용률 높인다", body)] == [
        g["goal"] for g in classify("재활용률 높인다", "환경부는 " + body)
    ]


def test_without_a_weights_file_the_lexicon_rules_decide(tmp_path):
    configure(tmp_path / "none.json")
    try:
        assert load_model() is None
        goals = classify(TITLE, BODY)
        assert goals and goals[0]["goal"] == 7 and all("features" not in g for g in goals)
    finally:
        configure(None)
    assert model_path() == Path(os.environ.get("EVIDENCE_MODEL_PATH") or MODEL_PATH)


def test_a_rewritten_weights_file_is_read_again(tmp_path):
    path = tmp_path / "m.json"
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_model(path).threshold == data["threshold"]
    data["threshold"] = 0.99
    path.write_text(json.dumps(data), encoding="utf-8")
    os.utime(path, (1, 1))  # a new mtime, whatever the clock's resolution
    assert load_model(path).threshold == 0.99


def test_shipped_weights_were_trained_on_the_training_split_only():
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert data["sources"] == ["fixtures/evidence_corpus/train", "tests/evidence/holdout"]
    assert data["n_examples"] == len(_labels("train")) + 46
    assert 0.2 <= data["threshold"] <= 0.95 and data["C"] > 0
    assert set(data["bias"]) == {str(g) for g in range(1, 18)}
    assert MODEL_PATH.stat().st_size < 200_000  # pruned: small enough to ship in the repository


def test_corpus_manifest_records_source_licence_and_labelling_for_every_text():
    for split in ("train", "holdout"):
        rows = _labels(split)
        files = {p.name for p in (CORPUS / split).glob("*.txt")}
        assert {r["file"] for r in rows} == files
        for r in rows:
            assert r["split"] == split and r["source"] and r["licence"] and r["labelled_on"]
            assert r["lang"] in ("ko", "en") and r["kind"]
        for lang in ("ko", "en"):
            goals = {int(g) for r in rows if r["lang"] == lang for g in r["sdg_goals"].split(";") if g}
            assert goals == set(range(1, 18)), (split, lang)
            assert any(not r["sdg_goals"] for r in rows if r["lang"] == lang)


def test_hold_out_texts_are_not_training_texts():
    train = {(CORPUS / "train" / r["file"]).read_text(encoding="utf-8") for r in _labels("train")}
    hold = {(CORPUS / "holdout" / r["file"]).read_text(encoding="utf-8") for r in _labels("holdout")}
    assert not train & hold

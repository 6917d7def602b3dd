"""Fit the learned topic scorer (:mod:`apps.evidence.pipeline.model`) from labelled texts.

Training only: needs scikit-learn (requirements-dev.txt); the engine never imports this
module, it reads the weights this module writes. Called by ``manage.py retrain_evidence``.

* One logistic regression per goal (liblinear, L2, classes balanced), over the features
  of :func:`apps.evidence.pipeline.classify.text_features`. A text counts for goal G
  only when its label for G is known: a corpus text knows all 17 (listed = yes, else
  no); a deployment's document knows the goals a person confirmed (yes) or rejected (no).
* Pruning: each goal keeps its :data:`KEEP_PER_GOAL` largest weights (by magnitude), so
  the shipped file stays small; cross-validation scores the pruned model.
* The regularisation C, the one decision threshold and :data:`COMBINE` are chosen by :data:`FOLDS`-fold
  cross-validation on the training texts (micro F1 of the out-of-fold suggestions, the
  marketing factor applied as at run time); nothing is set by hand and no hold-out text
  is read.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from collections import defaultdict
from pathlib import Path

from .classify import MARKETING_FACTOR, _marketing, lexicon_evidence, rule_goals, text_features
from .lexicon import load_lexicon

GOALS = range(1, 18)
FOLDS = 5
C_GRID = (0.3, 1.0, 3.0, 10.0)
THRESHOLDS = tuple(round(0.2 + 0.05 * i, 2) for i in range(16))  # 0.20 … 0.95
KEEP_PER_GOAL = 150
#: How the model's goals meet the lexicon rules' (cross-validation picks one): "model" alone,
#: or their "union" (a goal the rules suggest is kept even below the model's threshold).
COMBINE = ("model", "union")
SEED = 20261204


def corpus_examples(folder: str | Path) -> list[dict]:
    """``{"title", "body", "labels": {G: 0/1 for all 17}, "source"}`` for each text named in
    ``folder/labels.csv``, cleaned exactly as the engine cleans an uploaded file."""
    from . import analyse  # the package imports classify, which this module also needs

    folder = Path(folder)
    with open(folder / "labels.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        a = analyse((folder / r["file"]).read_bytes(), filename=r["file"])
        goals = [int(x) for x in r["sdg_goals"].replace("|", ";").split(";") if x.strip()]
        out.append(
            {
                "title": a.title,
                "body": a.body,
                "labels": {g: int(g in goals) for g in GOALS},
                "primary": goals[0] if goals else None,
                "source": f"{folder.name}/{r['file']}",
            }
        )
    return out


def _featurise(examples: list[dict]) -> tuple[list[dict[str, float]], list[list[int]]]:
    """Each example's features, and the goals the lexicon rules alone suggest for it (best first)."""
    lex = load_lexicon()
    rows, rules = [], []
    for ex in examples:
        view = lexicon_evidence(ex["title"], ex["body"], lex)
        marketing = _marketing(ex["title"], ex["body"])
        feats = text_features(ex["title"], ex["body"], view, marketing)
        rows.append({k: v for k, (v, _span) in feats.items()})
        rules.append([g for g, _ev in rule_goals(view, marketing["factor"] if marketing else 1.0)])
    return rows, rules


def _fit_goals(rows, examples, idx, c) -> dict[int, tuple[float, dict[str, float]]]:
    """Per goal: (bias, pruned weights) fitted on the examples ``idx``."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    out = {}
    for g in GOALS:
        use = [i for i in idx if g in examples[i]["labels"]]
        y = [examples[i]["labels"][g] for i in use]
        if sum(y) < 2 or sum(y) == len(y):
            continue  # nothing to learn: never suggested by the model
        vec = DictVectorizer()
        x = vec.fit_transform([rows[i] for i in use])
        clf = LogisticRegression(
            C=c, class_weight="balanced", solver="liblinear", max_iter=1000, random_state=SEED
        )  # liblinear shuffles: a fixed seed makes a retrain reproducible
        clf.fit(x, y)
        names = vec.get_feature_names_out()
        coef = clf.coef_[0]
        keep = sorted(range(len(coef)), key=lambda j: -abs(coef[j]))[:KEEP_PER_GOAL]
        out[g] = (
            float(clf.intercept_[0]),
            {str(names[j]): float(coef[j]) for j in keep if abs(coef[j]) > 1e-6},
        )
    return out


def _probabilities(model: dict, row: dict[str, float]) -> dict[int, float]:
    factor = MARKETING_FACTOR if "f:marketing" in row else 1.0
    out = {}
    for g, (bias, w) in model.items():
        z = bias + sum(w.get(k, 0.0) * v for k, v in row.items())
        out[g] = factor / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    return out


def _micro_f1(
    pairs: list[tuple[dict[int, int], dict[int, float], set[int]]], threshold: float | None
) -> float:
    """Micro F1 of the goals suggested when p >= threshold (or the lexicon rules name them,
    for the pairs' third item; threshold None = the rules alone)."""
    tp = fp = fn = 0
    for labels, probs, rules in pairs:
        for g, y in labels.items():
            hit = g in rules or (threshold is not None and probs.get(g, 0.0) >= threshold)
            tp += hit and y
            fp += hit and not y
            fn += (not hit) and y
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _top1(pairs, primaries, threshold: float, combine: str, order: str) -> float:
    """Share of the labelled primaries found first: the model's most probable suggested goal,
    or (order "rules") the lexicon rules' primary when they suggest one."""
    hits = n = 0
    for (_y, probs, rules), primary in zip(pairs, primaries, strict=True):
        if primary is None:
            continue
        n += 1
        chosen = [g for g, p in probs.items() if p >= threshold or (combine == "union" and g in rules)]
        first = rules[0] if order == "rules" and rules else max(chosen, key=probs.get, default=None)
        hits += first == primary
    return hits / n if n else 0.0


def fit(examples: list[dict], *, sources: list[str] | None = None) -> dict:
    """Cross-validate C and the threshold, fit on all ``examples``, return the weights file's dict."""
    rows, rules = _featurise(examples)
    order = list(range(len(examples)))
    random.Random(SEED).shuffle(order)
    folds = [order[k::FOLDS] for k in range(FOLDS)]
    best = (-1.0, C_GRID[0], THRESHOLDS[0], "model")
    cv = {}
    pairs_by_c = {}
    for c in C_GRID:
        pairs = []
        for k in range(FOLDS):
            test = set(folds[k])
            model = _fit_goals(rows, examples, [i for i in order if i not in test], c)
            pairs += [(examples[i]["labels"], _probabilities(model, rows[i]), rules[i]) for i in folds[k]]
        for combine in COMBINE:
            use = pairs if combine == "union" else [(y, p, []) for y, p, _r in pairs]
            for t in THRESHOLDS:
                f1 = _micro_f1(use, t)
                cv[combine] = max(cv.get(combine, 0.0), f1)
                if f1 > best[0]:
                    best = (f1, c, t, combine)
        pairs_by_c[c] = pairs
    cv["rules"] = _micro_f1(pairs, None)  # the lexicon rules alone, on the same texts (nothing fitted)
    cv_f1, c, threshold, combine = best
    primaries = [examples[i].get("primary") for k in range(FOLDS) for i in folds[k]]
    top1 = {order: _top1(pairs_by_c[c], primaries, threshold, combine, order) for order in ("model", "rules")}
    # on a tie the rules name the primary goal: their choice is explained by its lexicon terms
    primary = max(top1, key=lambda o: (top1[o], o == "rules"))
    model = _fit_goals(rows, examples, order, c)
    weights: dict[str, dict[str, float]] = defaultdict(dict)
    for g, (_bias, w) in model.items():
        for name, value in w.items():
            weights[name][str(g)] = round(value, 4)
    positives = defaultdict(int)
    for ex in examples:
        for g, y in ex["labels"].items():
            positives[g] += y
    return {
        "version": 1,
        "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "sources": sources or [],
        "n_examples": len(examples),
        "positives_per_goal": {str(g): positives[g] for g in GOALS},
        "C": c,
        "threshold": threshold,
        "combine": combine,
        "primary": primary,
        "cv_primary_top1": {k: round(v, 3) for k, v in top1.items()},
        "cv_micro_f1": round(cv_f1, 3),
        "cv_micro_f1_by_combination": {k: round(v, 3) for k, v in cv.items()},
        "bias": {str(g): round(b, 4) for g, (b, _w) in model.items()},
        "weights": dict(sorted(weights.items())),
    }

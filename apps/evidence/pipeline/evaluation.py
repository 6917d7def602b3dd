"""Measure the engine on a labelled folder. Pure function, no side effects.

Two label layouts are understood:

* **dev** (``evidence-dev/labels.csv``): ``file, source_url, title, date,
  municipality, sdg_goals, sdg_targets, notes``; municipality is a name
  (``과천시``, ``대전광역시 서구``, ``세종특별자치시``) resolved to a code the
  same way as the engine's output; empty = no municipality expected.
* **seeds** (``seeds/expected.csv``): ``file, title, published, page_date, …,
  municipality_code, …, body_must_contain, body_must_not_contain,
  primary_goal, goals, targets, notes``.

Date rule: an expected day (``2024-03-21``) must be predicted exactly; an
empty expected date must be predicted empty. A **month-level label**
(``2022-04``: the text states only a month) counts as right when the engine
reports nothing or a day inside that month; the engine never reports months
by design, so month labels can neither reward nor punish a guess.
``invented_dates`` counts predicted dates where the label has none.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

from . import analyse
from .municipality import resolve_name


def _norm_title(t: str) -> str:
    t = re.sub(r"^[\"“‘'「『]\s*|\s*[\"”’'」』]$", "", (t or "").strip())
    return re.sub(r"[\s\"“”‘’'`·…]+", "", t).lower()


def _goals(s: str) -> list[int]:
    return [int(x) for x in re.split(r"[;|,\s]+", s or "") if x.strip().isdigit()]


def _date_ok(expected: str, predicted: dt.date | None) -> bool:
    expected = (expected or "").strip()
    if not expected:
        return predicted is None
    if re.fullmatch(r"\d{4}-\d{2}", expected):
        return predicted is None or predicted.isoformat().startswith(expected)
    return predicted is not None and predicted.isoformat() == expected


def _load(labels_csv: Path) -> tuple[str, list[dict]]:
    with open(labels_csv, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    if not rows:
        return "empty", []
    if "sdg_goals" in rows[0]:
        recs = [
            {
                "file": r["file"],
                "title": r.get("title", ""),
                "published": r.get("date", ""),
                "page_date": None,  # not labelled in this layout
                "municipality": resolve_name(r.get("municipality", "")),
                "municipality_label": r.get("municipality", ""),
                "goals": _goals(r.get("sdg_goals", "")),
                "must": [],
                "must_not": [],
                "lang": r.get("lang", ""),
                "kind": r.get("kind", ""),
            }
            for r in rows
        ]
        return "dev", recs
    recs = []
    for r in rows:
        goals = _goals(r.get("goals", ""))
        primary = _goals(r.get("primary_goal", ""))
        if primary:
            goals = primary + [g for g in goals if g != primary[0]]
        recs.append(
            {
                "file": r["file"],
                "title": r.get("title", ""),
                "published": r.get("published", ""),
                "page_date": r.get("page_date", ""),
                "municipality": (r.get("municipality_code") or "").strip() or None,
                "municipality_label": r.get("municipality_ko", ""),
                "goals": goals,
                "must": [x for x in (r.get("body_must_contain") or "").split("|") if x],
                "must_not": [x for x in (r.get("body_must_not_contain") or "").split("|") if x],
                "lang": r.get("lang", ""),
                "kind": r.get("kind", ""),
            }
        )
    return "seeds", recs


def _per_goal_accuracy(details: list[dict]) -> dict[int, float]:
    """Per goal, the mean of the recall on texts labelled with it and the share of the other
    texts left without it: the accuracy on a set balanced between its positives and negatives."""
    out = {}
    for g in range(1, 18):
        pos = [g in d["predicted_goals"] for d in details if g in d["expected_goals"]]
        neg = [g not in d["predicted_goals"] for d in details if g not in d["expected_goals"]]
        if pos and neg:
            out[g] = (sum(pos) / len(pos) + sum(neg) / len(neg)) / 2
    return out


def evaluate(
    directory: str | Path, labels_csv: str | Path, *, lang: str | None = None, kind: str | None = None
) -> dict:
    """Metrics of :func:`analyse` over the files of ``directory`` named in ``labels_csv``
    (only the rows whose ``lang`` column matches, and whose ``kind`` is one of the
    comma-separated ``kind``, when given)."""
    directory = Path(directory)
    layout, recs = _load(Path(labels_csv))
    kinds = set(kind.split(",")) if kind else None
    recs = [r for r in recs if (not lang or r["lang"] == lang) and (not kinds or r["kind"] in kinds)]
    tp = fp = fn = 0
    primary_hits = primary_n = 0
    neg_silent = neg_n = 0
    muni_ok = date_ok = page_ok = title_ok = title_n = body_ok = all_goals_ok = 0
    invented = 0
    evidence_pos: list[float] = []
    evidence_neg: list[float] = []
    details = []
    for r in recs:
        a = analyse((directory / r["file"]).read_bytes(), filename=r["file"])
        pred = [g["goal"] for g in a.goals]
        exp = r["goals"]
        d = {
            "file": r["file"],
            "expected_goals": exp,
            "predicted_goals": pred,
            "evidence": a.evidence.get("score"),
        }
        (evidence_pos if exp else evidence_neg).append(a.evidence.get("score") or 0.0)
        tp += len(set(pred) & set(exp))
        fp += len(set(pred) - set(exp))
        fn += len(set(exp) - set(pred))
        if exp:
            primary_n += 1
            ok = bool(pred) and pred[0] == exp[0]
            primary_hits += ok
            d["primary_ok"] = ok
            all_goals_ok += set(exp) <= set(pred)
        else:
            neg_n += 1
            neg_silent += not pred
        m_ok = a.municipality_code == r["municipality"]
        muni_ok += m_ok
        d.update(
            municipality=a.municipality_code,
            municipality_expected=r["municipality"],
            municipality_ok=m_ok,
        )
        dok = _date_ok(r["published"], a.published)
        date_ok += dok
        if a.published and not (r["published"] or "").strip():
            invented += 1
        d.update(published=a.published.isoformat() if a.published else None, date_ok=dok)
        if r["page_date"] is not None:
            pok = _date_ok(r["page_date"], a.page_date)
            page_ok += pok
            d["page_date_ok"] = pok
        if r["title"]:
            title_n += 1
            tok = _norm_title(a.title) == _norm_title(r["title"])
            title_ok += tok
            d.update(title=a.title, title_ok=tok)
        if r["must"] or r["must_not"]:
            missing = [s for s in r["must"] if s not in a.body]
            leaked = [s for s in r["must_not"] if s in a.body]
            body_ok += not missing and not leaked
            d.update(body_missing=missing, body_leaked=leaked)
        details.append(d)

    n = len(recs)
    per_goal = _per_goal_accuracy(details)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out = {
        "layout": layout,
        "n_docs": n,
        "primary_top1": primary_hits / primary_n if primary_n else None,
        "goal_precision": precision,
        "goal_recall": recall,
        "goal_f1": f1,
        "all_listed_goals_suggested": all_goals_ok / primary_n if primary_n else None,
        "negatives_silent": neg_silent / neg_n if neg_n else None,
        "n_negatives": neg_n,
        # the second question (is it a public body's action), apart from the topic
        "evidence_mean_positives": sum(evidence_pos) / len(evidence_pos) if evidence_pos else None,
        "evidence_mean_negatives": sum(evidence_neg) / len(evidence_neg) if evidence_neg else None,
        "municipality_accuracy": muni_ok / n if n else None,
        "date_accuracy": date_ok / n if n else None,
        "invented_dates": invented,
        "title_accuracy": title_ok / title_n if title_n else None,
        "per_goal_accuracy_mean": sum(per_goal.values()) / len(per_goal) if per_goal else None,
        "per_goal_accuracy": per_goal,
        "details": details,
    }
    if layout == "seeds":
        out["page_date_accuracy"] = page_ok / n if n else None
        out["body_rules_ok"] = body_ok / n if n else None
    return out

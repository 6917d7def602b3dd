"""Each seed page yields what seeds/expected.csv states (design.md §3)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from apps.evidence.pipeline import analyse, analysis_to_json
from apps.evidence.pipeline.evaluation import evaluate

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
with open(SEEDS / "expected.csv", encoding="utf-8") as _fh:
    ROWS = list(csv.DictReader(_fh))


def _analyse(row):
    return analyse((SEEDS / row["file"]).read_bytes(), filename=row["file"])


@pytest.mark.parametrize("row", ROWS, ids=[r["file"][:3] for r in ROWS])
def test_seed_title_dates_and_municipality(row):
    a = _analyse(row)
    assert a.title == row["title"]
    assert (a.published.isoformat() if a.published else "") == row["published"]
    assert (a.page_date.isoformat() if a.page_date else "") == row["page_date"]
    assert (a.municipality_code or "") == row["municipality_code"]


@pytest.mark.parametrize("row", ROWS, ids=[r["file"][:3] for r in ROWS])
def test_seed_body_keeps_article_and_drops_furniture(row):
    a = _analyse(row)
    for needle in filter(None, row["body_must_contain"].split("|")):
        assert needle in a.body, needle
    for needle in filter(None, row["body_must_not_contain"].split("|")):
        assert needle not in a.body, needle
    assert a.title not in a.body.split("\n")  # the headline is not repeated as a body line


@pytest.mark.parametrize("row", ROWS, ids=[r["file"][:3] for r in ROWS])
def test_seed_goals_primary_first_and_all_listed_suggested(row):
    a = _analyse(row)
    goals = [g["goal"] for g in a.goals]
    assert goals[0] == int(row["primary_goal"])
    assert {int(g) for g in row["goals"].split(";")} <= set(goals)
    scores = [g["score"] for g in a.goals]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)


@pytest.mark.parametrize("row", ROWS, ids=[r["file"][:3] for r in ROWS])
def test_seed_author_publisher_and_source_url_when_stated(row):
    a = _analyse(row)
    if row["author"]:
        assert a.author == row["author"]
    if row["source_url"]:
        assert a.source_url == row["source_url"]
    if row["kind"] == "press_release":
        assert a.publisher == row["publisher"]


def test_seed_json_line_has_exactly_the_documented_keys():
    row = ROWS[0]
    out = analysis_to_json(_analyse(row), row["file"])
    assert set(out) == {
        "file",
        "title",
        "published",
        "page_date",
        "municipality_code",
        "body",
        "goals",
        "evidence",  # issue 21: the actor/evidence question beside the topic
    }
    assert out["published"] == "2024-10-24" and out["page_date"] is None
    goal = out["goals"][0]
    assert set(goal) == {"goal", "score", "targets", "reasons", "features", "adjustments"}
    assert all(t.split(".")[0] == str(goal["goal"]) for t in goal["targets"])


def test_evaluate_scores_every_seed_field():
    r = evaluate(SEEDS, SEEDS / "expected.csv")
    assert r["layout"] == "seeds" and r["n_docs"] == 5
    assert r["title_accuracy"] == 1.0
    assert r["date_accuracy"] == 1.0 and r["page_date_accuracy"] == 1.0
    assert r["municipality_accuracy"] == 1.0
    assert r["body_rules_ok"] == 1.0
    assert r["primary_top1"] == 1.0 and r["all_listed_goals_suggested"] == 1.0

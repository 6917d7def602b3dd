"""The lexicon's phrase matcher: a Korean term may be written with or without a space inside it,
but a match never joins the end of one word to the start of the next."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from apps.evidence.pipeline.lexicon import load_lexicon
from apps.evidence.pipeline.trie import PhraseScanner, compile_phrases

TERMS = compile_phrases(["나무", "탄소중립", "무단경작"], flexible_space=True)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("산림이나 무단경작지", ["무단경작"]),  # "나 무" spans two words: not 나무 (tree) …
        ("산림이나 무단", []),
        ("나무를 심었다", ["나무"]),  # … a particle after the noun is fine
        ("소나무 숲", ["나무"]),  # a compound holds the term without a space
        ("탄소 중립을 위해", ["탄소 중립"]),  # a term written with a space, from a word start
        ("2050 탄소 중립", ["탄소 중립"]),
        ("(탄소 중립)", ["탄소 중립"]),
        ("저탄소 중립", []),  # the space-holding match would start inside "저탄소"
        ("저탄소중립", ["탄소중립"]),
    ],
)
def test_a_match_holds_a_space_only_from_the_start_of_a_word(text, found):
    assert TERMS.findall(text) == found


def test_the_lexicon_finds_no_term_across_a_word_boundary():
    text = "산림이나 무단경작지를 정비하고 나무를 심었다"
    hits = [(hit.term, text[hit.start : hit.end]) for hit in load_lexicon().find(text)]
    assert ("나무", "나 무") not in hits and ("나무", "나무") in hits and ("산림", "산림") in hits


def test_a_pattern_without_flexible_spaces_is_unchanged():
    assert compile_phrases(["나무"]).findall("산림이나 무단 나무") == ["나무"]


def _regex_spans(phrases, text):
    return [m.span() for m in compile_phrases(phrases, flexible_space=True).finditer(text)]


@pytest.mark.parametrize(
    "text",
    [
        "산림이나 무단경작지",
        "저탄소 중립, 탄소 중립, 탄소\t중립, 탄소  중립",  # a tab is a space; two spaces are not one
        "소나무_나무 a나 무 나\n무 탄소중 립",
        " 나 무 ",
        "",
    ],
)
def test_the_scanner_finds_what_the_regex_finds(text):
    phrases = ["나무", "탄소중립", "무단경작", "소중", "무", "나무꾼"]
    assert PhraseScanner(phrases).spans(text) == _regex_spans(phrases, text)


@pytest.mark.parametrize("flexible", [True, False])
def test_the_scanner_agrees_with_the_regex_on_random_text(flexible):
    """Every case the two could differ on: spaces, tabs, runs of them, word characters
    (letters, digits, the underscore) before a match, line breaks, overlapping phrases; and
    without flexible spaces, phrases that hold a space of their own."""
    rng = random.Random(21)
    phrases = ["나무", "탄소중립", "무단경작", "소중", "a1", "무", "가나", "_가", "나 무꾼"]
    scanner = PhraseScanner(phrases, flexible_space=flexible)
    regex = compile_phrases(phrases, flexible_space=flexible)
    alphabet = list("나무탄소중립무단경작지가꾼 \t_a1\n")
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert scanner.spans(text) == [m.span() for m in regex.finditer(text)], repr(text)


def test_the_scanner_finds_the_lexicon_terms_the_regex_finds_in_every_shipped_text():
    lexicon = load_lexicon()
    phrases = list(lexicon._ko)
    regex = compile_phrases(phrases, flexible_space=True)
    root = Path(__file__).resolve().parents[2]
    texts = [
        p.read_text(encoding="utf-8") for p in sorted((root / "fixtures" / "evidence_corpus").glob("*/*.txt"))
    ]
    assert len(texts) > 300
    for text in texts:
        assert lexicon._ko_scan.spans(text) == [m.span() for m in regex.finditer(text)]

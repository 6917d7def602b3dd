"""The lexicon's phrase matcher: a Korean term may be written with or without a space inside it,
but a match never joins the end of one word to the start of the next."""

from __future__ import annotations

import pytest

from apps.evidence.pipeline.lexicon import load_lexicon
from apps.evidence.pipeline.trie import compile_phrases

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

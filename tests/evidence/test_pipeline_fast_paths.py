"""Faster forms of the cleaner's rules give what the plain forms gave (issue 21: a speed-up
changes no result). The plain form stays here as the specification."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pytest

from apps.evidence.pipeline.classify import PUBLIC_ACTOR_RE
from apps.evidence.pipeline.clean import _ENDING_PHRASES, BOILER_PHRASES, BYLINE_RE, _phrase_in, _sentences
from apps.evidence.pipeline.dates import _NUMERIC
from apps.evidence.pipeline.lexicon import _WORD_RE
from apps.evidence.pipeline.metadata import BYLINE_WORDS
from apps.evidence.pipeline.municipality import PHONE_RE
from apps.evidence.pipeline.text import SPACE_RE, normalise_line, squash
from apps.evidence.pipeline.trie import trie_pattern

#: The split the cleaner used before: a look-behind tried at every position of every line.
PLAIN_SENTENCE_SPLIT_RE = re.compile(r"(?<=[다요]\.)\s*|(?<=[.!?])\s+(?=\S)")


@pytest.mark.parametrize(
    "line",
    [
        "시는 22일 밝혔다. 이번 사업은 3월에 시작한다.",
        "사진 설명입니다.사진 설명입니다.",  # no space after 다.: still two sentences
        "What? Yes! 1.5 km. Done.",
        "끝났다.",
        "",
        "...  다. ",
    ],
)
def test_sentences_are_split_as_before(line):
    assert _sentences(line) == PLAIN_SENTENCE_SPLIT_RE.split(line)


def test_sentences_are_split_as_before_on_random_lines():
    rng = random.Random(21)
    alphabet = list("다요.!? a\t\n가")
    for _ in range(50_000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert _sentences(line) == PLAIN_SENTENCE_SPLIT_RE.split(line), repr(line)


#: The public-body words as first written: one alternative a word.
PLAIN_PUBLIC_ACTOR_RE = re.compile(
    r"(?=[가-힣gmcartlp])(?:"
    r"시청|군청|구청|도청|정부|지자체|지방자치단체|지방정부|공공기관|공공부문|공기업|위원회|진흥원|공단|의회|조례|"
    r"공무원|공직자|주민센터|행정복지센터|보건소|[시군구]민|주민|[시군구도]정(?=[ 을의에]|$)|"
    r"(?:시장|군수|구청장|도지사)(?=[은는이가\s,(])|"
    r"[가-힣]{1,6}(?:부|처|청)(?=[은는이가의\s])|"
    r"\b(?:government|municipal|municipality|city council|council|ministry|mayor|public sector|local authority|"
    r"authorities|residents|citizens|city hall|the (?:city|district|county|province)|local government)\b)",
    re.IGNORECASE,
)


def _spans(rx, text):
    return [m.span() for m in rx.finditer(text)]


def test_public_body_words_are_found_as_before_in_every_shipped_text():
    root = Path(__file__).resolve().parents[2]
    paths = sorted((root / "fixtures" / "evidence_corpus").glob("*/*.txt")) + sorted(
        (root / "seeds").glob("*.txt")
    )
    assert len(paths) > 300
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert _spans(PUBLIC_ACTOR_RE, text) == _spans(PLAIN_PUBLIC_ACTOR_RE, text), path.name


def test_public_body_words_are_found_as_before_on_random_text():
    """Pieces of every word, particles and the characters the look-aheads test, in any order."""
    rng = random.Random(21)
    alphabet = list(
        "시군구도청민정장수지사부자체방치단공기관문업무원직위회진흥의조례주센터행복건소처은는이가을에 ,(\na"
    )
    alphabet += ["government", "City Council", "the city", "Mayor", "council"]
    for _ in range(50_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert _spans(PUBLIC_ACTOR_RE, text) == _spans(PLAIN_PUBLIC_ACTOR_RE, text), repr(text)


#: English tokens as first written: a look-behind tried at every position of the text.
PLAIN_WORD_RE = re.compile(r"(?<![A-Za-z0-9])(?=[0-9]*+[A-Za-z])[A-Za-z0-9]++")


def test_english_tokens_are_found_as_before_on_random_text():
    rng = random.Random(21)
    alphabet = list("ab1 2가_-Z9.")
    for _ in range(50_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert _spans(_WORD_RE, text) == _spans(PLAIN_WORD_RE, text), repr(text)


def test_lines_are_normalised_as_before_on_random_text():
    """normalise_line looks for white space to change before rebuilding the line."""
    rng = random.Random(21)
    alphabet = [*"가a \t\u00a0\u3000\u200b\ufeff\u2028\x0b.", "e\u0301", "\u1100\u1161"]  # + decomposed
    for _ in range(50_000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        assert normalise_line(line) == SPACE_RE.sub(" ", unicodedata.normalize("NFC", line)).strip(), repr(
            line
        )


@pytest.mark.parametrize("phrases", [BOILER_PHRASES, _ENDING_PHRASES[0]])
def test_furniture_phrases_are_found_as_before_on_random_lines(phrases):
    """Latin phrases are tried from the first place one could start, not at every position."""
    latin = [p for p in phrases if p.isascii()]
    firsts = "".join(sorted({re.escape(p[0]) for p in latin}))
    plain = re.compile(
        f"(?=[{firsts}])" + r"(?<![a-z0-9])(?:" + trie_pattern(latin, flexible_space=True) + r")(?![a-z0-9])"
    )
    rng = random.Random(21)
    pieces = [*latin, *"abcdefghijklmnopqrstuvwxyz0 -", "기사", "메일"]
    for _ in range(20_000):
        low = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        found = plain.search(low) is not None or any(p in squash(low) for p in phrases if not p.isascii())
        assert _phrase_in(low, squash(low), phrases) == found, repr(low)


#: Numeric dates as first written: the look-behind before the year, tried at every position.
PLAIN_NUMERIC_DATE_RE = re.compile(
    r"(?<![\d.])((?:19|20)\d{2})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?![\d])\.?"
    r"(?:\s*(?:\([월화수목금토일]\)|[월화수목금토일]요일))?"
    r"(?:\s*(\d{1,2}):(\d{2})(?::\d{2})?)?"
)


def test_numeric_dates_are_read_as_before_on_random_text():
    rng = random.Random(21)
    pieces = ["2024", "1999", "20", "19", "9", "0", "1", "12", ".", "-", "/", " ", ":", "(금)", "x"]
    for _ in range(50_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        assert [m.groups() + m.span() for m in _NUMERIC.finditer(text)] == [
            m.groups() + m.span() for m in PLAIN_NUMERIC_DATE_RE.finditer(text)
        ], repr(text)


#: Telephone numbers as first written: the look-behind tried at every position of the page.
PLAIN_PHONE_RE = re.compile(r"(?<![\d-])\(?(0\d{1,2})\)?[-.) ]?\d{3,4}[-. ]\d{4}(?!\d)")


def test_telephone_area_codes_are_read_as_before_on_random_text():
    rng = random.Random(21)
    pieces = ["032", "02", "0", "(", ")", "-", ".", " ", "123", "4567", "1", "x", "가"]
    for _ in range(50_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        assert [(m.group(1) or m.group(2), m.span()) for m in PHONE_RE.finditer(text)] == [
            (m.group(1), m.span()) for m in PLAIN_PHONE_RE.finditer(text)
        ], repr(text)


def test_every_byline_holds_one_of_the_role_words_the_author_search_looks_for_first():
    rng = random.Random(21)
    pieces = ["김", "철수", "기", "자", "특파원", "객원기자", "통신원", "리포터", " ", "(", "]", "a@"]
    for _ in range(50_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        if BYLINE_RE.search(text):
            assert any(word in text for word in BYLINE_WORDS), repr(text)

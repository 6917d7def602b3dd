"""Small text helpers shared by the pipeline modules (no state, no I/O)."""

from __future__ import annotations

import re
import time
import unicodedata
from urllib.parse import urlsplit

HANGUL_RE = re.compile(r"[\uac00-\ud7a3]")
LATIN_RE = re.compile(r"[A-Za-z]")
BULLET_RE = re.compile(r"^\s*([•·▪▫◦●○◆◇■▶►▷※★☆\-–—*]|\d{1,2}[.)])\s+")
URL_RE = re.compile(
    r"https?://[^\s<>\"'()\[\]]+|www\.[a-z0-9-]+\.[a-z.]+[^\s<>\"'()\[\]]*",
    re.IGNORECASE,
)
# Every kind of white space (NBSP, ideographic, en/em spaces, vertical tab, U+2028 ...) and the
# invisible zero-width space / BOM become one plain space: the line rules' patterns then never
# meet a run of spaces longer than one, which keeps their ``\s*`` pairs from backtracking.
SPACE_RE = re.compile(r"[\s\u200b\ufeff]+")

# Korean sentence endings: declarative/polite forms, optionally followed by a
# period and closing quote/bracket.  "…했다." "…합니다." "…예정" are endings
# of body sentences, never of a headline (headlines end in nouns).
KO_SENTENCE_END_RE = re.compile(r"(다|요|죠|니다|까|음|함|됨)\s*[.!?]?\s*[\"”’'」)\]]*\s*$")
EN_SENTENCE_END_RE = re.compile(r"[.!?][\"”’')\]]*\s*$")


#: What SPACE_RE would change: white space other than a space, the invisible ones, two spaces.
#: Most lines hold none, and looking costs less than rebuilding the line space by space.
_ODD_SPACE_RE = re.compile(r"[^\S ]|[\u200b\ufeff]| {2}")


def normalise_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line)
    if _ODD_SPACE_RE.search(line):
        line = SPACE_RE.sub(" ", line)
    return line.strip()


def nonspace_len(s: str) -> int:
    return len(s) - s.count(" ")


_HANGUL_RUN_RE = re.compile(r"[\uac00-\ud7a3]+")
_LATIN_RUN_RE = re.compile(r"[A-Za-z]+")


def hangul_ratio(s: str) -> float:
    # letters counted by runs: a list of every single letter cost more than the count
    h = sum(map(len, _HANGUL_RUN_RE.findall(s)))
    latin = sum(map(len, _LATIN_RUN_RE.findall(s)))
    if h + latin == 0:
        return 0.0
    return h / (h + latin)


def is_sentence(line: str) -> bool:
    """A body sentence (not a headline): long enough and ends like a sentence."""
    if nonspace_len(line) < 25:
        return False
    if HANGUL_RE.search(line):
        return bool(KO_SENTENCE_END_RE.search(line))
    return bool(EN_SENTENCE_END_RE.search(line)) and len(line.split()) >= 8


def is_paragraph(line: str) -> bool:
    """A body paragraph: a long line or a sentence."""
    return nonspace_len(line) >= 110 or (is_sentence(line) and nonspace_len(line) >= 30)


def squash(s: str) -> str:
    """Lower-case and drop all whitespace (for phrase lookups)."""
    return "".join(s.split()).lower()


def http_url(value: str) -> str:
    """``value`` as an absolute http(s) URL, or "" (unknown).

    A page's own idea of its address is often unusable: a relative ``<link rel=canonical>``,
    an ``og:url`` with another scheme (``android-app://``), a bare ``www.`` line. A bare host gets
    ``http://`` as a browser would; anything else that is not an absolute http(s) URL is unknown.
    """
    value = (value or "").strip().rstrip(".,)")
    if value[:4].lower() == "www.":
        value = "http://" + value
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. "http://[" (an unclosed IPv6 bracket)
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or len(value) > 1000:
        return ""
    if any(ch.isspace() for ch in value):
        return ""
    return value


class OutOfTime(Exception):
    """The analysis budget ran out inside a step (see ``analyse(budget=...)``)."""


def check_time(deadline: float | None) -> None:
    """Raise :class:`OutOfTime` once ``deadline`` (a ``time.monotonic()`` value) has passed."""
    if deadline is not None and time.monotonic() >= deadline:
        raise OutOfTime

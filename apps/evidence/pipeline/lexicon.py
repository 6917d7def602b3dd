"""Load ``fixtures/sdg_lexicon.csv`` and find its terms in a text.

The CSV (UTF-8, header ``term,lang,target,weight,context``) is meant to be
read and edited by non-programmers:

* ``term``: a word or phrase. Korean terms match as substrings, so compounds
  and attached particles are found (탄소중립을, 탄소중립도, 우리동네돌봄단),
  and a space may or may not be written between any two syllables
  (탄소 중립 = 탄소중립). English terms match whole words, case-insensitive,
  with a light stemming (recycle/recycled/recycling; city/cities);
  an ALL-CAPS term (ESG, VLR, NEET) only matches in capitals.
* ``lang``: ``ko`` or ``en``.
* ``target``: SDG target code (``13.2``, ``16.b``). ``-`` marks a stop phrase
  (weight 0): a longer name that must *not* count for a term it contains,
  e.g. 고용노동부 (a ministry) must not count as 고용 (employment).
* ``weight``: 3 = specific evidence, 2 = good, 1 = generic, 0.5 = weak.
* ``context``: optional words separated by ``|``; at least one must occur
  within :data:`CONTEXT_WINDOW` characters before or after the term (same
  title or body, spaces ignored) for the row to count. When a term has
  several rows, rows whose context is satisfied take precedence over rows
  without context (쓰레기 near 바다 is marine litter 14.1, elsewhere 11.6).

When phrases overlap, the longest match wins (지속가능발전 기본조례 is one
hit, not also 지속가능발전).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple

from .text import check_time, squash
from .trie import PhraseScanner

LEXICON_PATH = Path(__file__).resolve().parents[3] / "fixtures" / "sdg_lexicon.csv"

#: Characters on each side of a term searched for its context words.
CONTEXT_WINDOW = 60

_TOKEN_RE = re.compile(r"[A-Za-z0-9]+")
# A text token with at least one letter (numbers alone are in no English term; a number
# between two words still breaks a phrase, as the gap between tokens is checked). Tried only
# where a run starts, and the digits before the letter are read once (possessive). The pattern
# opens with the token's first character, not a look-behind: re then skips to the ASCII letters
# and digits of a Korean page instead of trying every position (the run-start test comes after).
_WORD_RE = re.compile(r"(?:[A-Za-z]|[0-9](?=[0-9]*+[A-Za-z]))(?<![A-Za-z0-9][A-Za-z0-9])[A-Za-z0-9]*+")
#: Inflections, then one derivational suffix (recyclable -> recycl = recycle;
#: agricultural -> agricultur = agriculture; sustainability = sustainable =
#: sustain). Derivational stems keep >= 4 letters, so equal/equality and
#: nation/national stay apart from shorter words.
_SUFFIXES = ("ations", "ation", "ings", "ing", "ably", "ibly", "ies", "ied", "ed", "es", "s", "ly")
_DERIVATIONAL = (
    "abilities",
    "ibilities",
    "ability",
    "ibility",
    "ational",
    "ities",
    "ity",
    "ables",
    "ibles",
    "able",
    "ible",
    "abl",
    "ibl",
    "als",
    "al",
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A deliberately small English stemmer applied to text and lexicon alike."""
    w = word.lower()
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)] + ("y" if suf in ("ies", "ied") else "")
            break
    for suf in _DERIVATIONAL:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            w = w[: -len(suf)]
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    return w


@dataclass(frozen=True)
class Entry:
    term: str
    lang: str
    target: str
    weight: float
    context: tuple[str, ...]

    @cached_property  # read for every hit; works on a frozen class (it bypasses __setattr__)
    def goal(self) -> int | None:
        head = self.target.split(".")[0]
        return int(head) if head.isdigit() else None


class Hit(NamedTuple):  # a tuple: a frozen dataclass cost more to make than the rest of a hit
    term: str  # the lexicon term
    start: int
    end: int
    entries: tuple[Entry, ...]  # rows that apply here (context already checked)


class Lexicon:
    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self._ko: dict[str, list[Entry]] = {}
        self._en: dict[str, list[tuple[tuple[str, ...], bool, list[Entry]]]] = {}
        en_groups: dict[tuple[tuple[str, ...], bool], list[Entry]] = {}
        for e in entries:
            if e.lang == "ko":
                self._ko.setdefault(squash(e.term), []).append(e)
            else:
                toks = tuple(_TOKEN_RE.findall(e.term))
                if not toks:
                    continue
                caps = e.term.isupper() and len(e.term) <= 6
                key = (tuple(stem(t) for t in toks), caps)
                en_groups.setdefault(key, []).append(e)
        for (stems, caps), rows in en_groups.items():
            self._en.setdefault(stems[0], []).append((stems, caps, rows))
        for lst in self._en.values():
            lst.sort(key=lambda t: len(t[0]), reverse=True)
        self._ko_scan = PhraseScanner(self._ko.keys())
        # Rows that apply wherever the term occurs (no context words; a stop row applies
        # nowhere) are known before any text is read: only the others need the window.
        self._ko_fixed: dict[str, tuple[Entry, ...] | None] = {
            key: ()
            if any(r.target == "-" for r in rows)
            else None
            if any(r.context for r in rows)
            else tuple(rows)
            for key, rows in self._ko.items()
        }
        self._ko_keys: dict[str, str] = {}  # matched text -> its squashed lexicon key

    def __len__(self) -> int:
        return len(self.entries)

    @staticmethod
    def _applicable(rows: list[Entry], text: str, start: int, end: int) -> tuple[Entry, ...]:
        window = None
        with_ctx = []
        plain = []
        for r in rows:
            if r.target == "-":
                return ()
            if r.context:
                if window is None:
                    window = squash(text[max(0, start - CONTEXT_WINDOW) : end + CONTEXT_WINDOW])
                if any(c in window for c in r.context):
                    with_ctx.append(r)
            else:
                plain.append(r)
        return tuple(with_ctx or plain)

    def find(self, text: str, deadline: float | None = None) -> list[Hit]:
        hits: list[Hit] = []
        keys = self._ko_keys
        if len(keys) > 65536:  # matches are lexicon terms give or take spaces; bound it anyway
            keys.clear()
        for start, end in self._ko_scan.spans(text):
            if deadline is not None:
                check_time(deadline)
            matched = text[start:end]
            key = keys.get(matched)
            if key is None:
                key = keys[matched] = squash(matched)
            rows = self._ko.get(key)
            if not rows:
                continue
            entries = self._ko_fixed[key]
            if entries is None:
                entries = self._applicable(rows, text, start, end)
            if entries:
                hits.append(Hit(rows[0].term, start, end, entries))
        if self._en:
            toks = list(_WORD_RE.finditer(text))  # places read only where a term may start
            stems = [stem(t.group()) for t in toks]
            i = 0
            while i < len(toks):
                if deadline is not None:
                    check_time(deadline)
                cands = self._en.get(stems[i])
                if cands is None:  # most tokens start no term
                    i += 1
                    continue
                matched = False
                for cand, caps, rows in cands:
                    n = len(cand)
                    if tuple(stems[i : i + n]) != cand:
                        continue
                    if caps and not toks[i].group().isupper():
                        continue
                    # tokens of a phrase must be adjacent (spaces/hyphens only)
                    if n > 1 and any(
                        not re.fullmatch(r"[\s\-'’]*", text[toks[j].end() : toks[j + 1].start()])
                        for j in range(i, i + n - 1)
                    ):
                        continue
                    s, e = toks[i].start(), toks[i + n - 1].end()
                    entries = self._applicable(rows, text, s, e)
                    if entries:
                        hits.append(Hit(rows[0].term, s, e, entries))
                    i += n
                    matched = True
                    break
                if not matched:
                    i += 1
        hits.sort(key=lambda h: h.start)
        return hits


def read_entries(path: Path | str = LEXICON_PATH) -> list[Entry]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            term = (row.get("term") or "").strip()
            if not term:
                continue
            ctx = tuple(squash(c) for c in (row.get("context") or "").split("|") if c.strip())
            out.append(
                Entry(
                    term=term,
                    lang=(row.get("lang") or "ko").strip(),
                    target=(row.get("target") or "").strip(),
                    weight=float(row.get("weight") or 1),
                    context=ctx,
                )
            )
    return out


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    return Lexicon(read_entries(path or LEXICON_PATH))

"""Compile many literal phrases into one fast regular expression.

Python's ``re`` tries alternatives one by one, so ``a|b|c|...`` over 1,000
terms is slow. Nesting the alternation as a character trie means that at each
text position only the branch starting with that character is explored, which
makes a single ``finditer`` pass over a document cheap (an Aho-Corasick-like
scan). Longer continuations are tried first, so the longest phrase wins.

``flexible_space=True`` lets an optional space stand between any two
characters of a phrase: Korean compounds are written both ways
("탄소중립" / "탄소 중립", "음식물쓰레기" / "음식물 쓰레기"). Only a match that starts a word may
hold such a space: "산림이나 무단경작지" holds "나 무", which is not "나무" (tree) but the end of
one word and the start of the next. A match without a space may start inside a word, since
Korean compounds ("소나무") and particles ("나무를") are written without one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate


def _compact(phrase: str) -> str:
    return re.sub(r"\s+", "", phrase)


def trie_pattern(phrases: Iterable[str], *, flexible_space: bool = False) -> str:
    trie: dict = {}
    for p in phrases:
        p = _compact(p) if flexible_space else p
        if not p:
            continue
        node = trie
        for ch in p:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict, first: bool, sep: str) -> str:
        ends = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            rest = build(node[ch], False, sep)
            if first and sep:
                # After the first character, look back past it: spaces only where no letter or
                # digit comes before the match. The first character stays a plain literal, so
                # the scan still jumps to the characters a phrase can start with.
                solid = build(node[ch], False, "")
                rest = f"(?:(?<!\\w.){rest}|(?<=\\w.){solid})" if rest != solid else rest
            branches.append(re.escape(ch) + rest)
        if not branches:
            return ""
        if len(branches) == 1:
            body = branches[0]
            grouped = body if len(body) == 1 or (body.startswith("\\") and len(body) == 2) else f"(?:{body})"
        else:
            grouped = "(?:" + "|".join(branches) + ")"
        prefix = "" if first else sep
        if ends:
            if prefix:
                return f"(?:{prefix}{grouped})?"
            return f"(?:{grouped})?"
        if prefix:
            return prefix + grouped
        return grouped

    return build(trie, True, "[ \\t]?" if flexible_space else "")


def compile_phrases(phrases: Iterable[str], *, flexible_space: bool = False, flags: int = 0) -> re.Pattern:
    pat = trie_pattern(phrases, flexible_space=flexible_space)
    if not pat:
        pat = r"(?!x)x"  # matches nothing
    return re.compile(pat, flags)


#: The spaces a flexible match may hold: a space or tab with no other space or tab beside it
#: (``[ \t]?`` between two characters of a phrase). Removing one that stands beside a character
#: no phrase holds (a line break, the ends) changes no match.
_LONE_SPACE_RE = re.compile(r"(?<![ \t])[ \t](?![ \t])")


class PhraseScanner:
    """The spans ``compile_phrases(phrases, flexible_space=...).finditer`` gives, found by an
    Aho-Corasick automaton (ahocorasick-rs) in one pass over the text.

    The regex tries every phrase starting with the character at each position, which made it a
    tenth of the engine's time on Korean text (most syllables start some term). Here every
    occurrence of every phrase is found at once in the text with its lone spaces removed; an
    occurrence holding a removed space counts only where a word starts (as in the regex); then,
    as ``finditer`` does, the leftmost start wins with its longest phrase, and the scan goes on
    after it. ``tests/evidence/test_pipeline_trie.py`` holds the two to the same answers.
    """

    def __init__(self, phrases: Iterable[str], *, flexible_space: bool = True):
        import ahocorasick_rs

        self.flexible_space = flexible_space
        found = sorted({p for p in (map(_compact, phrases) if flexible_space else phrases) if p})
        self._ac = ahocorasick_rs.AhoCorasick(found) if found else None

    def spans(self, text: str) -> list[tuple[int, int]]:
        if self._ac is None or not text:
            return []
        if not self.flexible_space:
            pieces = [text]
        elif "\t" in text or "  " in text:
            pieces = _LONE_SPACE_RE.split(text)
        else:
            pieces = text.split(" ")  # in clean text every space stands alone
        longest: dict[int, int] = {}  # start -> end of the longest phrase starting there
        if len(pieces) == 1:
            for _i, s, e in self._ac.find_matches_as_indexes(text, overlapping=True):
                if longest.get(s, 0) < e:
                    longest[s] = e
        else:
            # the squashed text's index i is the text's index i + (spaces removed before it)
            cuts = list(accumulate(map(len, pieces)))
            cuts.pop()
            for _i, ts, te in self._ac.find_matches_as_indexes("".join(pieces), overlapping=True):
                k = bisect_right(cuts, ts)
                s = ts + k
                k_end = bisect_right(cuts, te - 1)
                if k_end != k and s and (text[s - 1].isalnum() or text[s - 1] == "_"):
                    continue  # holds a space but starts inside a word (regex: (?<=\w.) solid)
                e = te + k_end
                if longest.get(s, 0) < e:
                    longest[s] = e
        out = []
        pos = 0
        for s in sorted(longest):
            if s >= pos:
                pos = longest[s]
                out.append((s, pos))
        return out

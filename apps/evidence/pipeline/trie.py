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
from collections.abc import Iterable


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

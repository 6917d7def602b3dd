"""Compile many literal phrases into one fast regular expression.

Python's ``re`` tries alternatives one by one, so ``a|b|c|...`` over 1,000
terms is slow. Nesting the alternation as a character trie means that at each
text position only the branch starting with that character is explored, which
makes a single ``finditer`` pass over a document cheap (an Aho-Corasick-like
scan). Longer continuations are tried first, so the longest phrase wins.

``flexible_space=True`` lets an optional space stand between any two
characters of a phrase: Korean compounds are written both ways
("탄소중립" / "탄소 중립", "음식물쓰레기" / "음식물 쓰레기").
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
    sep = "[ \\t]?" if flexible_space else ""

    def build(node: dict, first: bool) -> str:
        ends = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            branches.append(re.escape(ch) + build(node[ch], False))
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

    return build(trie, True)


def compile_phrases(phrases: Iterable[str], *, flexible_space: bool = False, flags: int = 0) -> re.Pattern:
    pat = trie_pattern(phrases, flexible_space=flexible_space)
    if not pat:
        pat = r"(?!x)x"  # matches nothing
    return re.compile(pat, flags)

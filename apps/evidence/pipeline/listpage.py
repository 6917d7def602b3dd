"""Pages that list several resources (a publications page, a notice board).

A list page is a run of bulleted headlines, each followed by its own
paragraph(s): ``• [사례연구] No.16 …`` then a description, ``• VLR GuideON``
then a description, and so on. We require at least :data:`MIN_ITEMS` such
items, that most bullets have a body of their own (a news article's sub-headline
bullets come in a block *before* the body, so they do not qualify), and that
the page states no publication dateline (an article with bulleted sections is
still one article).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clean import Cleaned
from .text import is_paragraph, nonspace_len

MIN_ITEMS = 3
LIST_BULLETS = frozenset("•·▪▫◦●○■□▶►*")
LANGUAGE_MARKER_RE = re.compile(
    r"\s*[\(\[]?\s*(영문|국문|한글|영어|English|Korean|EN|KO|ENG|KOR)\s*[\)\]]?\s*$",
    re.IGNORECASE,
)


@dataclass
class Item:
    title: str
    body: str


def strip_language_marker(title: str) -> str:
    """'… 시민실천사업(영문)' -> '… 시민실천사업': language versions of one resource."""
    return LANGUAGE_MARKER_RE.sub("", title).strip()


def split_list_page(c: Cleaned) -> list[Item]:
    """Items of a list page, or [] when the page is a single document."""
    if any(ln.kind == "dateline" for ln in c.lines[: c.body_end]):
        return []
    items: list[tuple[str, list[str]]] = []
    for i in range(min(c.body_end, len(c.lines))):
        ln = c.lines[i]
        if ln.kind != "text":
            continue
        if ln.bullet in LIST_BULLETS and not is_paragraph(ln.text) and nonspace_len(ln.text) <= 120:
            items.append((ln.text, []))
        elif items:
            items[-1][1].append(ln.text)
    with_body = [(t, b) for t, b in items if sum(nonspace_len(x) for x in b) >= 15]
    if len(with_body) < MIN_ITEMS or len(with_body) < 0.75 * len(items):
        return []
    return [Item(title=t, body="\n".join(b)) for t, b in with_body]

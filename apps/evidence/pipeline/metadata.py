"""Metadata stated in a page: dates, author, publisher, permanent link, language.

Dates (never invented):

* ``published`` comes from a *dateline*: a short line that is essentially a
  date (+ time, label, reporter, organisation) placed after the headline or
  at the top of the body (``등록 2024-10-24 10:20:01``, ``기사등록 …``,
  ``입력 2024.08.06``, ``2021.07.02 고용노동부``, ``2018-10-05 고광섭 기자``,
  ``안양똑딱이 2020. 7. 1. 16:31``), or from a labelled line anywhere in the
  article (``발행일``, ``date``, ``Published`` …). A date inside a body
  sentence is an event date, not the publication date.
* ``page_date`` is a date printed *before* the headline (a page header, often
  beside a weather widget: ``2024.07.26 (금)``). It is not the article's date.
* Dates without a year ("19일", "7월 4일") give nothing. Month-level dates
  ("2022년 4월") are not reported: ``published`` is a day or None.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .clean import BYLINE_RE, DATE_LABEL_RE, EMAIL_RE, Cleaned
from .dates import find_dates, first_date, strip_dates
from .text import URL_RE, hangul_ratio, http_url, nonspace_len

PERMALINK_RE = re.compile(
    r"(고유\s?링크|퍼가실|출처|원문|기사\s?url|permalink|permanent link|source)",
    re.IGNORECASE,
)
LABELLED_RE = re.compile(
    r"^\W*(기사\s*등록|등록일?|입력|발행일?|작성일|게재일?|송고|기사입력|date|published|posted)\s*[:：]?",
    re.IGNORECASE,
)
ORG_SUFFIX_RE = re.compile(
    r"([가-힣A-Za-z·]{2,20}(?:부|처|청|원|위원회|공단|공사|재단|협회|사무소|연구원|센터|진흥원|시청|군청|구청|도청|시|군|구|도))\s*$"
)
PRESS_SOURCE_RE = re.compile(r"이 자료는\s*([가-힣A-Za-z·\s]{2,30}?)의 보도자료")
NAME_ONLY_RE = re.compile(r"^[가-힣]{2,4}$")
#: The role words BYLINE_RE requires (객원기자 holds 기자).
BYLINE_WORDS = ("기자", "특파원", "통신원", "리포터")


@dataclass
class Meta:
    published: dt.date | None = None
    page_date: dt.date | None = None
    author: str = ""
    publisher: str = ""
    source_url: str = ""
    language: str = "ko"


def _head_range(c: Cleaned) -> range:
    """Lines between the headline and the second body line: where datelines live."""
    start = (c.title_idx + 1) if c.title_idx is not None else 0
    stop = c.body_idx[1] if len(c.body_idx) > 1 else min(len(c.lines), start + 12)
    return range(start, min(stop, len(c.lines)))


#: A publication label directly followed by its date, anywhere in a short
#: meta line ("작성자 관리자 | 작성일 2023-05-02 | 조회수 120").
PUB_LABEL_DATE_RE = re.compile(
    r"(기사\s*등록|등록일?|입력|발행일?|작성일|게재일?|송고(?:시간)?|기사입력|기사승인|승인|"
    r"published|posted)\s*(?:일시|시간)?\s*[:：]?\s*(?=(?:19|20)\d\d\s?[.\-/년])",
    re.IGNORECASE,
)
#: Labels of a later revision: their date is not the publication date.
UPDATE_LABEL_RE = re.compile(r"(최종\s*)?수정|업데이트|updated|modified", re.IGNORECASE)


def _labelled_pub_date(text: str) -> dt.date | None:
    """The date right after a publication label (입력 …, 작성일 …), if any."""
    m = PUB_LABEL_DATE_RE.search(text)
    return first_date(text[m.end() :]) if m else None


def _line_date(text: str) -> dt.date | None:
    return _labelled_pub_date(text) or first_date(text)


def _is_update_only(text: str) -> bool:
    return bool(UPDATE_LABEL_RE.search(text)) and not PUB_LABEL_DATE_RE.search(text)


def _published(c: Cleaned) -> dt.date | None:
    # 1. a dateline right under the headline / at the top of the body; a line
    #    that only states a revision date ("최종수정 …") gives way to a later
    #    publication line ("입력 …") in the same block
    fallback = None
    for i in _head_range(c):
        ln = c.lines[i]
        if not ln.has_date:
            continue
        if (
            ln.kind == "dateline"
            or LABELLED_RE.match(ln.text)
            or (nonspace_len(ln.text) <= 80 and PUB_LABEL_DATE_RE.search(ln.text))
        ):
            if _is_update_only(ln.text):
                fallback = fallback or first_date(ln.text)
                continue
            return _line_date(ln.text)
    if fallback:
        return fallback
    # 2. a labelled date anywhere in the article region
    for i in range(c.title_idx or 0, min(c.body_end + 3, len(c.lines))):
        ln = c.lines[i]
        if ln.has_date and (
            LABELLED_RE.match(ln.text) or (nonspace_len(ln.text) <= 80 and PUB_LABEL_DATE_RE.search(ln.text))
        ):
            return _line_date(ln.text)
    # 3. HTML metadata (article:published_time)
    meta = c.html_meta.get("published") if c.html_meta else None
    if meta:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", meta)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


def _page_date(c: Cleaned) -> dt.date | None:
    stop = c.title_idx if c.title_idx is not None else 0
    for i in range(stop):
        ln = c.lines[i]
        if ln.has_date and (ln.kind == "dateline" or nonspace_len(ln.text) <= 30):
            return first_date(ln.text)
    return None


def _author(c: Cleaned) -> str:
    rng = list(_head_range(c))
    for i in rng:
        ln = c.lines[i]
        if ln.bullet and NAME_ONLY_RE.match(ln.text) and i - (c.title_idx or 0) <= 3:
            return ln.text
    region = [c.lines[i].text for i in rng] + [c.lines[i].text for i in c.body_idx[:2]]
    region += [c.lines[i].text for i in c.body_idx[-2:]]
    for t in region:
        # the pattern needs one of its role words: lines without any (most body lines) are passed
        m = any(word in t for word in BYLINE_WORDS) and BYLINE_RE.search(t)
        if m:
            return m.group(2).replace(" ", "") if " " in m.group(2) and len(m.group(2)) <= 4 else m.group(2)
    return ""


def _publisher(c: Cleaned) -> str:
    for i in _head_range(c):
        ln = c.lines[i]
        if ln.kind == "dateline" and not BYLINE_RE.search(ln.text):
            rest = strip_dates(ln.text)
            rest = DATE_LABEL_RE.sub(" ", rest).strip(" |·-")
            m = ORG_SUFFIX_RE.search(rest)
            if m and not EMAIL_RE.search(rest):
                return m.group(1).strip()
    m = PRESS_SOURCE_RE.search(
        c.raw[: c.raw.find("\n", len(c.raw) // 2) if len(c.raw) > 4000 else len(c.raw)]
    )
    if m:
        return m.group(1).strip()
    return ""


def _source_url(c: Cleaned) -> str:
    lines = c.lines
    stop = min(len(lines), c.body_end + 8)
    for i in range(c.body_start, stop):
        ln = lines[i]
        if ln.kind == "url" or (nonspace_len(ln.text) < 120 and URL_RE.search(ln.text)):
            window = " ".join(lines[j].text for j in range(max(0, i - 2), i + 1))
            if PERMALINK_RE.search(window):
                m = URL_RE.search(ln.text)
                if m and (url := http_url(m.group())):
                    return url
    if c.html_meta and c.html_meta.get("source_url"):
        return c.html_meta["source_url"]
    return ""


def language_of(text: str) -> str:
    return "ko" if hangul_ratio(text[:5000]) >= 0.2 else "en"


def extract_metadata(c: Cleaned) -> Meta:
    published = _published(c)
    page_date = _page_date(c)
    if published and page_date == published:
        page_date = None
    return Meta(
        published=published,
        page_date=page_date,
        author=_author(c),
        publisher=_publisher(c),
        source_url=_source_url(c),
        language=language_of(c.title + "\n" + c.body),
    )


__all__ = ["Meta", "extract_metadata", "find_dates", "language_of"]

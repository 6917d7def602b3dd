"""Separate the article (title + body) from the page furniture around it.

Two inputs:

* **HTML**: script/style/iframe are dropped, trafilatura extracts the main
  text (comments excluded, precision favoured), lxml's text is the fallback;
  the result then goes through the same line rules as text dumps.
* **Text dumps** (a scraped page copied as text, like the seeds): line rules.

Line rules, in order (all general, none keyed to a site):

1. each line is normalised (NFC, spaces) and typed: blank, boilerplate
   (known bilingual phrases, weather widget lines, navigation words),
   end-of-article marker ("많이 본 뉴스", "이전 기사", copyright, comment
   policy ...), dateline, byline, headline candidate, sentence;
2. runs of >= 5 short non-sentence lines are navigation blocks, unless the
   lines form sentences (a TV news script written one phrase per line);
3. the **title** is the first headline candidate before the first body
   paragraph (a breadcrumb's last segment counts as one); a date line before
   the title is the page header's date;
4. the **body** starts after the title and its dateline/byline block (or at
   the first content line when there is no title) and stops at the first
   end-of-article marker; boilerplate lines inside are dropped, repeated lines
   kept once, trailing short lines (channel names, photo credits) trimmed.

The title is never repeated inside the body.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from functools import lru_cache

from .dates import find_dates, first_date, strip_dates
from .text import (
    BULLET_RE,
    EN_SENTENCE_END_RE,
    KO_SENTENCE_END_RE,
    URL_RE,
    http_url,
    is_paragraph,
    is_sentence,
    nonspace_len,
    normalise_line,
    squash,
)
from .trie import compile_phrases, trie_pattern

# --- phrase lists (squashed: lower-case, no spaces) ---------------------------------

#: A line containing one of these (and not much more) is page furniture.
BOILER_PHRASES = tuple(
    squash(p)
    for p in (
        "기사 메일전송",
        "기사수정",
        "기사 스크랩",
        "글자크기",
        "글씨크기",
        "본문 바로가기",
        "메인메뉴 바로가기",
        "주메뉴 바로가기",
        "메뉴 바로가기",
        "바로가기",
        "공유하기",
        "페이스북",
        "트위터",
        "카카오톡 공유",
        "카카오스토리",
        "네이버 블로그",
        "밴드 공유",
        "url 복사",
        "링크 복사",
        "인쇄하기",
        "스크랩",
        "기상청 제공",
        "전자정부 누리집",
        "공식 전자정부",
        "누리집입니다",
        "콘텐츠 영역",
        "본문 영역",
        "브리핑룸",
        "이미지 확대",
        "사진 확대",
        "구독 신청",
        "구독신청",
        "뉴스레터",
        "기사제보",
        "제보하기",
        "광고문의",
        "로그인",
        "회원가입",
        "전체메뉴",
        "검색어 입력",
        "닫기",
        "이 자료는",
        "전재하여 제공",
        "좋아요",
        "추천하기",
        "top",
        "맨 위로",
        "skip to content",
        "skip to main",
        "share this",
        "share on",
        "sign in",
        "log in",
        "sign up",
        "subscribe",
        "advertisement",
        "cookie",
        "print this",
        "tweet",
        "read more",
        "back to top",
        "menu",
        "search",
        "조회수",
        "첨부파일",
        "담당부서",
        "담당자",
        "작성자",
        "전체기사",
        "기사목록",
        "뉴스홈",
    )
)

#: Lines that end the article once the body has started (and are dropped before).
END_PHRASES = tuple(
    squash(p)
    for p in (
        "많이 본 뉴스",
        "많이본 뉴스",
        "가장 많이 본",
        "인기 기사",
        "인기기사",
        "이전 기사",
        "다음 기사",
        "이전다음기사",
        "관련 기사",
        "관련기사",
        "관련 뉴스",
        "관련뉴스",
        "포토뉴스",
        "추천 뉴스",
        "추천뉴스",
        "최신 기사",
        "최신기사",
        "주요기사",
        "주요 뉴스",
        "오늘의 뉴스",
        "핫이슈",
        "기획이슈",
        "지역네트워크",
        "목록 바로가기",
        "목록으로",
        "다른 곳에 퍼가실",
        "고유 링크",
        "나도 한마디",
        "댓글쓰기",
        "댓글 쓰기",
        "댓글 작성",
        "댓글은 자유로운",
        "기사 url이 복사",
        "게시물 운영원칙",
        "운영원칙에 따라",
        "통보없이 삭제",
        "삭제될 수 있습니다",
        "모바일 버전",
        "pc버전",
        "related articles",
        "related stories",
        "most read",
        "most popular",
        "previous article",
        "next article",
        "more stories",
        "you may also like",
        "comments",
        "이전글",
        "다음글",
        "윗글",
        "아랫글",
        "이전 글",
        "다음 글",
        "공감 ",
    )
)

#: Comment-policy and "reuse this link" notices end the article at any length.
POLICY_PHRASES = tuple(
    squash(p)
    for p in (
        "게시물 운영원칙",
        "운영원칙에 따라",
        "댓글은 자유로운",
        "통보없이 삭제",
        "통보 없이 삭제",
        "삭제될 수 있습니다",
        "삭제 또는 계정",
        "다른 곳에 퍼가실",
        "고유 링크 주소",
        "comment policy",
        "community guidelines",
    )
)

#: Copyright lines end the article at any length.
COPYRIGHT_PHRASES = tuple(
    squash(p)
    for p in (
        "무단전재",
        "무단 전재",
        "재배포 금지",
        "재배포금지",
        "저작권자",
        "copyright",
        "all rights reserved",
    )
)
COPYRIGHT_RE = re.compile(r"^[\[<(]?\s*[ⓒ©]")
#: What ends the article by a line's length: copyright up to 150 characters, "most read" and the
#: like up to 40, comment policy up to 250; one scan of the line for all that apply.
_ENDING_PHRASES = (
    COPYRIGHT_PHRASES + END_PHRASES + POLICY_PHRASES,
    COPYRIGHT_PHRASES + POLICY_PHRASES,
    POLICY_PHRASES,
)
#: "[관련뉴스] 서울시, …", "관련 기사: …", "Related news: …": a list of other articles
#: begins, at any line length.
RELATED_RE = re.compile(
    r"^[\[<(【]?\s*(?:관련\s?(?:뉴스|기사)|related\s+(?:news|articles?|stories))\s*(?:[\]>)】:：▶]|$)",
    re.IGNORECASE,
)

NAV_WORDS = frozenset(
    squash(p)
    for p in (
        "목록",
        "인쇄",
        "이전",
        "다음",
        "닫기",
        "공유",
        "댓글",
        "더보기",
        "top",
        "home",
        "홈",
        "메뉴",
        "검색",
        "로그인",
        "회원가입",
        "전체메뉴",
        "카카오톡",
        "페이스북",
        "트위터",
        "밴드",
        "url복사",
        "기사수정",
        "기사삭제",
        "뉴스홈",
        "종합뉴스",
        "전체기사",
        "0",
    )
)

WEATHER_RE = re.compile(
    r"(맑음|흐림|구름많음|구름조금|비|눈|소나기|안개|황사)\s*\S{1,6}\s*-?\d+(\.\d+)?\s*(℃|°C)|℃|°C"
)
BREADCRUMB_RE = re.compile(r"\s(?:>|›|»|〉)\s")
BYLINE_RE = re.compile(
    r"(^|[\s\[(=/])([가-힣]{2,4}|[가-힣] [가-힣]{1,2})\s?(기자|특파원|객원기자|통신원|리포터)(\s|$|[\])]|[a-z0-9._-]+@)"
)
# Starts only where a run of address characters starts: tried from every position of a long
# word, the greedy run was rescanned to its end each time (quadratic in the word's length).
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+")
NUMBERED_ITEM_RE = re.compile(r"^\d{1,2}[.)]\s")
QUOTED_RE = re.compile(r"^[\"“‘'「『]\s*(.+?)\s*[\"”’'」』]$")
MD_HEADING_RE = re.compile(r"^#{1,3}\s+")
DATE_LABEL_RE = re.compile(
    r"(기사\s*등록|등록|입력|발행일?|작성일|게재일?|승인|수정일?|업데이트|기사입력|최종수정|송고|date|published|posted|updated)\s*[:：]?",
    re.IGNORECASE,
)


@dataclass
class Line:
    text: str  # normalised, bullet removed
    bullet: str  # the bullet marker, "" if none
    kind: str = "text"  # blank | boiler | end | dateline | byline | nav | text
    has_date: bool = False


@dataclass
class Cleaned:
    title: str
    body: str
    raw: str
    lines: list[Line] = field(default_factory=list)
    title_idx: int | None = None
    body_idx: list[int] = field(default_factory=list)  # line indices kept in body
    body_start: int = 0
    body_end: int = 0  # index of the line after the article (exclusive)
    html_meta: dict = field(default_factory=dict)
    unread_from: int | None = None  # lines from here on were not typed (time budget)


_PHRASE_RES: dict[int, tuple[re.Pattern, re.Pattern, re.Pattern]] = {}


def _phrase_in(low: str, sq: str, phrases: tuple[str, ...]) -> bool:
    """Does the line contain one of ``phrases``? Korean ones inside the squashed line (compounds
    and particles attach), Latin ones as whole words of the lower-cased line ``low``: "top" is a back-to-top link,
    not the end of "to protect" or "department opens" squashed (English headlines were typed
    as furniture and lost)."""
    rxs = _PHRASE_RES.get(id(phrases))
    if rxs is None:
        latin = [p for p in phrases if p.isascii()]
        words = trie_pattern(latin, flexible_space=True) or r"(?!x)x"
        # The words' pattern opens with look-arounds, which keep re from skipping ahead by
        # itself: a class of the phrases' first characters finds where the first could start
        # (most Korean lines have no such letter at all), and the words are tried from there.
        firsts = "".join(sorted({re.escape(p.split()[0][0]) for p in latin if p.split()}))
        rxs = _PHRASE_RES[id(phrases)] = (
            compile_phrases(p for p in phrases if not p.isascii()),
            re.compile(f"[{firsts}]" if firsts else r"(?!x)x"),
            re.compile(r"(?<![a-z0-9])(?:" + words + r")(?![a-z0-9])"),
        )
    if rxs[0].search(sq) is not None:
        return True
    first = rxs[1].search(low)
    return first is not None and rxs[2].search(low, first.start()) is not None


#: Longer lines are never datelines (real ones are under 100 characters): reading every date
#: of a long line to see what else is there is the costly part.
DATELINE_MAX = 300


def is_dateline(text: str) -> bool:
    """A short line whose content is essentially a date (+time, label, name, org)."""
    if nonspace_len(text) > DATELINE_MAX or not find_dates(text):
        return False
    rest = strip_dates(text)
    rest = DATE_LABEL_RE.sub(" ", rest)
    rest = EMAIL_RE.sub(" ", rest)
    rest = _DATELINE_PUNCT_RE.sub(" ", rest).strip()
    return nonspace_len(rest) <= 25


def _is_pipe_menu(text: str) -> bool:
    """``Home | News | Local``, ``블로그 | 이웃추가``: a row of short links, not a headline."""
    if "|" not in text and "｜" not in text:
        return False  # one part only: not a menu row
    parts = [p.strip() for p in _PIPE_SPLIT_RE.split(text)]
    return len(parts) >= 2 and all(0 < nonspace_len(p) <= 8 for p in parts)


_DATELINE_PUNCT_RE = re.compile(r"[|·:,/\-\s()\[\]]+")
_PIPE_SPLIT_RE = re.compile(r"\s[|｜]\s|\s?[|｜]\s?")
_WORD_CHAR_RE = re.compile(r"\w")
_HITS_RE = re.compile(r"(조회|조회수|hits?|views?)[:\d,]+")


#: Lines up to this length are cached: furniture is short, and a long line would pin its memory.
CACHED_LINE_MAX = 200


def _classify_line(raw: str) -> Line:
    if len(raw) > CACHED_LINE_MAX:
        return _type_line(raw)
    text, bullet, kind, has_date = _typed_line(raw)
    return Line(text=text, bullet=bullet, kind=kind, has_date=has_date)


@lru_cache(maxsize=8192)
def _typed_line(raw: str) -> tuple[str, str, str, bool]:
    """A line's type is a function of the line alone, and a site's furniture (menus, weather,
    copyright, "most read") recurs on each of its pages: typed once, looked up afterwards.
    The cache holds tuples; every caller gets its own :class:`Line` to change."""
    line = _type_line(raw)
    return line.text, line.bullet, line.kind, line.has_date


def _type_line(raw: str) -> Line:
    text = normalise_line(raw)
    bullet = ""
    m = BULLET_RE.match(text)
    if m and not NUMBERED_ITEM_RE.match(text):
        bullet = m.group(1)
        text = text[m.end() :].strip()
    text = MD_HEADING_RE.sub("", text)
    line = Line(text=text, bullet=bullet)
    if not text or not _WORD_CHAR_RE.search(text):
        line.kind = "blank"
        return line
    sq = squash(text)
    low = text.lower()
    n = nonspace_len(text)
    line.has_date = first_date(text) is not None
    if (
        COPYRIGHT_RE.match(text)
        or RELATED_RE.match(text)
        or (n <= 250 and _phrase_in(low, sq, _ENDING_PHRASES[0 if n <= 40 else 1 if n <= 150 else 2]))
    ):
        line.kind = "end"
    elif sq in NAV_WORDS or (n <= 3 and not line.has_date) or _is_pipe_menu(text) or _HITS_RE.fullmatch(sq):
        line.kind = "nav"
    elif (n <= 30 and WEATHER_RE.search(text)) or (
        n <= 60 and _phrase_in(low, sq, BOILER_PHRASES) and not is_sentence(text)
    ):
        line.kind = "boiler"
    elif URL_RE.fullmatch(text.strip()):
        line.kind = "url"
    elif line.has_date and is_dateline(text):
        line.kind = "dateline"
    elif n <= 40 and BYLINE_RE.search(text) and not is_sentence(text):
        line.kind = "byline"
    return line


def _ends_sentence(text: str) -> bool:
    return bool(KO_SENTENCE_END_RE.search(text) or EN_SENTENCE_END_RE.search(text))


def _forms_sentences(lines: list[Line], run: list[int]) -> bool:
    """A script (one phrase per line) ends lines like sentences; a menu does not.

    At least 2 lines of several words end like a sentence, making a quarter of
    the run, and the lines average 2 or more words (menus are single words)."""
    texts = [lines[j].text for j in run if lines[j].kind == "text"]
    if not texts:
        return False
    ends = sum(1 for t in texts if " " in t and _ends_sentence(t))
    words = sum(len(t.split()) for t in texts)
    return ends >= 2 and ends * 4 >= len(texts) and words >= 2 * len(texts)


def _mark_short_runs(lines: list[Line], min_run: int = 5, max_len: int = 20) -> None:
    """Runs of many short, non-sentence lines are menus, tickers or tag clouds."""
    run: list[int] = []

    def flush():
        if len(run) >= min_run and not _forms_sentences(lines, run):
            for j in run:
                if lines[j].kind == "text":
                    lines[j].kind = "nav"
        run.clear()

    for i, ln in enumerate(lines):
        if ln.kind == "blank":
            continue
        if nonspace_len(ln.text) <= max_len and not is_sentence(ln.text) and ln.kind != "dateline":
            run.append(i)
        else:
            flush()
    flush()


def _is_title_candidate(ln: Line, allow_bullet: bool) -> bool:
    if ln.kind != "text":
        return False
    if ln.bullet and not allow_bullet:
        return False
    t = ln.text
    n = nonspace_len(t)
    if n < 6 or n > 100 or (" " not in t.strip() and n < 12):
        return False
    if QUOTED_RE.match(t):
        return True
    # Headlines often end in a plain verb with no period ("…누수율 낮춘다",
    # "…미세먼지 줄인다"); a line that long (> 45) or a polite ending is a sentence.
    plain_verb = t.endswith("다") and not t.endswith("니다")
    if plain_verb and n > 45:
        return False
    if (is_sentence(t) and not plain_verb) or t.endswith(("다.", ":")):
        return False
    if EMAIL_RE.search(t) or URL_RE.search(t):
        return False
    if NUMBERED_ITEM_RE.match(t):
        return False
    words = t.split()
    # a menu of sections ("정치 경제 사회") is not a headline
    return not (len(words) >= 3 and all(len(w) <= 2 for w in words))


def _find_title(lines: list[Line]) -> tuple[int | None, str]:
    """Index and text of the headline, searching before the first paragraph."""
    limit = len(lines)
    for i, ln in enumerate(lines):
        if ln.kind == "end":
            limit = i
            break
        if ln.kind == "text" and not ln.bullet and is_paragraph(ln.text):
            limit = i
            break
    for allow_bullet in (False, True):
        for i in range(limit):
            ln = lines[i]
            if ln.kind == "text" and BREADCRUMB_RE.search(ln.text):
                # a breadcrumb ending in a page name ("… > 여성친화도시 5대 목표"), not a section ("… > 보도자료")
                last = Line(text=BREADCRUMB_RE.split(ln.text)[-1].strip(), bullet="")
                if _is_title_candidate(last, False):
                    return i, last.text
                continue
            if _is_title_candidate(ln, allow_bullet):
                return i, ln.text
    return None, ""


#: Where a line splits into sentences: after "다." or "요." (and the spaces there, if any), or
#: after . ! ? followed by spaces and more text. Each match holds the mark that ends the sentence
#: before it: a pattern that starts with a look-behind is tried at every position of the line,
#: one that starts with the mark only where a mark is.
_SENTENCE_END_RE = re.compile(r"\.(?<=[다요]\.)\s*|[.!?]\s+(?=\S)")


def _sentences(text: str) -> list[str]:
    """The sentences of a line, each with its mark, the spaces between them dropped."""
    parts, last = [], 0
    for m in _SENTENCE_END_RE.finditer(text):
        parts.append(text[last : m.start() + 1])
        last = m.end()
    parts.append(text[last:])
    return parts


def _drop_repeated_sentences(text: str, seen: set[str]) -> str:
    """Photo captions are often printed twice in one line; keep each sentence once."""
    parts = _sentences(text)
    if len(parts) < 2:
        return text
    kept = []
    for p in parts:
        key = squash(p)
        if len(key) >= 20 and key in seen:
            continue
        seen.add(key)
        kept.append(p)
    if len(kept) == len(parts):
        return text
    return " ".join(k.strip() for k in kept if k.strip())


def unquote_title(title: str) -> str:
    m = QUOTED_RE.match(title)
    return m.group(1) if m else title


def _classify_lines(text: str, deadline: float | None) -> tuple[list[Line], int | None]:
    """Every line typed; past ``deadline`` (a ``time.monotonic()`` value) the rest are plain
    text, and the index of the first of them comes back so that the caller can say so."""
    raws = text.split("\n")
    lines: list[Line] = []
    for i, raw in enumerate(raws):
        if deadline is not None and time.monotonic() >= deadline:
            for rest in raws[i:]:
                plain = normalise_line(rest)
                lines.append(Line(text=plain, bullet="", kind="text" if plain else "blank"))
            return lines, i
        lines.append(_classify_line(raw))
    return lines, None


def clean_text(text: str, *, title_hint: str = "", deadline: float | None = None) -> Cleaned:
    """Split a text dump into title and clean body (see module doc)."""
    lines, unread_from = _classify_lines(text, deadline)
    _mark_short_runs(lines)

    if title_hint:
        title_idx = None
        title = normalise_line(title_hint)
        for i, ln in enumerate(lines):
            if ln.kind == "text" and ln.text == title:
                title_idx = i
                break
    else:
        title_idx, title = _find_title(lines)

    # Body start: after the title, skipping the dateline/byline/sub-heading block's
    # furniture; without a title, at the first content line.
    if title_idx is not None:
        start = title_idx + 1
    else:  # no headline: whatever precedes the first paragraph is page furniture
        start = next(
            (
                i
                for i, ln in enumerate(lines)
                if ln.kind == "text" and (is_paragraph(ln.text) or is_sentence(ln.text))
            ),
            len(lines),
        )
    body_idx: list[int] = []
    seen: set[str] = {squash(title)} if title else set()
    seen_sentences: set[str] = set()
    end = len(lines)
    started = False
    for i in range(start, len(lines)):
        ln = lines[i]
        if ln.kind == "end":
            if started:
                end = i
                break
            continue
        if ln.kind in ("blank", "boiler", "nav", "url"):
            continue
        if ln.kind in ("dateline", "byline"):
            continue
        if not started and ln.bullet and nonspace_len(ln.text) <= 5:
            continue  # author name bullet under a headline
        if not started and not ln.bullet and " " not in ln.text and nonspace_len(ln.text) <= 12:
            continue  # site/channel name between headline and body ("내손안에서울")
        sq = squash(ln.text)
        if sq in seen:
            continue
        seen.add(sq)
        ln.text = _drop_repeated_sentences(ln.text, seen_sentences)
        if not ln.text:
            continue
        body_idx.append(i)
        started = True

    # trailing furniture: short non-sentence lines at the very end
    while body_idx:
        t = lines[body_idx[-1]].text
        if nonspace_len(t) <= 15 and not is_sentence(t) and not (" " in t and _ends_sentence(t)):
            body_idx.pop()
        else:
            break

    body = "\n".join(
        lines[i].text if not lines[i].bullet else f"{lines[i].bullet} {lines[i].text}" for i in body_idx
    )
    return Cleaned(
        title=unquote_title(title),
        body=body,
        raw=text,
        lines=lines,
        title_idx=title_idx,
        body_idx=body_idx,
        body_start=body_idx[0] if body_idx else start,
        body_end=end,
        unread_from=unread_from,
    )


# --- HTML -------------------------------------------------------------------------


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return bool(re.search(r"<(html|body|head|div|p|article|!doctype)[\s>]", head))


#: An XML declaration naming the page's encoding (``<?xml version="1.0" encoding="euc-kr"?>``):
#: the bytes are already decoded, and lxml refuses a str that still declares an encoding.
XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*>")


def clean_html(html: str, *, deadline: float | None = None) -> Cleaned:
    """Main text of an HTML page via trafilatura, then the line rules."""
    import lxml.html
    from lxml import etree

    meta: dict = {}
    title = ""
    fallback = ""
    html = XML_DECLARATION_RE.sub("", html, count=1)
    try:
        doc = lxml.html.fromstring(html)
        etree.strip_elements(doc, "script", "style", "iframe", "noscript", "template", with_tail=False)
        for prop in (
            "article:published_time",
            "og:article:published_time",
            "datePublished",
            "pubdate",
            "date",
        ):
            vals = doc.xpath(f'//meta[@property="{prop}" or @name="{prop}" or @itemprop="{prop}"]/@content')
            if vals:
                meta["published"] = vals[0]
                break
        # the first usable address; a relative canonical link or an app URL is no address
        for value in doc.xpath('//meta[@property="og:url"]/@content') + doc.xpath(
            '//link[@rel="canonical"]/@href'
        ):
            if url := http_url(value):
                meta["source_url"] = url
                break
        h1 = doc.xpath("//h1")
        if h1:
            title = normalise_line(h1[0].text_content())
        if not title:
            vals = doc.xpath('//meta[@property="og:title"]/@content') or doc.xpath("//title/text()")
            if vals:
                title = normalise_line(vals[0])
        fallback = "\n".join(
            normalise_line(el.text_content())
            for el in doc.iter("p", "h1", "h2", "h3", "h4", "li", "td", "div")
            if el.tag != "div" or not len(el)
        )
        cleaned_html = lxml.html.tostring(doc, encoding="unicode")
    except (etree.ParserError, ValueError):
        cleaned_html = html

    text = ""
    try:
        import trafilatura

        text = (
            trafilatura.extract(
                cleaned_html,
                include_comments=False,
                include_tables=True,
                favor_precision=True,
                deduplicate=True,
            )
            or ""
        )
    except Exception:
        text = ""
    if not text.strip():
        text = fallback
    if title and squash(title) not in squash(text[: len(title) * 3 + 200]):
        text = title + "\n" + text
    cleaned = clean_text(text, title_hint=title, deadline=deadline)
    if not cleaned.title and title:
        cleaned.title = title
    cleaned.raw = html
    cleaned.html_meta = meta
    return cleaned

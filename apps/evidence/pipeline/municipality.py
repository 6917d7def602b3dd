"""Which local government acts in a document (a 5-digit code), if any.

Resolved against the 243 governments of ``fixtures/kr_local_governments.csv``
(17 광역 + 226 기초). Mentions of full names are found in the clean title and
body with one trie regex ("과천시장", "서구청장" contain their names). Each
mention is weighted by where it is and how it is used:

* title 3, body 1, +1 in the lead (first 200 characters of the body); a
  possessive (``화천군의 …``, often a photo caption) counts half and gets no
  lead bonus;
* actor patterns right after the name: ``광명시(시장 박승원)`` +4,
  ``과천시장``/``해남군수``/``서구청장`` +3, a subject particle (``충주시가``,
  ``서울시는``) +2, a headline comma (``중랑구, …``) +3;
* a photo credit (``화천군 제공``) counts 0.

Homonyms (중구 ×6, 서구 ×5, 고성군 ×2, 광주시 …) are resolved with a province
named just before (``대전 서구``, ``경남 고성군``), else with the provinces the
rest of the document names, else with the telephone area codes written in it
(``032-…`` is Incheon) and the 동 names of one candidate only (``운서동`` is 인천
중구's; :mod:`.dongs`), the two agreeing; with no evidence the mention is
dropped rather than guessed. On a page about no SDG topic, a name only in the headline is not
taken. A document is attributed only when the best score reaches
:data:`MIN_SCORE` (one passing mention deep in the body is not an actor), so
national-agency releases get ``None``.
"""

from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .dongs import dong_names
from .text import check_time
from .trie import PhraseScanner, compile_phrases

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
MIN_SCORE = 3.0
LEAD_CHARS = 200

# province short forms used as prefixes ("대전 서구", "경남 고성군") -> 2-digit code
PROVINCE_PREFIXES = {
    "서울": "11",
    "부산": "26",
    "대구": "27",
    "인천": "28",
    "광주": "29",
    "대전": "30",
    "울산": "31",
    "세종": "36",
    "경기": "41",
    "충북": "43",
    "충남": "44",
    "전남": "46",
    "경북": "47",
    "경남": "48",
    "제주": "50",
    "강원": "51",
    "전북": "52",
    "충청북도": "43",
    "충청남도": "44",
    "전라남도": "46",
    "경상북도": "47",
    "경상남도": "48",
    "강원도": "51",
    "전라북도": "52",
    "경기도": "41",
    "제주도": "50",
    "서울시": "11",
    "부산시": "26",
    "대구시": "27",
    "인천시": "28",
    "대전시": "30",
    "울산시": "31",
    "경남도": "48",
    "경북도": "47",
    "충남도": "44",
    "충북도": "43",
    "전남도": "46",
    "전북도": "52",
    # English
    "Seoul": "11",
    "Busan": "26",
    "Daegu": "27",
    "Incheon": "28",
    "Gwangju": "29",
    "Daejeon": "30",
    "Ulsan": "31",
    "Sejong": "36",
    "Gyeonggi": "41",
    "North Chungcheong": "43",
    "South Chungcheong": "44",
    "Chungcheongbuk-do": "43",
    "Chungcheongnam-do": "44",
    "South Jeolla": "46",
    "Jeollanam-do": "46",
    "North Gyeongsang": "47",
    "Gyeongsangbuk-do": "47",
    "South Gyeongsang": "48",
    "Gyeongsangnam-do": "48",
    "Jeju": "50",
    "Gangwon": "51",
    "North Jeolla": "52",
    "Jeollabuk-do": "52",
    "Jeonbuk": "52",
}

# Telephone area codes (the national numbering plan) -> province prefix: a homonym such
# as 중구/서구 with no province named is resolved by the city's own phone numbers
# ("문의 032-760-1234" is Incheon). Mobile (010) and 070 numbers name no place.
AREA_CODES = {
    "02": "11",
    "031": "41",
    "032": "28",
    "033": "51",
    "041": "44",
    "042": "30",
    "043": "43",
    "044": "36",
    "051": "26",
    "052": "31",
    "053": "27",
    "054": "47",
    "055": "48",
    "061": "46",
    "062": "29",
    "063": "52",
    "064": "50",
}
# The area code is group 1 after "(", group 2 without; each alternative opens with its first
# character and looks behind it after (no digit or dash before the number), so re skips to the
# places a number can start instead of trying every position of the page.
PHONE_RE = re.compile(r"(?:\((?<![\d-]\()(0\d{1,2})|(0(?<![\d-]0)\d{1,2}))\)?[-.) ]?\d{3,4}[-. ]\d{4}(?!\d)")

# English forms of a government's name: "Gwangmyeong-si" -> "Gwangmyeong City" ...
EN_SUFFIX_FORMS = {
    "-si": (
        "{b}-si",
        "{b} City",
        "City of {b}",
        "{b} Metropolitan City",
        "{b} Metropolitan Government",
    ),
    "-gun": ("{b}-gun", "{b} County"),
    "-gu": ("{b}-gu", "{b} District", "{b}-gu District", "{b}-gu Office"),
    "-do": ("{b}-do", "{b} Province", "{b} Provincial Government"),
}
EN_PROVINCE_FORMS = (
    "{b} Metropolitan City",
    "{b} Metropolitan Government",
    "{b} City",
    "City of {b}",
    "{b} Special City",
    "{b} Province",
    "{b} Provincial Government",
    "{b} Special Self-Governing Province",
    "{b} Special Self-Governing City",
)

# Province aliases that name the government itself (an actor, e.g. "서울시는").
PROVINCE_ALIASES = {
    "11000": ["서울시"],
    "26000": ["부산시"],
    "27000": ["대구시"],
    "28000": ["인천시"],
    "29000": ["광주광역시"],
    "30000": ["대전시"],
    "31000": ["울산시"],
    "36000": ["세종시"],
    "41000": ["경기도"],
    "43000": ["충북도", "충청북도"],
    "44000": ["충남도", "충청남도"],
    "46000": ["전남도", "전라남도"],
    "47000": ["경북도", "경상북도"],
    "48000": ["경남도", "경상남도"],
    "50000": ["제주도", "제주시", "서귀포시"],
    "51000": ["강원도"],
    "52000": ["전북도", "전라북도"],
}

# 35 non-autonomous districts (일반구) belong to their city (README of the fixture).
GENERAL_DISTRICTS = {
    "41110": "장안구 권선구 팔달구 영통구",
    "41130": "수정구 중원구 분당구",
    "41170": "만안구 동안구",
    "41190": "원미구 소사구 오정구",
    "41270": "상록구 단원구",
    "41280": "덕양구 일산동구 일산서구",
    "41460": "처인구 기흥구 수지구",
    "43110": "상당구 서원구 흥덕구 청원구",
    "44130": "동남구 서북구",
    "52110": "완산구 덕진구",
    "48120": "의창구 성산구 마산합포구 마산회원구 진해구",
}

ACTOR_AFTER_RE = re.compile(r"^\s?\(\s?(시장|군수|구청장|도지사|지사|청장)")
OFFICIAL_AFTER_RE = re.compile(r"^(장|수|청장|청|의회|지사)(?=[\s은는이가을의,.“\"']|$)")
SUBJECT_AFTER_RE = re.compile(
    r"^(은|는|이|가|에서는|도)(?=\s)|^\s(said|says|announced|announces|will|has|have|plans|launched|launches|opened|"
    r"held|adopted|adopts|started|introduced|expands|expanded|signed|signs|unveiled|unveils|completed|"
    r"completes|opens|built|builds|installed|installs|hosted|hosts|runs|released|releases|designated|"
    r"designates|received|receives|joined|joins|invested|invests|is|was|aims|began|begins|sets|created|"
    r"creates|provides|provided|offers|offered|supports|supported|restored|restores|converted|converts|"
    r"reduced|reduces|approved|approves|passed|declared|declares|pledged|pledges|secured|allocated)\b"
)
CREDIT_AFTER_RE = re.compile(r"^\s?(제공|홈페이지)")
REPORT_RE = re.compile(r"(밝혔다|전했다|했다고|한다고|나섰다|개최했다|추진한다)")


@dataclass(frozen=True)
class Gov:
    code: str
    name: str
    level: str
    parent: str  # 2-digit province prefix
    name_en: str = ""


@lru_cache(maxsize=1)
def governments() -> dict[str, Gov]:
    out: dict[str, Gov] = {}
    with open(FIXTURES / "kr_local_governments.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[row["code"]] = Gov(
                row["code"],
                row["name_ko"],
                row["level"],
                row["code"][:2],
                row["name_en"] or "",
            )
    return out


def _english_aliases(g: Gov) -> list[str]:
    en = g.name_en.strip()
    if not en:
        return []
    if g.level == "province":
        base = re.sub(r"-(si|do)$", "", en)
        forms = EN_PROVINCE_FORMS + (("{b}-do",) if en.endswith("-do") else ())
        return [f.format(b=base) for f in forms]
    for suf, forms in EN_SUFFIX_FORMS.items():
        if en.endswith(suf):
            base = en[: -len(suf)]
            return [f.format(b=base) for f in forms]
    return [en]


@lru_cache(maxsize=1)
def _alias_index() -> tuple[dict[str, list[str]], re.Pattern]:
    aliases: dict[str, list[str]] = {}

    def add(alias: str, code: str) -> None:
        lst = aliases.setdefault(alias, [])
        if code not in lst:
            lst.append(code)

    for g in governments().values():
        add(g.name, g.code)
        for alias in _english_aliases(g):
            add(alias, g.code)
    # English headlines name a city bare ("Gimhae signs …", "Suwon opens …"):
    # the base of every "-si" name is an alias; when it is also a province's
    # base ("Gwangju") it is a homonym resolved like any other
    bare: dict[str, list[str]] = {}
    for g in governments().values():
        en = g.name_en.strip()
        if g.level != "province" and en.endswith("-si"):
            bare.setdefault(en[:-3], []).append(g.code)
    for g in governments().values():
        en = g.name_en.strip()
        base = re.sub(r"-(si|do)$", "", en)
        if g.level == "province" and base in bare:
            bare[base].append(g.code)
    for base, codes in bare.items():
        for code in codes:
            add(base, code)
    for code, names in PROVINCE_ALIASES.items():
        for n in names:
            add(n, code)
    add("광주시", "29000")  # 광주광역시 is often "광주시" too; homonym of 경기 광주시
    for city, districts in GENERAL_DISTRICTS.items():
        for d in districts.split():
            if d not in aliases:
                add(d, city)
    return aliases, compile_phrases(aliases.keys())


@lru_cache(maxsize=1)
def _alias_scanner() -> PhraseScanner:
    """The names of :func:`_alias_index` found in one pass (the regex's matches, faster)."""
    return PhraseScanner(_alias_index()[0].keys(), flexible_space=False)


@lru_cache(maxsize=1)
def _province_scanner() -> PhraseScanner:
    """Province prefixes anywhere, longest first ("충청북도" before "충북")."""
    return PhraseScanner(PROVINCE_PREFIXES, flexible_space=False)


@lru_cache(maxsize=1)
def _prefix_re() -> re.Pattern:
    names = sorted(PROVINCE_PREFIXES, key=len, reverse=True)
    return re.compile(r"(" + "|".join(names) + r")\s?(?:[가-힣]{0,2}\s)?$")


def normalise_code(code: str | None) -> str | None:
    """Map codes from other schemes onto the fixture's 243 codes.

    36110 (세종, single tier) -> 36000; 501x0 (제주시/서귀포시, 행정시) -> 50000;
    a 일반구 code (e.g. 41117 수원시 장안구) -> its city (first 4 digits + "0").
    """
    if not code:
        return None
    code = str(code).strip()
    govs = governments()
    if code in govs:
        return code
    if code == "36110":
        return "36000"
    if code.startswith("50"):
        return "50000"
    city = code[:4] + "0"
    if city in govs:
        return city
    return None


def resolve_name(name: str) -> str | None:
    """Code for a label like '과천시', '대전광역시 서구', '경상남도 고성군', '세종특별자치시'."""
    name = (name or "").strip()
    if not name:
        return None
    if re.fullmatch(r"\d{5}", name):
        return normalise_code(name)
    aliases, _ = _alias_index()
    parts = name.split()
    province = None
    if len(parts) > 1:
        head = parts[0]
        for g in governments().values():
            if g.level == "province" and g.name == head:
                province = g.parent
        if province is None:
            province = PROVINCE_PREFIXES.get(head)
        tail = " ".join(parts[1:])
        # "수원시 장안구" -> the city
        if parts[0] in aliases and tail in aliases and province is None:
            return _pick(aliases[parts[0]], None)
        name = parts[-1]
    codes = aliases.get(name, [])
    return _pick(codes, province)


def _pick(codes: list[str], province: str | None) -> str | None:
    if province:
        codes = [c for c in codes if c[:2] == province]
    return codes[0] if len(codes) == 1 else None


@dataclass
class Mention:
    alias: str
    codes: list[str]
    weight: float
    pos: int
    field: str
    province: str | None


def _mentions(text: str, field: str, deadline: float | None = None) -> list[Mention]:
    aliases, rx = _alias_index()
    out = []
    for s, e in _alias_scanner().spans(text):
        check_time(deadline)
        alias = text[s:e]
        after = text[e : e + 12]
        before = text[max(0, s - 12) : s]
        # "강남구" must not also count as "남구": the trie is leftmost-longest,
        # but a name glued to a preceding Hangul word is part of that word.
        if (
            len(alias) <= 2
            and before
            and re.match(r"[가-힣]", before[-1])
            and not _prefix_re().search(before)
        ):
            continue
        if alias[0].isascii() and (before[-1:].isalnum() or after[:1].isalnum()):
            continue  # English names are whole words
        if CREDIT_AFTER_RE.match(after):
            continue
        if _is_address_prefix(text, e, aliases[alias], rx, aliases):
            continue
        w = 3.0 if field == "title" else 1.0
        if after.startswith("의"):
            w = 1.5 if field == "title" else 0.5  # possessive: a place or an owner, rarely the actor
        elif field == "body" and s < LEAD_CHARS:
            w += 1.0
        if ACTOR_AFTER_RE.match(after):
            w += 4.0
        elif OFFICIAL_AFTER_RE.match(after):
            w += 3.0
        elif SUBJECT_AFTER_RE.match(after):
            w += 2.0
            # the rest of the sentence, at most 200 characters: searching the whole text for
            # the next line break made every mention on one long line cost the line's length
            sentence = text[e : e + 200].split("\n", 1)[0]
            if REPORT_RE.search(sentence):
                w += 1.0
        elif field == "title" and (after.startswith(",") or alias[0].isascii()):
            w += 3.0
        pm = _prefix_re().search(before)
        province = PROVINCE_PREFIXES[pm.group(1)] if pm else None
        out.append(Mention(alias, aliases[alias], w, s, field, province))
    return out


def _is_address_prefix(text: str, end: int, codes: list[str], rx: re.Pattern, aliases: dict) -> bool:
    """``경기도 하남시``, ``서울시 중랑구``: a province named right before one of its own local
    governments is part of that government's address, not a second actor. Counted as a mention,
    the province outscored the city whenever the article also said ``경기도는 …`` once."""
    provinces = {c[:2] for c in codes if c.endswith("000")}
    if not provinces:
        return False
    following = rx.match(text, end + 1 if text[end : end + 1] == " " else end)
    return bool(following) and any(
        c[:2] in provinces and not c.endswith("000") for c in aliases.get(following.group(), ())
    )


def _by_phone_and_dong(
    codes: list[str], district: str, phones: dict[str, float], text: str, deadline: float | None
) -> str | None:
    """The one homonym the text's telephone area codes and 동 names point to, or None: when
    neither decides, or they point to different districts (a ministry's 02 number in a text
    naming 인천 중구's 운서동), nothing is guessed."""
    by_phone = _single_best(codes, lambda c: phones.get(c[:2], 0))
    found = dong_names(text, codes, district, deadline)
    by_dong = _single_best(codes, lambda c: len({name for name, _pos in found.get(c, ())}))
    if by_phone and by_dong and by_phone != by_dong:
        return None
    return by_phone or by_dong


def _single_best(codes: list[str], score) -> str | None:
    ranked = sorted(codes, key=score, reverse=True)
    top = score(ranked[0])
    return ranked[0] if top > 0 and top > score(ranked[1]) else None


def detect_municipality(
    title: str, body: str, *, topical: bool = True, deadline: float | None = None
) -> str | None:
    """Code of the acting government, or None. On a page about no SDG topic
    (``topical=False``) a name only in the headline is not enough: the body must
    name the government too (a headline's "서울" on a sports page is a venue)."""
    mentions = _mentions(title, "title", deadline) + _mentions(body, "body", deadline)
    if not mentions:
        return None
    # Provinces the document talks about: explicit prefixes and unambiguous mentions.
    votes: dict[str, float] = {}
    # the "광주" of an ambiguous "광주시" (광주광역시 or 경기 광주시) is the
    # question, not evidence: a prefix inside a homonym mention votes only a
    # quarter, enough to break a tie, never enough to beat an explicit "경기"
    offset = len(title) + 1
    inside = sorted(
        (mn.pos + (offset if mn.field == "body" else 0), len(mn.alias))
        for mn in mentions
        if len(mn.codes) > 1
    )
    starts = [s for s, _n in inside]
    text = title + "\n" + body
    for s, e in _province_scanner().spans(text):
        p = PROVINCE_PREFIXES[text[s:e]]
        # mentions do not overlap: only the last one starting at or before m can contain it
        # (a bisection; testing every mention for every prefix was quadratic)
        k = bisect.bisect_right(starts, s) - 1
        weak = k >= 0 and s < inside[k][0] + inside[k][1]
        votes[p] = votes.get(p, 0) + (0.25 if weak else 1)
    for mn in mentions:
        if len(mn.codes) == 1:
            p = mn.codes[0][:2]
            votes[p] = votes.get(p, 0) + 0.5

    phones: dict[str, float] = {}
    for m in PHONE_RE.finditer(text):
        p = AREA_CODES.get(m.group(1) or m.group(2))
        if p:
            phones[p] = phones.get(p, 0) + 1

    # 동 names on a page about no SDG topic count from the body only: a headline is not enough there
    dong_text = title + "\n" + body if topical else "\n" + body
    decided: dict[tuple, str | None] = {}
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    for i, mn in enumerate(mentions):
        codes = mn.codes
        if len(codes) > 1 and mn.province:
            codes = [c for c in codes if c[:2] == mn.province] or codes
        if len(codes) > 1:
            ranked = sorted(codes, key=lambda c: votes.get(c[:2], 0), reverse=True)
            top, second = votes.get(ranked[0][:2], 0), votes.get(ranked[1][:2], 0)
            if top == 0:  # no province named: the area codes and the district's 동 names decide
                key = (tuple(codes), mn.alias)  # once per homonym: each call reads the whole text
                if key not in decided:
                    decided[key] = _by_phone_and_dong(codes, mn.alias, phones, dong_text, deadline)
                if decided[key] is None:
                    continue  # a homonym without province evidence: do not guess
                ranked = [decided[key]]
            elif top == second:
                continue  # two provinces named as often: do not guess
            codes = [ranked[0]]
        code = codes[0]
        order = i if mn.field == "title" else 1000 + mn.pos
        scores[code] = scores.get(code, 0.0) + mn.weight
        first.setdefault(code, order)
    if not scores:
        return None
    best = max(scores, key=lambda c: (scores[c], -first[c]))
    if scores[best] < MIN_SCORE:
        return None
    if (
        not topical
        and first[best] < 1000
        and not any(mn.field == "body" and best in mn.codes for mn in mentions)
    ):
        return None
    return best

"""동 names that tell homonym districts apart (중구 ×6, 동구 ×6, 서구 ×5, 남구, 북구, 강서구, 고성군).

A text about "중구" that names no province and no telephone area code may still name the
district's own 동: "신당동", "운서동", "광복동" belong to one 중구 each. The names come from
``fixtures/kr_homonym_dongs.csv``: the current 행정동 and 법정동 (읍/면/동/가; no 리) of every
시군구 whose name two or more 시군구 share, as the Ministry of the Interior and Safety (행정안전부)
code tables list them, built by ``manage.py build_dong_reference`` (:func:`build_rows`) from the
copy that the PyPI package PublicDataReader ships (fixtures/REFERENCE_README.md has the
provenance). Nothing here is typed by hand.

A name counts for a district only when it is a whole word (no Hangul, digit or letter glued before
it; after it only the end of the word or a particle such as 에서/의/일대) and it belongs to exactly
one of the districts in question: "중앙동" of two 중구 says nothing. A name of one syllable plus
its suffix ("명동", "변동", "대동") is too often an ordinary word (변동 = change) and counts only
right after the district's own name ("중구 명동").
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from .text import check_time
from .trie import compile_phrases

FIXTURE = Path(__file__).resolve().parents[3] / "fixtures" / "kr_homonym_dongs.csv"
COLUMNS = ("code", "sigungu_ko", "sido_ko", "source_sigungu_code", "kind", "dong_code", "dong_ko", "created")
SUFFIXES = ("동", "읍", "면", "가")

# The source predates three changes that kr_local_governments.csv (2024-08-01) has: 강원도 (42) became
# 강원특별자치도 (51) on 2023-06-11, 전라북도 (45) became 전북특별자치도 (52) on 2024-01-18, 군위군
# moved from 경북 (47720) to 대구 (27720) on 2023-07-01. The 시군구 part of the code did not change.
RENUMBERED_PROVINCES = {"42": "51", "45": "52"}
MOVED = {"47720": "27720"}

_HANGUL_OR_WORD = re.compile(r"[가-힣\w]")
# what may follow a 동 name in the same word: particles and a few nouns written glued to it
_AFTER_OK = re.compile(
    r"(?:에서는|에서|에는|으로|까지|부터|일대|일원|주민센터|행정복지센터|[은는이가을를의에로과와도])?(?![가-힣\w])"
)


def _columns_to_rows(table: Mapping[str, Mapping[str, object]]) -> list[dict[str, str]]:
    """A pandas ``to_json()`` table (column -> {row index -> value}) as rows; NaN and None -> ""."""
    columns = list(table)
    index = list(table[columns[0]]) if columns else []
    out = []
    for i in index:
        row = {}
        for c in columns:
            v = table[c].get(i)
            row[c] = "" if v is None or (isinstance(v, float) and v != v) else str(v).strip()
        out.append(row)
    return out


def fixture_code(source_code: str) -> str:
    """The code kr_local_governments.csv uses for a 시군구 code of the source (see RENUMBERED_PROVINCES)."""
    if source_code in MOVED:
        return MOVED[source_code]
    head = source_code[:2]
    return RENUMBERED_PROVINCES.get(head, head) + source_code[2:]


def build_rows(
    hdong: Mapping, bdong: Mapping, governments: Mapping[str, str]
) -> tuple[list[dict[str, str]], dict[str, int]]:
    """Rows of kr_homonym_dongs.csv from the two source tables (``code_hdong.json`` with
    ``행정동코드``, ``code_bdong.json`` with ``법정동코드`` and ``동리명``) and ``governments``
    (our code -> Korean name). Abolished rows (a 말소일자) are dropped, then every 시군구 whose name
    (one word: not a 일반구 such as "포항시 남구") is shared by two or more current 시군구 codes
    is kept with its 읍/면/동/가. Raises ValueError when such a 시군구 has no row of the same name
    in ``governments``: a code or name that does not match is never guessed."""
    h_rows = [r for r in _columns_to_rows(hdong) if not r["말소일자"]]
    b_rows = [r for r in _columns_to_rows(bdong) if not r["말소일자"]]
    codes_by_name: dict[str, set[str]] = {}
    for r in h_rows:
        if r["시군구명"] and " " not in r["시군구명"]:
            codes_by_name.setdefault(r["시군구명"], set()).add(r["시군구코드"])
    homonyms = {code for codes in codes_by_name.values() if len(codes) > 1 for code in codes}
    unmatched = sorted(
        f"{c} {name}"
        for name, codes in codes_by_name.items()
        for c in codes
        if c in homonyms and governments.get(fixture_code(c)) != name
    )
    if unmatched:
        raise ValueError("no government of the same code and name for: " + ", ".join(unmatched))
    rows, stats = [], {"homonym_sigungu": len(homonyms), "dropped_ri": 0, "dropped_suffix": 0}
    for kind, source, code_col in (("행정동", h_rows, "행정동코드"), ("법정동", b_rows, "법정동코드")):
        for r in source:
            if r["시군구코드"] not in homonyms or not r["읍면동명"]:
                continue
            if r.get("동리명"):
                stats["dropped_ri"] += 1  # a 리 of a 읍/면: the 읍/면 itself has its own row
                continue
            if not r["읍면동명"].endswith(SUFFIXES):
                stats["dropped_suffix"] += 1  # 대구 중구 남성로, 시장북로: street names as much as places
                continue
            rows.append(
                {
                    "code": fixture_code(r["시군구코드"]),
                    "sigungu_ko": r["시군구명"],
                    "sido_ko": r["시도명"],
                    "source_sigungu_code": r["시군구코드"],
                    "kind": kind,
                    "dong_code": r[code_col],
                    "dong_ko": r["읍면동명"],
                    "created": r["생성일자"],
                }
            )
    rows.sort(key=lambda r: (r["code"], r["kind"] != "행정동", r["dong_code"]))
    stats["rows"] = len(rows)
    return rows, stats


def write_rows(rows: Iterable[dict[str, str]], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, frozenset[str]], re.Pattern]:
    owners: dict[str, set[str]] = {}
    with open(FIXTURE, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            owners.setdefault(row["dong_ko"], set()).add(row["code"])
    frozen = {name: frozenset(codes) for name, codes in owners.items()}
    return frozen, compile_phrases(frozen)


def dong_names(
    text: str, candidates: Iterable[str], district: str, deadline: float | None = None
) -> dict[str, list[tuple[str, int]]]:
    """For each candidate code, the 동 names in ``text`` that belong to it and to no other
    candidate, with their offsets. ``district`` is the homonym as written ("중구"): a
    one-syllable name counts only right after it."""
    owners, rx = _index()
    candidates = set(candidates)
    found: dict[str, list[tuple[str, int]]] = {}
    for m in rx.finditer(text):
        check_time(deadline)
        name, start = m.group(), m.start()
        mine = owners[name] & candidates
        if len(mine) != 1:
            continue
        if start and _HANGUL_OR_WORD.match(text[start - 1]):
            continue  # inside a longer word
        if not _AFTER_OK.match(text, m.end()):
            continue
        if len(name) <= 2 and not text[max(0, start - len(district) - 1) : start].strip().endswith(district):
            continue
        found.setdefault(next(iter(mine)), []).append((name, start))
    return found

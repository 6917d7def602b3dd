"""Region names and codes, as statistics tables write them, → our municipalities.

Our municipalities are keyed by the MOIS (행정안전부) 행정기관코드, first 5 digits
(``fixtures/kr_local_governments.csv``). Tables name regions in other ways:

- by name, often with the province in another column or before the name (``서울특별시 중구``);
  ``중구``, ``서구``, ``동구``, ``남구``, ``북구``, ``강서구``, ``고성군`` repeat across provinces, so
  such a name never resolves without its province (an error lists the candidates);
- by a code of another time: the codes that changed are in :data:`CROSSWALK`, each with the
  dates it was valid, so a code is read as of the period of the value it labels;
- by a 10-digit MOIS code (the first five digits are the 시군구), a KOSTAT 행정구역분류 code (only
  those listed below), or the codes ``kr_local_governments.csv`` says other sources use
  (세종 36110, 제주 50110/50130).

Only codes from the reference notes are listed (``../shared/reference/README.md``, "Caveats";
``docs/research/korea_cycle_frameworks_kosis.md`` §3): none is invented. More KOSTAT codes can be
added to :data:`CROSSWALK` with their source.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from apps.core.exceptions import ApplicationError

from .choices import Level
from .models import Municipality

_OPEN = datetime.date.max


@dataclass(frozen=True)
class CodeLink:
    """``code`` in ``scheme`` meant our municipality ``mois`` from ``valid_from`` to ``valid_to``
    (inclusive); ``prefix`` links every code starting with ``code`` to the same code under
    the prefix ``mois`` (a province renumbered)."""

    scheme: str  # "mois" (행정기관코드) or "kostat" (행정구역분류)
    code: str
    mois: str
    valid_from: datetime.date = datetime.date.min
    valid_to: datetime.date = _OPEN
    prefix: bool = False
    note: str = ""


D = datetime.date
CROSSWALK: tuple[CodeLink, ...] = (
    # 군위군 moved from 경상북도 to 대구광역시 on 2023-07-01 (reference README "Caveats").
    CodeLink("mois", "47720", "27720", valid_to=D(2023, 6, 30), note="경상북도 군위군 → 대구광역시 군위군"),
    # 강원도 → 강원특별자치도 (2023-06-11) and 전라북도 → 전북특별자치도 (2024-01-18) renumbered
    # every code of the province (42xxx → 51xxx, 45xxx → 52xxx).
    CodeLink("mois", "42", "51", valid_to=D(2023, 6, 10), prefix=True, note="강원도 → 강원특별자치도"),
    CodeLink("mois", "45", "52", valid_to=D(2024, 1, 17), prefix=True, note="전라북도 → 전북특별자치도"),
    # Codes other sources use for the single-tier 세종 and Jeju's administrative cities.
    CodeLink("mois", "36110", "36000", note="세종특별자치시 (단층제)"),
    CodeLink("mois", "50110", "50000", note="제주시 (행정시) → 제주특별자치도"),
    CodeLink("mois", "50130", "50000", note="서귀포시 (행정시) → 제주특별자치도"),
    # KOSTAT 행정구역분류 province codes named in the research notes (§3.3).
    CodeLink("kostat", "21", "26000", note="KOSTAT 21 부산광역시"),
    CodeLink("kostat", "31", "41000", note="KOSTAT 31 경기도"),
)

# Names a province had, and until when; and the short names tables use (서울, 경기 …).
_FORMER_NAMES = {
    "강원도": ("51000", D(2023, 6, 10)),
    "전라북도": ("52000", D(2024, 1, 17)),
}
# 군위군 belonged to 경상북도 until 2023-06-30.
_FORMER_PARENTS = {("47000", "군위군"): ("27720", D(2023, 6, 30))}
_SHORT = {
    "11000": "서울",
    "26000": "부산",
    "27000": "대구",
    "28000": "인천",
    "29000": "광주",
    "30000": "대전",
    "31000": "울산",
    "36000": "세종",
    "41000": "경기",
    "43000": "충북",
    "44000": "충남",
    "46000": "전남",
    "47000": "경북",
    "48000": "경남",
    "50000": "제주",
    "51000": "강원",
    "52000": "전북",
}
# Rows that sum several regions: skipped, not errors.
AGGREGATES = {
    "전국",
    "계",
    "소계",
    "합계",
    "총계",
    "전체",
    "읍부",
    "면부",
    "동부",
    "total",
    "subtotal",
    "all",
}


class RegionError(ApplicationError):
    """A region name or code that does not name exactly one of our municipalities."""

    default_code = "unknown_region"


def _period_start(year: int, quarter: int = 0) -> datetime.date:
    return D(year, 1 + 3 * (quarter - 1), 1) if quarter else D(year, 1, 1)


class RegionIndex:
    """Resolves region texts of one table (one query for all municipalities, then memory)."""

    def __init__(self):
        self.by_code: dict[str, Municipality] = {}
        self.provinces: dict[str, Municipality] = {}  # every spelling → province
        self.by_name: dict[str, list[Municipality]] = {}
        for m in Municipality.objects.select_related("parent"):
            self.by_code[m.code] = m
        for m in self.by_code.values():
            if m.level == Level.PROVINCE:
                for spelling in (m.name_ko, m.name_en, _SHORT.get(m.code, "")):
                    if spelling:
                        self.provinces[spelling.lower()] = m
            else:
                for spelling in {m.name_ko, m.name_en}:
                    if spelling:
                        self.by_name.setdefault(spelling.lower(), []).append(m)
        self._former = {
            name: (self.by_code.get(code), until) for name, (code, until) in _FORMER_NAMES.items()
        }

    # -------------------------------------------------------------- codes

    def code(self, code: str, on: datetime.date) -> Municipality:
        code = code.strip()
        if len(code) == 10 and code.isdigit():
            code = code[:5]
        for link in CROSSWALK:
            if link.scheme == "kostat" and len(code) == 2 and code == link.code:
                return self._linked(link, link.mois, code, on)
            if link.scheme != "mois":
                continue
            if link.prefix and len(code) == 5 and code.startswith(link.code):
                return self._linked(link, link.mois + code[len(link.code) :], code, on)
            if not link.prefix and code == link.code:
                return self._linked(link, link.mois, code, on)
        found = self.by_code.get(code)
        if found is None and len(code) == 5 and code.isdigit() and code[4] != "0":
            city = self.by_code.get(code[:4] + "0")
            if city is not None and city.level != Level.PROVINCE:
                raise RegionError(
                    f"{code}은(는) 자치단체가 아닌 일반구·출장소 코드입니다 ({city.name_ko} {city.code}의 일부). "
                    f"시 전체 값이 아니므로 가져오지 않습니다 / {code} is a non-autonomous district of "
                    f"{city.name_en or city.name_ko} ({city.code}), not a local government; its values are "
                    "not the city's"
                )
        if found is None:
            raise RegionError(f"알 수 없는 지역 코드 / unknown region code: {code}")
        return found

    def _linked(self, link: CodeLink, target: str, code: str, on: datetime.date) -> Municipality:
        found = self.by_code.get(target)
        if found is None:
            raise RegionError(f"알 수 없는 지역 코드 / unknown region code: {code}")
        if not link.valid_from <= on <= link.valid_to:
            raise RegionError(
                f"{code}({link.note})는 {link.valid_to.isoformat()}까지 쓰인 코드라 {on.year}년 값에 쓸 수 "
                f"없습니다. {found.code}를 쓰세요 / code {code} ({link.note}) was valid until "
                f"{link.valid_to.isoformat()}, not for a value of {on.year}: use {found.code}"
            )
        return found

    # -------------------------------------------------------------- names

    def _province(self, token: str, on: datetime.date) -> Municipality | None:
        found = self.provinces.get(token.lower())
        if found is not None:
            return found
        former = self._former.get(token)
        if former and former[0] is not None:
            return former[0]  # an old name still names the province (the code is the same place)
        return None

    def resolve(self, texts: tuple[str, ...], year: int, quarter: int = 0) -> Municipality | None:
        """The municipality ``texts`` name for a value of ``year``/``quarter``; None for a total
        row (전국, 소계 under no province); raises RegionError saying why otherwise."""
        on = _period_start(year, quarter)
        tokens = [t for text in texts for t in re.split(r"\s+", str(text).strip()) if t]
        codes = [t for t in tokens if t.isdigit()]
        if codes:
            return self.code(codes[-1], on)
        names = [t for t in tokens if t.lower() not in AGGREGATES]
        if not names:
            return None
        first = names[0]
        province = self._province(first, on)
        if province is not None:
            names = names[1:]
            until = _FORMER_NAMES.get(first, (None, None))[1]
            if until and on > until:
                raise RegionError(
                    f"'{first}'은(는) {until.isoformat()}까지의 이름입니다 ({province.name_ko}) / "
                    f"'{first}' is the province's name until {until.isoformat()} ({province.name_ko})"
                )
        if not names:
            return province
        name = " ".join(names)
        candidates = self.by_name.get(name.lower(), [])
        if province is not None:
            inside = [m for m in candidates if m.parent_id == province.pk]
            if not inside:
                moved = _FORMER_PARENTS.get((province.code, name))
                if moved and on <= moved[1]:
                    return self.by_code[moved[0]]
                raise RegionError(
                    f"{province.name_ko}에 '{name}'이(가) 없습니다 / no '{name}' in {province.name_en or province.name_ko}"
                )
            return inside[0]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise RegionError(f"알 수 없는 지역 이름 / unknown region name: '{name}'")
        listed = ", ".join(f"{m.full_name_ko} {m.code}" for m in candidates)
        raise RegionError(
            f"'{name}'은(는) 여러 지자체의 이름입니다 ({listed}). 시도 이름과 함께 쓰세요 (예: "
            f"{candidates[0].parent.name_ko if candidates[0].parent else ''} {name}) / '{name}' names "
            f"{len(candidates)} local governments ({listed}); give its province (region column with the "
            "province, or a province column)"
        )

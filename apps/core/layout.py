"""Column layouts of the two sheets that go both ways: the statistical annex (observations,
long format) and the indicator metadata. The workbook writes these headers; the importers in
:mod:`apps.indicators.services` recognise them — and also a bare key (``indicator_code``), the
Korean label alone or the English label alone, so a city can type its own file.

A header cell reads ``국문 / English``; the English label, lower-cased with spaces as
underscores, is the column key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    key: str
    ko: str
    en: str
    width: float = 12
    required: bool = False
    aliases: tuple[str, ...] = field(default=())
    imported: bool = True  # False: written for people, ignored by the importer

    @property
    def header(self) -> str:
        return f"{self.ko} / {self.en}"


def normalise_header(text) -> str:
    """Lower-case, without spaces, underscores, hyphens, dots, slashes or brackets, so that
    ``지표코드``, ``지표 코드`` and ``Indicator_code`` are the same header."""
    return re.sub(r"[\s\-./_()\[\]]+", "", str(text or "").lower())


def header_lookup(columns: tuple[Column, ...]) -> dict[str, Column]:
    """Every accepted spelling of every column header → its column."""
    lookup: dict[str, Column] = {}
    for col in columns:
        for spelling in (col.key, col.ko, col.en, col.header, *col.aliases):
            lookup[normalise_header(spelling)] = col
    return lookup


ANNEX_COLUMNS: tuple[Column, ...] = (
    Column("municipality_code", "지자체 코드", "Municipality code", 12, aliases=("municipality",)),
    Column("indicator_code", "지표 코드", "Indicator code", 14, required=True, aliases=("code",)),
    Column("indicator_name", "지표명", "Indicator name", 32, imported=False),
    Column("year", "연도", "Year", 8, required=True, aliases=("년도", "시점", "기준연도", "기준년도")),
    Column("quarter", "분기", "Quarter", 8),
    Column("sex", "성별", "Sex", 9),
    Column("age_group", "연령대", "Age group", 11),
    Column("district", "지역", "District", 11),
    Column("income_group", "소득 계층", "Income group", 11),
    Column("disability", "장애 여부", "Disability", 10),
    Column("value", "값", "Value", 12, required=True, aliases=("데이터", "수치", "data")),
    Column("unit", "단위", "Unit", 10, imported=False),
    Column("source", "출처", "Source", 24),
    Column("provisional", "잠정치", "Provisional", 10, aliases=("is_provisional",)),
    Column("estimated", "추정치", "Estimated", 10, aliases=("is_estimated",)),
    Column("note", "비고", "Note", 30),
)

METADATA_COLUMNS: tuple[Column, ...] = (
    Column("municipality_code", "지자체 코드", "Municipality code", 12, aliases=("municipality",)),
    Column("indicator_code", "지표 코드", "Indicator code", 14, required=True, aliases=("code",)),
    Column("name_ko", "지표명(국문)", "Name (Korean)", 32, aliases=("지표명", "name_korean")),
    Column(
        "name_en", "지표명(영문)", "Name (English)", 32, aliases=("name", "name_english", "indicator_name")
    ),
    Column("unit", "단위", "Unit", 10),
    Column("direction", "방향", "Direction", 22),
    Column("binary", "달성형", "Binary", 9, aliases=("is_binary",)),
    Column("baseline_year", "기준 연도", "Baseline year", 10),
    Column("baseline_value", "기준값", "Baseline value", 12, aliases=("기준치",)),
    Column("target_year", "목표 연도", "Target year", 10),
    Column("target_value", "목표값", "Target value", 12, aliases=("목표치",)),
    Column("target_note", "정성 목표", "Target note", 20),
    Column("data_source", "자료 출처", "Data source", 24, aliases=("source",)),
    Column("department", "담당 부서", "Department", 16),
    Column("definition", "정의·산식", "Definition", 40, aliases=("정의", "method")),
    Column("alignments", "SDG 연계", "SDG alignment", 24, aliases=("sdg_targets", "targets", "alignment")),
    Column("public", "공개", "Public", 8, aliases=("is_public",)),
    Column("observations", "관측값 수", "Observations", 10, imported=False),
    Column("first_year", "첫 연도", "First year", 9, imported=False),
    Column("last_year", "마지막 연도", "Last year", 9, imported=False),
)

ANNEX_SHEET = "통계 부록 Statistical annex"
METADATA_SHEET = "지표 메타 Indicator metadata"

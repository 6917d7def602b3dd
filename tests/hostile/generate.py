"""The hostile inputs of issue 13, generated (never committed: some are hundreds of MB once opened).

Each case is a file as an attacker, a careless export or an ordinary news site would send it. The
tests import :data:`CASES` and write the files they need into a temporary folder; to look at them
or try them against a server, write them all:

    .venv/bin/python tests/hostile/generate.py out/hostile            # every case
    .venv/bin/python tests/hostile/generate.py out/hostile --only huge_cell.xlsx
    .venv/bin/python tests/hostile/generate.py out/hostile --indicator MY-CODE --municipality 41450

Spreadsheets follow the statistical-annex layout (``apps/core/layout.py``: municipality_code,
indicator_code, year, value, unit, note) and name an indicator that must exist for the row to be
about real data (``--indicator``/``--municipality``; the demo's 중랑구 indicator by default).
xlsx files are written by hand with :mod:`zipfile`, streamed, so that a 300 MB cell costs the
generator no memory; what they hold is valid OOXML that openpyxl and Excel open.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

ANNEX_SHEET = "통계 부록 Statistical annex"  # apps.core.layout.ANNEX_SHEET (kept free of Django here)
ANNEX_HEADER = ["municipality_code", "indicator_code", "year", "value", "unit", "note"]
MB = 1024 * 1024


@dataclass(frozen=True)
class Params:
    municipality: str = "11260"
    indicator: str = "JN-01"
    unit: str = "명"  # the indicator's stored unit; `unit_thousands.csv` sends 천명 instead
    scale: float = 1.0  # < 1 shrinks the big cases (same shape, smaller numbers) for a quick look


@dataclass(frozen=True)
class Case:
    name: str  # file name, its extension is what an upload would carry
    target: str  # "document" (evidence ingest) or "annex" (observations import)
    issue: str  # what issue 13 saw happen with it
    write: Callable[[Path, Params], None]


# ---------------------------------------------------------------------------------- helpers


def _xlsx(path: Path, rows) -> None:
    """A one-sheet workbook from ``rows``: an iterable of lists of cells, a cell being a str, a
    number or a callable ``write(out)`` that streams a long inline string into the sheet."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{escape(ANNEX_SHEET)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            buffer: list[str] = []
            rendered: dict[tuple, str] = {}
            for row in rows:
                if any(callable(cell) for cell in row):
                    out.write("".join(buffer).encode())
                    buffer.clear()
                    out.write(b"<row>")
                    for cell in row:
                        if callable(cell):
                            out.write(b'<c t="inlineStr"><is><t>')
                            cell(out)
                            out.write(b"</t></is></c>")
                        else:
                            out.write(_cell(cell).encode())
                    out.write(b"</row>")
                    continue
                key = tuple(row)  # a file of 2M equal rows renders one
                if key not in rendered:
                    rendered = {key: "<row>" + "".join(_cell(cell) for cell in row) + "</row>"}
                buffer.append(rendered[key])
                if len(buffer) >= 10_000:
                    out.write("".join(buffer).encode())
                    buffer.clear()
            out.write("".join(buffer).encode())
            out.write(b"</sheetData></worksheet>")


def _cell(value) -> str:
    if isinstance(value, (int, float)):
        return f"<c><v>{value}</v></c>"
    return f'<c t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _csv(path: Path, rows, encoding: str = "utf-8", errors: str = "strict") -> None:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding, errors))


def _text(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.write_bytes(text.encode(encoding))


ARTICLE = (
    "{title}\n\n"
    "기사입력 2024.05.14 10:20\n\n"
    "{city}는 14일 시청 대회의실에서 탄소중립 실천 주민 토론회를 열고 2030년까지 온실가스 배출량을 "
    "40% 줄이는 계획을 발표했다. 시는 공공건물 옥상에 태양광 발전 설비를 설치하고 노후 공동주택의 "
    "에너지 효율 개선 사업을 지원한다.\n\n"
    '시장은 "기후위기 대응은 주민 참여 없이는 불가능하다"며 "모든 동에서 기후 교육을 열겠다"고 말했다.\n'
)


# ------------------------------------------------------------------------------------ cases


def _dates_one_line(path: Path, p: Params) -> None:
    count = int(400_000 * p.scale)
    _text(path, "날짜 목록\n\n" + "2024.03.21 " * count + "\n")  # 11 bytes a date: 4.4 MB on one line


def _huge_cell(path: Path, p: Params) -> None:
    size = int(300 * MB * p.scale)

    def note(out) -> None:  # 300 MB of one letter: deflate packs it ~1000:1, into ~300 KB
        chunk = b"A" * MB
        for _ in range(size // MB):
            out.write(chunk)
        out.write(b"A" * (size % MB))

    _xlsx(path, [ANNEX_HEADER, [p.municipality, p.indicator, 2023, 1, p.unit, note]])


def _two_million_rows(path: Path, p: Params) -> None:
    count = int(2_000_000 * p.scale)
    row = [p.municipality, p.indicator, 2023, 1]
    _xlsx(path, itertools.chain([ANNEX_HEADER[:4]], itertools.repeat(row, count)))


def _utf16_broken_surrogate(path: Path, p: Params) -> None:
    # A lone high surrogate cannot be UTF-16 text; "surrogatepass" writes it anyway, as a broken
    # export does. With its BOM it is detected as UTF-16 and then fails to decode.
    rows = [ANNEX_HEADER, [p.municipality, p.indicator, "2023", "1", p.unit, "깨진 \ud800 글자"]]
    path.write_bytes(b"\xff\xfe")
    with open(path, "ab") as fh:
        text = io.StringIO()
        csv.writer(text, lineterminator="\r\n").writerows(rows)
        fh.write(text.getvalue().encode("utf-16-le", "surrogatepass"))


def _comma_decimal(path: Path, p: Params) -> None:
    _csv(path, [ANNEX_HEADER, [p.municipality, p.indicator, "2023", "22,85", p.unit, ""]])


def _unit_thousands(path: Path, p: Params) -> None:
    _csv(
        path,
        [ANNEX_HEADER, [p.municipality, p.indicator, "2023", "12.5", "천명", "단위가 다름 / other unit"]],
    )


def _huge_note(path: Path, p: Params) -> None:
    _csv(
        path,
        [ANNEX_HEADER, [p.municipality, p.indicator, "2023", "1", p.unit, "메모" * int(3 * MB * p.scale)]],
    )  # 18 MB


def _euc_kr_hanam(path: Path, p: Params) -> None:
    title = "하남시, 탄소중립 주민 토론회 열어"
    _text(path, ARTICLE.format(title=title, city="경기도 하남시") + "\n하남시 기후에너지과 제공\n", "euc-kr")


def _page(head: str, title: str = "광명시, 기후에너지 교육 확대") -> str:
    body = ARTICLE.format(title=title, city="광명시").replace("\n\n", "</p><p>")
    return (
        f'<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f"<body><article><h1>{title}</h1><p>{body}</p></article></body></html>"
    )


def _relative_canonical(path: Path, p: Params) -> None:
    _text(path, _page('<link rel="canonical" href="/news/articleView.html?idxno=1234">'))


def _non_http_og_url(path: Path, p: Params) -> None:
    _text(path, _page('<meta property="og:url" content="android-app://kr.co.news/article/1234">'))


def _www_source_line(path: Path, p: Params) -> None:
    _text(
        path,
        ARTICLE.format(title="광명시, 기후에너지 교육 확대", city="광명시")
        + "\n출처: www.gmnews.kr/news/1234\n",
    )


def _rtl_title(path: Path, p: Params) -> None:
    # U+202E turns the rest of the line around on screen: "…txt.exe" shows as "…exe.txt".
    _text(path, ARTICLE.format(title="광명시 \u202e기후교육 자료exe.txt", city="광명시"))


CASES: tuple[Case, ...] = (
    Case(
        "dates_one_line.txt",
        "document",
        "4.4 MB, 400k dates on one line: ingest > 300 s, API worker killed (500)",
        _dates_one_line,
    ),
    Case(
        "huge_cell.xlsx",
        "annex",
        "307 KB xlsx, one 300 MB cell: 4.3 GB of memory, error echoed the cell",
        _huge_cell,
    ),
    Case("two_million_rows.xlsx", "annex", "586 KB xlsx, 2M rows: 0.9 GB and 103 s", _two_million_rows),
    Case(
        "utf16_broken_surrogate.csv",
        "annex",
        "UTF-16 CSV with a lone surrogate: 500",
        _utf16_broken_surrogate,
    ),
    Case("comma_decimal.csv", "annex", "22,85 stored as 2285 without an error", _comma_decimal),
    Case(
        "unit_thousands.csv",
        "annex",
        "a value in 천명 overwrote one stored in 명 (1000x off)",
        _unit_thousands,
    ),
    Case("huge_note.csv", "annex", "an 18 MB observation note accepted", _huge_note),
    Case(
        "euc_kr_hanam.txt",
        "document",
        "EUC-KR article about 하남시 filed under the province (41000)",
        _euc_kr_hanam,
    ),
    Case(
        "relative_canonical.html",
        "document",
        "relative <link rel=canonical>: refused, ingest crashed",
        _relative_canonical,
    ),
    Case("non_http_og_url.html", "document", "non-http og:url: refused, ingest crashed", _non_http_og_url),
    Case("www_source_line.txt", "document", "`www.` source line: refused, ingest crashed", _www_source_line),
    Case("rtl_title.txt", "document", "right-to-left override in a title accepted", _rtl_title),
)
BY_NAME = {case.name: case for case in CASES}


def write(folder: Path, names=None, params: Params = Params()) -> list[Path]:
    """Write the named cases (all by default) into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for case in CASES if names is None else [BY_NAME[name] for name in names]:
        path = folder / case.name
        case.write(path, params)
        paths.append(path)
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--only", action="append", choices=sorted(BY_NAME), help="one case (repeatable)")
    parser.add_argument("--municipality", default=Params.municipality)
    parser.add_argument("--indicator", default=Params.indicator)
    parser.add_argument("--unit", default=Params.unit)
    parser.add_argument("--scale", type=float, default=1.0, help="shrink the big cases (e.g. 0.01)")
    args = parser.parse_args(argv)
    params = Params(
        municipality=args.municipality, indicator=args.indicator, unit=args.unit, scale=args.scale
    )
    for path in write(args.folder, args.only, params):
        case = BY_NAME[path.name]
        print(f"{path}  {path.stat().st_size:>11,} bytes  {case.target:8}  {case.issue}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

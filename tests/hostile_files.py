"""Hostile upload files for the tests, generated on the fly (never committed).

    .venv/bin/python tests/hostile_files.py OUTPUT_DIR

writes them to a directory for trying by hand (``manage.py import_observations FILE``). Each
builder writes a real xlsx/csv that a spreadsheet reader accepts as such; what makes it
hostile is how much it decompresses to, how many rows it has, or how its text is encoded.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>indicator_code</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>year</t></is></c><c r="C1" t="inlineStr"><is><t>value</t></is></c></row>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


def _workbook(path: Path, write_sheet) -> Path:
    """A minimal xlsx whose one sheet's XML ``write_sheet(stream)`` writes (streamed through zlib,
    so a 300 MB sheet never sits in memory)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_SHEET_HEAD.encode())
            write_sheet(sheet)
            sheet.write(_SHEET_TAIL.encode())
    return path


def huge_cell_xlsx(path: Path, cell_bytes: int = 300 * 1024 * 1024) -> Path:
    """Row 2 holds one text cell of ``cell_bytes`` characters: ~300 KB on disk for 300 MB."""

    def write(sheet):
        sheet.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>')
        chunk = b"A" * (1024 * 1024)
        for _ in range(cell_bytes // len(chunk)):
            sheet.write(chunk)
        sheet.write(b"A" * (cell_bytes % len(chunk)))
        sheet.write(b'</t></is></c><c r="B2"><v>2020</v></c><c r="C2"><v>1</v></c></row>')

    return _workbook(path, write)


def many_rows_xlsx(path: Path, rows: int = 2_000_000) -> Path:
    """``rows`` data rows of one small cell each (column A): ~0.2 MB on disk for 2 million rows."""

    def write(sheet):
        # Rows without an "r" attribute are numbered in order (as Excel and openpyxl read them):
        # the same 10,000-row chunk repeated compresses to almost nothing.
        chunk = b"<row><c><v>1</v></c></row>" * 10_000
        for _ in range(rows // 10_000):
            sheet.write(chunk)
        sheet.write(b"<row><c><v>1</v></c></row>" * (rows % 10_000))

    return _workbook(path, write)


def lying_sizes_xlsx(path: Path, rows: int = 20_000, declared: int = 1000) -> Path:
    """A workbook whose sheet declares, in both zip headers, ``declared`` uncompressed bytes while
    it really holds far more: a reader must not trust a declared size to bound its work."""
    many_rows_xlsx(path, rows=rows)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name.decode())
    fake = declared.to_bytes(4, "little")
    data[info.header_offset + 22 : info.header_offset + 26] = fake  # local file header
    pos = data.find(b"PK\x01\x02")
    while pos != -1:  # central directory entry of the sheet
        if data[pos + 46 : pos + 46 + len(name)] == name:
            data[pos + 24 : pos + 28] = fake
        pos = data.find(b"PK\x01\x02", pos + 4)
    path.write_bytes(bytes(data))
    return path


def broken_utf16_csv(path: Path) -> Path:
    """A UTF-16 (with BOM) csv holding a lone high surrogate in a value."""
    text = "indicator_code,year,value\r\nL1,2020,1\r\n"
    data = b"\xff\xfe" + text.encode("utf-16-le") + b"\x00\xd8" + "2\r\n".encode("utf-16-le")
    path.write_bytes(data)
    return path


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    for builder, name in (
        (huge_cell_xlsx, "huge_cell.xlsx"),
        (many_rows_xlsx, "two_million_rows.xlsx"),
        (lying_sizes_xlsx, "lying_sizes.xlsx"),
        (broken_utf16_csv, "broken_utf16.csv"),
    ):
        print(builder(out / name), (out / name).stat().st_size, "bytes")

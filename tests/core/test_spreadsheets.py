"""Reading uploaded workbooks: the importer's opener reads exactly what openpyxl's does."""

from __future__ import annotations

import datetime
import io
import zipfile

import openpyxl
import pytest

from apps.core.spreadsheets import open_workbook


def _rows(wb) -> dict[str, list[tuple]]:
    out = {}
    for name in wb.sheetnames:
        ws = wb[name]
        ws.reset_dimensions()
        out[name] = list(ws.iter_rows(values_only=True))
    wb.close()
    return out


@pytest.mark.parametrize("write_only", [True, False], ids=["no-dimension", "with-dimension"])
def test_open_workbook_reads_the_same_values_as_load_workbook(write_only):
    wb = openpyxl.Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    annex = wb.create_sheet("통계 부록 Statistical annex")
    annex.append(["지표 코드 / Indicator code", "연도 / Year", "값 / Value", "비고 / Note"])
    for n in range(50):
        annex.append([f"L{n}", 2000 + n % 20, n / 3, None if n % 4 else "=보류"])
    annex.append([None, None, None, None])
    annex.append(["L9", datetime.datetime(2024, 1, 31), True, "끝"])
    other = wb.create_sheet("Other")
    other.append(["x", "=1+1", 3])
    buffer = io.BytesIO()
    wb.save(buffer)
    content = buffer.getvalue()

    stock = _rows(openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True))
    seam = _rows(open_workbook(content))
    assert seam == stock
    assert seam["통계 부록 Statistical annex"][-1] == ("L9", datetime.datetime(2024, 1, 31), True, "끝")


@pytest.mark.parametrize("fast", [True, False], ids=["fast-paths", "SPREADSHEET_FAST_PATHS=0"])
def test_open_workbook_reads_inline_strings_as_openpyxl_does_rich_text_included(fast, settings):
    """Plain inline strings take the seam's short way, the rest openpyxl's: same values."""
    settings.SPREADSHEET_FAST_PATHS = fast
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("통계 부록 Statistical annex")
    ws.append(["RICH", "EMPTY", "SPACES", "PHONETIC", "한글 text"])
    buffer = io.BytesIO()
    wb.save(buffer)
    replacements = {
        "<is><t>RICH</t></is>": '<is><r><rPr><b/></rPr><t>굵게</t></r><r><t xml:space="preserve"> 보통</t></r></is>',
        "<is><t>EMPTY</t></is>": "<is><t/></is>",
        "<is><t>SPACES</t></is>": '<is><t xml:space="preserve">  앞뒤 공백  </t></is>',
        "<is><t>PHONETIC</t></is>": '<is><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh></is>',
    }
    source, patched = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(patched, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                text = data.decode()
                for old, new in replacements.items():
                    assert old in text
                    text = text.replace(old, new)
                data = text.encode()
            out.writestr(item, data)
    content = patched.getvalue()

    stock = _rows(openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True))
    seam = _rows(open_workbook(content))
    assert seam == stock
    assert seam["통계 부록 Statistical annex"] == [("굵게 보통", "", "  앞뒤 공백  ", "漢字", "한글 text")]

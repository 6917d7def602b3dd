"""The workbook's row shortcut (``SPREADSHEET_FAST_PATHS``, apps/vlr/exports/cells.py) writes
the same bytes as openpyxl's own writer, for plain rows and for every kind of row it hands back."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import openpyxl
from openpyxl import Workbook

from apps.vlr.exports.cells import SheetWriter, default_styles

ROWS = [
    ["L001", 2020, 0, 1.5, 0.1 + 0.2, -0.0, 10**17, 123456789.123456789, True, False, None, "끝"],
    ["a & b < c > d", "line\nbreak", "tab\there", "cr\rhere", "cr lf\r\n", '"quoted"', "'apostrophe"],
    ["  leading", "trailing  ", "   ", "=", "한글 / English ✓ 😀", "x" * 40_000],
    [],  # an empty row
    ["=SUM(A1)", "#N/A", "", float("nan"), float("inf"), date(2024, 1, 31)],
    [datetime(2024, 1, 31, 12, 30), 7, None, None, "after a date"],
]


def _sheet_xml(fast: bool, settings) -> tuple[bytes, list[tuple]]:
    settings.SPREADSHEET_FAST_PATHS = fast
    wb = Workbook(write_only=True)
    styles = default_styles(type("Host", (), {"parent": wb})())
    w = SheetWriter(wb, "통계 부록 Statistical annex", styles, widths=(10, 10, 10, 10))
    w.header(["코드 / Code", "연도 / Year", "값 / Value", "비고 / Note"])
    for row in ROWS:
        w.ws.append(list(row))  # raw values, as the annex appends them
    w.append(
        [w.value("=guarded"), w.styled("wrapped text " * 20, "wrap"), w.link("site", url="https://e.org")]
    )
    w.append([w.value("plain after styled"), 3.25])
    w.append([w.styled(0.25, "percent"), w.styled(" 굵게 & bold ", "bold"), w.value(0.1 + 0.2), 5, "plain"])
    w.append([w.styled(7, styles.colour("#E5243B")), w.styled(None, "header", keep_empty=True), "after"])
    w.append([w.styled(date(2024, 1, 31), "date"), w.styled(1.5, "ratio"), w.styled(True, "bold")])
    w.append([w.styled("new style last", styles.colour("#4C9F38", text=True)), w.value("-guarded"), 1])
    buffer = io.BytesIO()
    wb.save(buffer)
    content = buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml") + archive.read("xl/styles.xml")
    values = list(openpyxl.load_workbook(io.BytesIO(content), read_only=True).active.values)
    return xml, values


def test_the_row_shortcut_writes_the_bytes_openpyxl_writes(settings):
    fast_xml, fast_values = _sheet_xml(True, settings)
    stock_xml, stock_values = _sheet_xml(False, settings)
    assert fast_xml == stock_xml
    assert fast_values == stock_values
    assert fast_values[1][:10] == ("L001", 2020, 0, 1.5, 0.3, 0, 10**17, 123456789.1234568, True, False)
    assert fast_values[2][3:6] == ("cr\rhere", "cr lf\r\n", '"quoted"')
    assert fast_values[3][:3] == ("  leading", "trailing  ", "   ")
    assert fast_values[9][:5] == (0.25, " 굵게 & bold ", 0.30000000000000004, 5, "plain")

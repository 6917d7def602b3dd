"""The workbook opens in LibreOffice: a headless conversion to PDF must succeed.

Runs when ``libreoffice`` or ``soffice`` is on PATH (Debian: ``apt-get install -y
libreoffice-calc-nogui``); otherwise it is skipped and says why — except under ``CI=true``,
where a missing LibreOffice fails the run (``.ci/run`` installs it).
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess

import pytest

from apps.indicators.models import Observation
from apps.vlr.exports.vlr_workbook import vlr_workbook_bytes
from tests.factories import make_indicator, populate

OFFICE = shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.skipif(
    OFFICE is None and os.environ.get("CI") != "true",
    reason="LibreOffice is not installed (libreoffice/soffice not on PATH); "
    "install it (Debian: apt-get install -y libreoffice-calc-nogui) to run the PDF conversion check",
)
def test_libreoffice_converts_the_workbook_to_pdf(muni_a, tmp_path):
    populate(muni_a, 3)
    ind = make_indicator(muni_a, "=FORMULA", {2015: 1.0, 2020: 2.0}, name_ko="=1+1")
    Observation.objects.create(local_indicator=ind, year=2021, value=0.1 + 0.2, note="@SUM(A1)", source="+1")
    path = tmp_path / "vlr.xlsx"
    path.write_bytes(vlr_workbook_bytes(municipality=muni_a, year=2023))
    result = convert(path, "pdf", tmp_path)
    pdf = tmp_path / "vlr.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.exists() and pdf.stat().st_size > 1000, (result.stdout, result.stderr)
    assert pdf.read_bytes().startswith(b"%PDF")

    # LibreOffice reads formula-like text as text: every sheet to CSV (UTF-8, values not formulas)
    result = convert(
        path, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", tmp_path
    )
    assert result.returncode == 0, result.stderr
    with open(tmp_path / "vlr-통계 부록 Statistical annex.csv", encoding="utf-8") as handle:
        rows = [row for row in csv.reader(handle) if row[1] == "=FORMULA"]
    assert {row[2] for row in rows} == {"=1+1"}
    assert any(row[15] == "@SUM(A1)" and row[12] == "+1" for row in rows)


def convert(path, target: str, outdir):
    profile = outdir / "profile"  # a private profile: no clash with a running LibreOffice
    return subprocess.run(
        [
            OFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, "HOME": str(outdir)},
    )


@pytest.mark.skipif(
    OFFICE is None and os.environ.get("CI") != "true",
    reason="LibreOffice is not installed (libreoffice/soffice not on PATH)",
)
def test_the_demo_workbook_prints_on_few_pages_without_vertical_strips(db, tmp_path):
    """Slow (seed_demo, then LibreOffice: about 15 s): printed as LibreOffice prints it, the demo
    city's workbook is at most 20 A4 landscape pages (70 portrait ones before), and every page of
    a wide sheet holds its whole width: the first and the last column's header (repeated on each
    page) are on the same page, never a strip of columns alone."""
    from io import StringIO

    from django.core.management import call_command
    from pypdf import PdfReader

    from apps.core.layout import ANNEX_SHEET
    from apps.municipalities.models import Municipality
    from apps.vlr.exports import vlr_workbook as vw

    call_command("seed_demo", stdout=StringIO())
    path = tmp_path / "demo.xlsx"
    path.write_bytes(vlr_workbook_bytes(municipality=Municipality.objects.get(code="11260"), year=2025))
    assert convert(path, "pdf", tmp_path).returncode == 0
    pages = PdfReader(tmp_path / "demo.pdf").pages
    assert len(pages) <= 20
    assert all(page.mediabox.width > page.mediabox.height for page in pages)  # landscape
    texts = [page.extract_text() for page in pages]
    wide = {vw.PROGRESS: ("세부목표", "비고"), ANNEX_SHEET: ("지자체 코드", "비고")}
    checked = 0
    for text in texts:
        for sheet, (first, last) in wide.items():
            if text.lstrip().startswith(sheet):  # the page header names the sheet
                assert first in text and last in text, text[:300]
                checked += 1
    assert checked >= 2
    assert all(f"{i} / {len(pages)}" in text for i, text in enumerate(texts, start=1))  # page numbers

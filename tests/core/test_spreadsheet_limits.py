"""Spreadsheet limits count what is decompressed and read, and no message echoes a huge cell.

The hostile files are generated into the test's tmp dir by ``tests/hostile_files.py`` (never
committed). Each test asserts the outcome and the message naming the limit that stopped the
reading — never wall time.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework.test import APIClient

from apps.core.layout import ANNEX_COLUMNS
from apps.core.spreadsheets import SpreadsheetError, read_table
from apps.indicators.services import observations_import
from tests import hostile_files
from vlrtracker.settings import env_int


def refusal(file, **kwargs) -> SpreadsheetError:
    with pytest.raises(SpreadsheetError) as excinfo:
        table, _name = read_table(file, ANNEX_COLUMNS)
        for _row in table.rows:
            pass
    return excinfo.value


@pytest.fixture(scope="module")
def huge_cell(tmp_path_factory):
    """A 300 MB text cell in a ~300 KB xlsx (made once: compressing 300 MB takes a few seconds)."""
    return hostile_files.huge_cell_xlsx(tmp_path_factory.mktemp("hostile") / "cell.xlsx")


def test_a_300_mb_cell_in_a_300_kb_xlsx_is_refused_by_its_declared_size(huge_cell):
    assert huge_cell.stat().st_size < 1024 * 1024
    error = refusal(huge_cell)
    assert error.code == "file_too_large"
    assert "MAX_SPREADSHEET_UNCOMPRESSED_BYTES" in error.message
    assert "314,574," in error.message and "declared" in error.message  # 300 MB sheet + header
    assert len(error.message) < 400 and "AAAA" not in error.message


def test_a_huge_cell_under_a_raised_size_limit_is_refused_before_parsing(huge_cell, settings):
    settings.MAX_SPREADSHEET_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
    error = refusal(huge_cell)
    assert error.code == "cell_too_long"
    # Named by the zip member, before openpyxl ran: the parsed check would name row 2, column A.
    assert error.message.startswith("xl/worksheets/sheet1.xml: ")
    assert "MAX_SPREADSHEET_CELL_CHARS" in error.message
    assert len(error.message) < 400 and "AAAA" not in error.message


def test_the_declared_sizes_of_all_members_are_summed(tmp_path, settings):
    settings.MAX_SPREADSHEET_UNCOMPRESSED_BYTES = 10_000
    settings.MAX_SPREADSHEET_CELL_CHARS = 20_000
    path = hostile_files.huge_cell_xlsx(tmp_path / "cell.xlsx", cell_bytes=9_000)  # 9 KB sheet + parts
    error = refusal(path)
    assert error.code == "file_too_large" and "declared" in error.message


def test_a_zip_that_understates_its_sizes_is_refused_as_damaged(tmp_path):
    # Reading stops at the declared size (zipfile), so the understated sheet fails its checksum.
    error = refusal(hostile_files.lying_sizes_xlsx(tmp_path / "lying.xlsx"))
    assert error.code == "bad_xlsx" and "CRC" in error.message


def test_a_2_million_row_xlsx_is_refused_before_openpyxl_parses_it(tmp_path):
    path = hostile_files.many_rows_xlsx(tmp_path / "rows.xlsx")
    assert path.stat().st_size < 1024 * 1024
    error = refusal(path)
    assert error.code == "too_many_rows"
    assert "xl/worksheets/sheet1.xml: more than 200,000 rows" in error.message
    assert "MAX_SPREADSHEET_ROWS" in error.message


def test_rows_are_counted_by_row_number_while_they_stream(tmp_path, settings):
    settings.MAX_SPREADSHEET_ROWS = 50
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["indicator_code", "year", "value"])
    ws.cell(row=1_000_000, column=1, value="L1")  # one row element, a million rows down
    path = tmp_path / "gap.xlsx"
    wb.save(path)
    error = refusal(path)
    assert error.code == "too_many_rows" and "reading stopped at row 51" in error.message


def test_a_csv_with_too_many_lines_is_refused_before_pandas_reads_it(tmp_path, settings):
    settings.MAX_SPREADSHEET_ROWS = 100
    path = tmp_path / "long.csv"
    path.write_text("indicator_code,year,value\n" + "\n" * 5000)
    error = refusal(path)
    assert error.code == "too_many_rows" and "limit 100" in error.message


def test_a_long_cell_is_refused_with_its_place_and_length_but_not_its_text(tmp_path, settings):
    settings.MAX_SPREADSHEET_CELL_CHARS = 1000  # openpyxl itself cuts cells at Excel's 32,767
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["indicator_code", "year", "value", "note"])
    ws.append(["L1", 2020, 1, "x" * 5000])
    path = tmp_path / "note.xlsx"
    wb.save(path)
    error = refusal(path)
    assert error.code == "cell_too_long"
    assert error.message.startswith("row 2, column D: ")
    assert "5,000" in error.message and "1,000" in error.message
    assert "xxx" not in error.message
    path = tmp_path / "note.csv"
    path.write_text("indicator_code,year,value,note\nL1,2020,1," + "가" * 5000 + "\n")
    error = refusal(path)
    assert error.code == "cell_too_long" and error.message.startswith("row 2, column D: ")


def test_a_utf16_csv_with_a_broken_surrogate_is_a_clear_error(tmp_path, muni_a):
    path = hostile_files.broken_utf16_csv(tmp_path / "broken.csv")
    with pytest.raises(SpreadsheetError) as excinfo:
        observations_import(file=path, municipality=muni_a)
    assert excinfo.value.code == "bad_encoding" and "UTF-16" in excinfo.value.message


@pytest.mark.django_db
def test_the_api_answers_400_for_hostile_spreadsheets(tmp_path, planner_a):
    client = APIClient(enforce_csrf_checks=True)
    client.force_authenticate(planner_a)
    for path in (
        hostile_files.broken_utf16_csv(tmp_path / "broken.csv"),
        hostile_files.many_rows_xlsx(tmp_path / "rows.xlsx"),
    ):
        with open(path, "rb") as handle:
            response = client.post(
                "/api/v1/observations/import/", {"file": handle, "municipality": "11260"}, format="multipart"
            )
        assert response.status_code == 400, response.content
        assert response.json()["code"] in ("bad_encoding", "too_many_rows")


def test_limits_come_from_the_environment_and_typos_are_refused(monkeypatch):
    monkeypatch.setenv("MAX_SPREADSHEET_ROWS", "5000")
    assert env_int("MAX_SPREADSHEET_ROWS", 1) == 5000
    monkeypatch.setenv("MAX_SPREADSHEET_ROWS", "5k")
    with pytest.raises(ImproperlyConfigured, match="MAX_SPREADSHEET_ROWS"):
        env_int("MAX_SPREADSHEET_ROWS", 1)


def test_an_ordinary_workbook_passes_every_limit():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["indicator_code", "year", "value", "note"])
    for year in range(2000, 2025):
        ws.append(["L1", year, year / 7, "비고 " * 100])
    buffer = io.BytesIO()
    wb.save(buffer)
    table, _name = read_table(buffer.getvalue(), ANNEX_COLUMNS)
    assert len(list(table.rows)) == 25


def test_rows_are_cut_after_the_last_recognised_column_and_stray_far_cells_refused(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["indicator_code", "year", "value"])
    ws.append(["L1", 2020, 1])
    ws.cell(row=2, column=900, value="stray")  # every row read is now 900 cells wide
    wb.save(tmp_path / "wide.xlsx")
    table, _name = read_table(tmp_path / "wide.xlsx", ANNEX_COLUMNS)
    assert list(table.rows) == [(2, ("L1", 2020, 1))]
    ws.cell(row=3, column=5000, value="far")
    wb.save(tmp_path / "wider.xlsx")
    error = refusal(tmp_path / "wider.xlsx")
    assert error.code == "too_many_columns" and "5,000" in error.message

"""export_vlr."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from apps.core.layout import ANNEX_SHEET
from tests.factories import populate


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_export_vlr_writes_the_workbook(muni_a, tmp_path):
    populate(muni_a, 2)
    path = tmp_path / "vlr.xlsx"
    out = run("export_vlr", "--municipality", "11260", "--year", "2023", "--output", str(path))
    assert "VLR workbook written" in out
    wb = openpyxl.load_workbook(path, read_only=True)
    assert ANNEX_SHEET in wb.sheetnames


def test_export_vlr_refuses_bad_arguments(muni_a, tmp_path):
    with pytest.raises(CommandError, match="unknown municipality code"):
        run("export_vlr", "--municipality", "00000", "--year", "2023", "--output", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match=r"\.xlsx"):
        run("export_vlr", "--municipality", "11260", "--year", "2023", "--output", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="no such directory"):
        run(
            "export_vlr",
            "--municipality",
            "11260",
            "--year",
            "2023",
            "--output",
            str(tmp_path / "no" / "x.xlsx"),
        )

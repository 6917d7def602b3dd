"""export_vlr and generate_scale_data."""
from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from apps.core.layout import ANNEX_SHEET
from apps.indicators.models import LocalIndicator, Observation
from apps.municipalities.models import Municipality

from .factories import populate


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
    with pytest.raises(CommandError, match=".xlsx"):
        run("export_vlr", "--municipality", "11260", "--year", "2023", "--output", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="no such directory"):
        run("export_vlr", "--municipality", "11260", "--year", "2023", "--output", str(tmp_path / "no" / "x.xlsx"))


def test_generate_scale_data_creates_sample_municipalities(db, tmp_path):
    out = run("generate_scale_data", "--municipalities", "2", "--indicators", "4", "--years", "3", "--series", "2",
              "--initiatives", "3", "--documents", "2", "--evidence", "5", "--code-prefix", "T")
    assert "T001, T002" in out
    munis = Municipality.objects.filter(code__in=["T001", "T002"])
    assert all(m.is_sample_data for m in munis)
    assert LocalIndicator.objects.filter(municipality__code="T001").count() == 4
    assert Observation.objects.filter(local_indicator__municipality__code="T001").count() == 4 * 3 * 2
    with pytest.raises(CommandError, match="--replace"):
        run("generate_scale_data", "--municipalities", "1", "--indicators", "1", "--code-prefix", "T")
    run("generate_scale_data", "--municipalities", "1", "--indicators", "1", "--years", "2", "--initiatives", "0",
        "--evidence", "0", "--code-prefix", "T", "--replace")
    assert LocalIndicator.objects.filter(municipality__code="T001").count() == 1
    # the exported cover says the values are fictional
    path = tmp_path / "t.xlsx"
    run("export_vlr", "--municipality", "T002", "--year", "2024", "--output", str(path))
    cover = [r for r in openpyxl.load_workbook(path)["표지 Cover"].iter_rows(values_only=True)]
    assert any("Sample data" in str(r[0]) for r in cover)

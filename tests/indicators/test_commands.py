"""import_observations / import_indicators: thin commands over the import services."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from apps.indicators.models import LocalIndicator, Observation
from tests.factories import make_indicator


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def annex_csv(tmp_path):
    path = tmp_path / "annex.csv"
    path.write_text(
        "지표 코드 / Indicator code,연도 / Year,값 / Value,메모\nL1,2020,1.5,x\nL1,2021,2,y\n",
        encoding="utf-8",
    )
    return path


def test_import_observations_saves_and_says_what_it_did(muni_a, annex_csv):
    make_indicator(muni_a, "L1", {})
    out = run("import_observations", str(annex_csv), "--municipality", "11260")
    assert "2 created, 0 updated, 0 unchanged" in out
    assert "ignored columns: 메모" in out
    assert Observation.objects.count() == 2
    assert "0 created, 0 updated, 2 unchanged" in run(
        "import_observations", str(annex_csv), "--municipality", "11260"
    )


def test_dry_run_saves_nothing(muni_a, annex_csv):
    make_indicator(muni_a, "L1", {})
    out = run("import_observations", str(annex_csv), "--municipality", "11260", "--dry-run")
    assert "2 created" in out and "dry run, nothing saved" in out
    assert Observation.objects.count() == 0


def test_bad_cells_fail_the_command_with_every_error_listed(muni_a, tmp_path):
    make_indicator(muni_a, "L1", {})
    path = tmp_path / "bad.csv"
    path.write_text("indicator_code,year,value\nL1,2020,abc\nL9,2021,1\n", encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        run("import_observations", str(path), "--municipality", "11260")
    message = str(excinfo.value)
    assert "nothing was saved" in message
    assert "row 2, column C (value): 숫자가 아닙니다 / not a number: 'abc'" in message
    assert "row 3, column A (indicator_code): " in message
    assert Observation.objects.count() == 0


def test_unknown_municipality_and_missing_file_are_clear_errors(muni_a, tmp_path):
    with pytest.raises(CommandError, match="unknown municipality code: 99999"):
        run("import_observations", str(tmp_path / "x.csv"), "--municipality", "99999")
    with pytest.raises(CommandError, match="no such file"):
        run("import_observations", str(tmp_path / "missing.csv"), "--municipality", "11260")
    (tmp_path / "x.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    with pytest.raises(CommandError, match=r"old \.xls"):
        run("import_observations", str(tmp_path / "x.xls"), "--municipality", "11260")


def test_import_indicators_creates_the_indicators_of_a_city_sheet(muni_a, tmp_path):
    path = tmp_path / "indicators.csv"
    path.write_text(
        "지표 코드,지표명(국문),단위,방향,목표 연도,목표값,SDG 연계\n"
        "J-01,재생에너지 비율,%,높을수록 좋음,2030,20,7.2 proxy\n"
        "J-02,미세먼지 농도,㎍/㎥,-1,2030,15,11.6.2 exact\n",
        encoding="utf-8",
    )
    out = run("import_indicators", str(path), "--municipality", "11260")
    assert "2 created" in out
    assert LocalIndicator.objects.get(code="J-02").direction == -1
    assert "2 unchanged" in run("import_indicators", str(path), "--municipality", "11260", "--dry-run")


def test_import_indicators_needs_a_municipality(tmp_path):
    with pytest.raises(CommandError, match="--municipality"):
        run("import_indicators", str(tmp_path / "x.csv"))

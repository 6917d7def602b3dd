"""Import rules that keep values from being silently wrong or lost: absent columns, one number
rule, units, readable errors, and bulk updates equal to simple-history's (real files, read back)."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from apps.core.spreadsheets import SpreadsheetError
from apps.indicators.models import LocalIndicator, Observation
from apps.indicators.services import (
    SpreadsheetImportError,
    indicator_retire,
    indicators_import,
    observations_import,
)
from tests.factories import make_indicator


def write_xlsx(path, header, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def write_csv(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def errors_of(excinfo) -> list[str]:
    return [str(e) for e in excinfo.value.report.errors]


@pytest.fixture
def l1(muni_a):
    return make_indicator(muni_a, "L1", {}, unit="명")


# --------------------------------------------------------------------------- absent columns


def test_an_annex_without_the_optional_columns_keeps_what_is_stored(muni_a, l1, tmp_path):
    full = write_xlsx(
        tmp_path / "full.xlsx",
        ["indicator_code", "year", "value", "source", "provisional", "estimated", "note"],
        [["L1", 2020, 5, "통계청", True, True, "추정"]],
    )
    assert observations_import(file=full, municipality=muni_a).created == 1
    bare = write_csv(tmp_path / "bare.csv", ["indicator_code,year,value", "L1,2020,5"])

    report = observations_import(file=bare, municipality=muni_a)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    obs = Observation.objects.get(local_indicator=l1)
    assert (obs.value, obs.source, obs.is_provisional, obs.is_estimated, obs.note) == (
        5,
        "통계청",
        True,
        True,
        "추정",
    )

    write_csv(bare, ["indicator_code,year,value", "L1,2020,6"])
    assert observations_import(file=bare, municipality=muni_a).updated == 1
    obs.refresh_from_db()
    assert (obs.value, obs.source, obs.is_provisional, obs.is_estimated, obs.note) == (
        6,
        "통계청",
        True,
        True,
        "추정",
    )
    latest = obs.history.order_by("-history_id").first()
    assert (latest.history_type, latest.value, latest.source, latest.is_estimated) == ("~", 6, "통계청", True)


def test_a_present_column_with_a_blank_cell_still_clears_the_value(muni_a, l1, tmp_path):
    observations_import(
        file=write_csv(tmp_path / "a.csv", ["indicator_code,year,value,source", "L1,2020,5,통계청"]),
        municipality=muni_a,
    )
    report = observations_import(
        file=write_csv(tmp_path / "b.csv", ["indicator_code,year,value,source", "L1,2020,5,"]),
        municipality=muni_a,
    )
    assert report.updated == 1
    assert Observation.objects.get(local_indicator=l1).source == ""


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "cell, stored",
    [
        ("1,234", 1234),
        ("1,234,567.5", 1234567.5),
        ("1234.5", 1234.5),
        (" -0.25 ", -0.25),
        ("1.234", 1.234),
        ("2.5E3", 2500),
        (".5", 0.5),
    ],
)
def test_numbers_with_thousands_separators_in_threes_are_read(muni_a, l1, tmp_path, cell, stored):
    observations_import(
        file=write_csv(tmp_path / "n.csv", ["indicator_code,year,value", f'L1,2020,"{cell}"']),
        municipality=muni_a,
    )
    assert Observation.objects.get(local_indicator=l1).value == stored


@pytest.mark.parametrize(
    "cell, reason",
    [
        ("22,85", "groups of three"),
        ("1,23,4", "groups of three"),
        ("1,2345", "groups of three"),
        ("1.234,5", "groups of three"),
        ("1 234", "not a number"),
        ("12%", "not a number"),
        ("１２", "not a number"),
        ("nan", "not a number"),
        ("inf", "not a number"),
    ],
)
def test_an_ambiguous_number_is_a_row_error_and_nothing_is_saved(muni_a, l1, tmp_path, cell, reason):
    path = write_csv(tmp_path / "n.csv", ["indicator_code,year,value", "L1,2019,1", f'L1,2020,"{cell}"'])
    with pytest.raises(SpreadsheetImportError) as excinfo:
        observations_import(file=path, municipality=muni_a)
    [error] = errors_of(excinfo)
    assert error.startswith("row 3, column C (value): ") and reason in error and " / " in error
    assert not Observation.objects.exists()


def test_the_same_number_rule_holds_for_years_and_indicator_values(muni_a, tmp_path):
    with pytest.raises(SpreadsheetImportError) as excinfo:
        observations_import(
            file=write_csv(tmp_path / "y.csv", ["indicator_code,year,value", 'L1,"20,20",1']),
            municipality=muni_a,
        )
    assert "groups of three" in errors_of(excinfo)[-1]
    path = write_xlsx(
        tmp_path / "m.xlsx",
        ["indicator_code", "name_ko", "baseline_value", "target_value"],
        [["K1", "지표", "22,85", "1,000"]],
    )
    with pytest.raises(SpreadsheetImportError) as excinfo:
        indicators_import(file=path, municipality=muni_a)
    assert errors_of(excinfo) == [
        "row 2, column C (baseline_value): 쉼표는 세 자리마다 끊는 천 단위 구분에만 쓰고 소수점은 '.'입니다 / a comma may"
        + " only separate thousands in groups of three, and the decimal point is '.': '22,85'"
    ]


# --------------------------------------------------------------------------- units


def test_a_known_unit_is_converted_and_the_dry_run_says_so(muni_a, l1, tmp_path):
    path = write_csv(
        tmp_path / "u.csv",
        [
            "indicator_code,year,value,unit",
            "L1,2020,1.5,천명",
            "L1,2021,1.25,천 명",
            "L1,2022,1700,명",
            "L1,2023,1800,",
        ],
    )
    preview = observations_import(file=path, municipality=muni_a, dry_run=True)
    assert preview.conversion_lines() == ["L1: 천명 → 명 (2행 / rows)"]
    assert preview.as_dict()["conversions"] == ["L1: 천명 → 명 (2행 / rows)"]
    assert not Observation.objects.exists()
    report = observations_import(file=path, municipality=muni_a)
    assert report.created == 4
    assert dict(Observation.objects.values_list("year", "value")) == {
        2020: 1500,
        2021: 1250,
        2022: 1700,
        2023: 1800,
    }


def test_a_permille_value_becomes_an_exact_percentage(muni_a, tmp_path):
    ind = make_indicator(muni_a, "P1", {}, unit="%")
    observations_import(
        file=write_csv(tmp_path / "p.csv", ["indicator_code,year,value,unit", "P1,2020,0.3,‰"]),
        municipality=muni_a,
    )
    assert Observation.objects.get(local_indicator=ind).value == 0.03


def test_a_thousand_persons_never_overwrite_persons_silently(muni_a, l1, tmp_path):
    observations_import(
        file=write_csv(tmp_path / "a.csv", ["indicator_code,year,value,unit", "L1,2020,1500,명"]),
        municipality=muni_a,
    )
    report = observations_import(
        file=write_csv(tmp_path / "b.csv", ["indicator_code,year,value,unit", "L1,2020,1.5,천명"]),
        municipality=muni_a,
    )
    assert (report.unchanged, report.updated) == (1, 0)  # 1.5 천명 is the 1,500 명 already stored
    assert Observation.objects.get(local_indicator=l1).value == 1500


def test_an_unknown_or_unrelated_unit_is_a_row_error(muni_a, l1, tmp_path):
    make_indicator(muni_a, "N1", {}, unit="")
    path = write_csv(
        tmp_path / "u.csv",
        ["indicator_code,year,value,unit", "L1,2020,3,kg", "L1,2021,3,가구", "N1,2020,3,%"],
    )
    with pytest.raises(SpreadsheetImportError) as excinfo:
        observations_import(file=path, municipality=muni_a)
    errors = errors_of(excinfo)
    assert [e.split(":")[0] for e in errors] == [
        "row 2, column D (unit)",
        "row 3, column D (unit)",
        "row 4, column D (unit)",
    ]
    assert "no known conversion applies: kg" in errors[0] and "(명)" in errors[0]
    assert "indicator N1 has no unit" in errors[2]
    assert not Observation.objects.exists()


def test_the_api_preview_lists_the_conversions(muni_a, l1, planner_a, tmp_path):
    path = write_csv(tmp_path / "u.csv", ["indicator_code,year,value,unit", "L1,2020,2,만명"])
    client = APIClient(enforce_csrf_checks=True)
    client.force_authenticate(planner_a)
    with open(path, "rb") as handle:
        response = client.post(
            "/api/v1/observations/import/",
            {"file": handle, "municipality": "11260", "dry_run": True},
            format="multipart",
        )
    assert response.status_code == 200, response.content
    assert response.json()["conversions"] == ["L1: 만명 → 명 (1행 / rows)"]
    assert not Observation.objects.exists()


# --------------------------------------------------------------------------- retired indicators


def test_an_import_writes_no_value_of_a_retired_indicator(muni_a, l1, planner_a, tmp_path):
    Observation.objects.create(local_indicator=l1, year=2019, value=5)
    indicator_retire(indicator=l1, actor=planner_a)
    path = write_csv(
        tmp_path / "r.csv",
        ["indicator_code,year,value", "L1,2019,5", "L1,2020,6", "L1,2019,7"],
    )
    with pytest.raises(SpreadsheetImportError) as excinfo:
        observations_import(file=path, municipality=muni_a, actor=planner_a)
    reason = (
        "지표 L1은(는) 폐지되어 값을 넣거나 바꿀 수 없습니다 (먼저 복원하세요) / "
        "indicator L1 is retired: it takes no new or changed values (reinstate it first)"
    )
    # Row 2 repeats the stored value (nothing to write); row 4 is row 2's key again.
    assert errors_of(excinfo) == [
        f"row 3, column A (indicator_code): {reason}",
        "row 4, column A (indicator_code): 2행과 같은 지표·기간·세분류입니다 / duplicate of row 2 "
        "(same indicator, period and disaggregation)",
    ]
    assert list(l1.observations.values_list("year", "value")) == [(2019, 5.0)]

    unchanged = write_csv(tmp_path / "same.csv", ["indicator_code,year,value", "L1,2019,5"])
    assert observations_import(file=unchanged, municipality=muni_a, actor=planner_a).unchanged == 1

    client = APIClient(enforce_csrf_checks=True)
    client.force_authenticate(planner_a)
    changed = write_csv(tmp_path / "changed.csv", ["indicator_code,year,value", "L1,2019,8"])
    with open(changed, "rb") as handle:
        response = client.post(
            "/api/v1/observations/import/", {"file": handle, "municipality": "11260"}, format="multipart"
        )
    assert response.status_code == 400 and response.json()["code"] == "import_failed"
    assert response.json()["errors"]["non_field_errors"] == [f"row 2, column A (indicator_code): {reason}"]
    assert list(l1.observations.values_list("year", "value")) == [(2019, 5.0)]


# --------------------------------------------------------------------------- errors


def test_a_date_cell_is_shown_as_a_date(muni_a, l1, tmp_path):
    path = write_xlsx(
        tmp_path / "d.xlsx",
        ["indicator_code", "year", "value"],
        [["L1", 2020, datetime.datetime(2024, 1, 31)], ["L1", datetime.date(2021, 5, 1), 1]],
    )
    with pytest.raises(SpreadsheetImportError) as excinfo:
        observations_import(file=path, municipality=muni_a)
    assert errors_of(excinfo) == [
        "row 2, column C (value): 숫자가 아닙니다 / not a number: 2024-01-31",
        "row 3, column B (year): 정수가 아닙니다 / not a whole number: 2021-05-01",
    ]


def test_a_missing_column_is_reported_once_with_the_columns_that_were_ignored(
    muni_a, l1, planner_a, tmp_path
):
    path = write_csv(tmp_path / "m.csv", ["indicator_code,year,측정치", "L1,2020,1"])
    with pytest.raises(SpreadsheetError) as excinfo:
        observations_import(file=path, municipality=muni_a)
    assert excinfo.value.extra["errors"] == [
        "row 1, column value: 필수 열이 없습니다 / required column is missing"
    ]
    assert "'측정치'" in excinfo.value.message and "column value" not in excinfo.value.message

    with pytest.raises(CommandError) as excinfo:
        call_command("import_observations", str(path), "--municipality", "11260", stdout=io.StringIO())
    text = str(excinfo.value)
    assert text.count("required column is missing") == 1 and "'측정치'" in text

    client = APIClient(enforce_csrf_checks=True)
    client.force_authenticate(planner_a)
    with open(path, "rb") as handle:
        response = client.post(
            "/api/v1/observations/import/", {"file": handle, "municipality": "11260"}, format="multipart"
        )
    assert response.status_code == 400
    assert response.content.decode().count("required column is missing") == 1


def test_a_failed_import_names_the_columns_it_ignored(muni_a, l1, tmp_path):
    path = write_csv(tmp_path / "i.csv", ["indicator_code,year,value,Quelle,Anmerkung", "L1,2020,x,a,b"])
    with pytest.raises(SpreadsheetImportError) as excinfo:
        observations_import(file=path, municipality=muni_a)
    assert "columns not recognised and ignored: 'Quelle', 'Anmerkung'" in excinfo.value.message
    assert excinfo.value.extra["ignored_columns"] == ["Quelle", "Anmerkung"]


def test_a_huge_unknown_code_is_cut_in_the_message(muni_a, l1, tmp_path):
    path = write_csv(tmp_path / "c.csv", ["indicator_code,year,value", "Z" * 5000 + ",2020,1"])
    with pytest.raises(SpreadsheetImportError) as excinfo:
        observations_import(file=path, municipality=muni_a)
    [error] = errors_of(excinfo)
    assert len(error) < 250 and "5,000" in error


# --------------------------------------------------------------------------- bulk writes

_KEY = ("local_indicator__code", "year", "district")
_STORED = (
    "value",
    "source",
    "is_provisional",
    "is_estimated",
    "note",
    "origin_kind",
    "origin_file",
    "origin_sheet",
    "origin_cell",
    "imported_by__username",
)


def _snapshot():
    """Everything the two write paths must agree on, ids aside: the rows in id order (file
    order for new ones), and each history row with the key of the observation its id names."""
    rows = list(Observation.objects.order_by("pk").values_list(*_KEY, *_STORED))
    keys = {pk: key for pk, *key in Observation.objects.values_list("pk", *_KEY)}
    history = sorted(
        (tuple(keys[row[0]]), *row[1:])
        for row in Observation.history.values_list(
            "id",
            *_KEY,
            *_STORED,
            "history_type",
            "history_user__username",
            "history_change_reason",
        )
    )
    return rows, history


def test_the_sql_bulk_writes_write_what_simple_history_writes(muni_a, l1, planner_a, settings, tmp_path):
    make_indicator(muni_a, "L2", {}, unit="명")
    header = "indicator_code,year,district,value,source,provisional,note"
    first = write_csv(
        tmp_path / "upload.csv",
        [header]
        + [
            f"L{i},{year},동{d},{year + d},통계청,1,메모"
            for i in (2, 1)
            for year in (2022, 2020, 2021)
            for d in range(3)
        ],
    )
    # Changed values, one unchanged row, a cleared note, new rows among them; estimated and
    # provisional columns absent.
    second = write_csv(
        tmp_path / "fix.csv",
        ["indicator_code,year,district,value,source,note"]
        + [
            f"L{i},{year},동{d},{(year + d) if (year, d) == (2020, 0) else year * 2 + d},통계청,{'' if d else '메모'}"
            for i in (1, 2)
            for year in (2020, 2021, 2022, 2023)
            for d in range(3)
        ],
    )
    snapshots, reports = [], []
    for fast in (True, False):
        Observation.history.all().delete()
        Observation.objects.all()._raw_delete("default")
        settings.IMPORT_SQL_BULK_UPDATE = fast
        created = observations_import(file=first, municipality=muni_a, actor=planner_a).created
        report = observations_import(file=second, municipality=muni_a, actor=planner_a)
        reports.append((created, report.created, report.updated, report.unchanged))
        snapshots.append(_snapshot())
        if fast:  # one history date per import and kind (simple-history takes the time per row)
            assert Observation.history.values("history_date").distinct().count() == 3
    assert reports == [(18, 6, 16, 2), (18, 6, 16, 2)]
    assert snapshots[0] == snapshots[1]
    rows, history = snapshots[0]
    assert rows[0][:3] == ("L2", 2022, "동0") and rows[-1][:3] == ("L2", 2023, "동2")  # file order
    assert (
        "L1",
        2021,
        "동1",
        4043.0,
        "통계청",
        True,
        False,
        "",
        "file",
        "fix.csv",
        "",
        "D6",
        "planner_a",
    ) in rows
    assert len(history) == 18 + 6 + 16
    assert {h[-3:] for h in history} == {
        ("+", "planner_a", "import upload.csv"),
        ("+", "planner_a", "import fix.csv"),
        ("~", "planner_a", "import fix.csv"),
    }
    assert LocalIndicator.objects.filter(code__in=["L1", "L2"]).count() == 2


def test_the_metadata_import_does_not_relabel_stored_values_with_another_unit(muni_a, tmp_path):
    with_values = make_indicator(muni_a, "K1", {2020: 1500}, unit="명")
    empty = make_indicator(muni_a, "K2", {}, unit="명")
    header = ["indicator_code", "name_ko", "unit"]
    with pytest.raises(SpreadsheetImportError) as excinfo:
        indicators_import(
            file=write_xlsx(tmp_path / "m.xlsx", header, [["K1", "인구", "천명"], ["K2", "가구", "천명"]]),
            municipality=muni_a,
        )
    [error] = errors_of(excinfo)
    assert error.startswith("row 2, column C (unit): ") and "1 stored value(s) are in '명'" in error
    report = indicators_import(
        file=write_xlsx(tmp_path / "n.xlsx", header, [["K1", "인구", " 명 "], ["K2", "가구", "천명"]]),
        municipality=muni_a,
    )
    assert report.updated == 2
    with_values.refresh_from_db()
    empty.refresh_from_db()
    assert (with_values.unit, empty.unit) == (" 명 ", "천명")

"""Spreadsheet imports of observations and indicators: all or nothing, every bad cell reported."""

from __future__ import annotations

import io

import openpyxl
import pytest

from apps.core.exceptions import PermissionDeniedError
from apps.core.layout import ANNEX_COLUMNS, METADATA_COLUMNS
from apps.core.spreadsheets import SpreadsheetError
from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation
from apps.indicators.services import (
    SpreadsheetImportError,
    indicators_import,
    observations_import,
)
from tests.factories import make_indicator

HEADER = [c.header for c in ANNEX_COLUMNS]


def xlsx(rows, header=HEADER, title="Sheet1") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def annex_row(code="L1", year=2020, value=1.5, muni="11260", **extra):
    row = dict.fromkeys(c.key for c in ANNEX_COLUMNS)
    row.update(municipality_code=muni, indicator_code=code, year=year, value=value, **extra)
    return [row[c.key] for c in ANNEX_COLUMNS]


def csv_bytes(lines: list[str], encoding="utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


@pytest.fixture
def l1(muni_a):
    return make_indicator(muni_a, "L1", {})


def errors_of(excinfo) -> list[str]:
    return [str(e) for e in excinfo.value.report.errors]


# --------------------------------------------------------------------------- observations


def test_it_creates_then_updates_then_leaves_observations_unchanged(muni_a, l1):
    first = observations_import(
        file=xlsx([annex_row(year=2020), annex_row(year=2021, sex="female", value=2)]), municipality=muni_a
    )
    assert (first.created, first.updated, first.unchanged, first.rows) == (2, 0, 0, 2)
    again = observations_import(
        file=xlsx([annex_row(year=2020), annex_row(year=2021, sex="female", value=2)]), municipality=muni_a
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = observations_import(
        file=xlsx([annex_row(year=2020, value=9.25, provisional=True)]), municipality=muni_a
    )
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 0)
    obs = Observation.objects.get(local_indicator=l1, year=2020)
    assert (obs.value, obs.is_provisional) == (9.25, True)
    assert Observation.objects.get(local_indicator=l1, year=2021).sex == "female"


def test_history_records_who_imported_what(muni_a, l1, planner_a):
    observations_import(file=xlsx([annex_row()]), municipality=muni_a, actor=planner_a)
    observations_import(file=xlsx([annex_row(value=3.0)]), municipality=muni_a, actor=planner_a)
    obs = Observation.objects.get(local_indicator=l1)
    history = list(
        obs.history.order_by("history_id").values_list(
            "history_type", "value", "history_user__username", "history_change_reason"
        )
    )
    assert history == [("+", 1.5, "planner_a", "import upload"), ("~", 3.0, "planner_a", "import upload")]


def test_every_bad_cell_is_reported_and_nothing_is_saved(muni_a, muni_b, l1):
    make_indicator(muni_b, "B1", {})
    rows = [
        annex_row(year=2020),  # row 2: fine
        annex_row(code="NOPE"),  # row 3: unknown indicator
        annex_row(code="B1", muni="41210"),  # row 4: other municipality
        annex_row(year=2021, value="abc"),  # row 5: not a number
        annex_row(year=2022, sex="unknown"),  # row 6: unknown disaggregation
        annex_row(year=2020),  # row 7: duplicate of row 2
        annex_row(year="twenty"),  # row 8: year
        annex_row(year=2023, quarter=7),  # row 9: quarter
        annex_row(year=2024, value=None),  # row 10: missing value
        annex_row(year=2025, provisional="maybe"),  # row 11: flag
    ]
    with pytest.raises(SpreadsheetImportError) as excinfo:
        observations_import(file=xlsx(rows), municipality=muni_a)
    errors = errors_of(excinfo)
    assert len(errors) == 9
    expected = [
        ("row 3, column B (indicator_code)", "unknown indicator code"),
        ("row 4, column A (municipality_code)", "another municipality"),
        ("row 5, column K (value)", "not a number"),
        ("row 6, column F (sex)", "unknown sex disaggregation"),
        ("row 7, column B (indicator_code)", "duplicate of row 2"),
        ("row 8, column D (year)", "not a whole number"),
        ("row 9, column E (quarter)", "between 0 and 4"),
        ("row 10, column K (value)", "value is missing"),
        ("row 11, column N (provisional)", "not a yes/no value"),
    ]
    for (where, reason), error in zip(expected, errors):
        assert error.startswith(where + ": ") and reason in error, error
    assert all(" / " in e for e in errors)  # Korean / English
    assert Observation.objects.count() == 0
    assert "nothing was saved" in excinfo.value.message
    assert excinfo.value.extra["errors"] == errors


def test_a_dry_run_reports_what_would_change_and_saves_nothing(muni_a, l1):
    report = observations_import(
        file=xlsx([annex_row(), annex_row(year=2021)]), municipality=muni_a, dry_run=True
    )
    assert (report.created, report.dry_run) == (2, True)
    assert Observation.objects.count() == 0
    assert Observation.history.count() == 0


def test_a_missing_required_column_is_named(muni_a, l1):
    header = [h for h in HEADER if not h.startswith("값")]
    with pytest.raises(SpreadsheetError) as excinfo:
        observations_import(file=xlsx([["11260", "L1", "x", 2020]], header=header), municipality=muni_a)
    assert excinfo.value.extra["errors"] == [
        "row 1, column value: 필수 열이 없습니다 / required column is missing"
    ]


def test_without_a_municipality_each_row_names_its_own(muni_a, muni_b, l1):
    make_indicator(muni_b, "B1", {})
    report = observations_import(file=xlsx([annex_row(), annex_row(code="B1", muni="41210")]))
    assert report.created == 2
    with pytest.raises(SpreadsheetImportError) as excinfo:
        observations_import(file=xlsx([["L1", 2020, 1.0]], header=["indicator_code", "year", "value"]))
    assert errors_of(excinfo)[0].startswith("row 1, column municipality_code: ")


def test_a_planner_imports_only_into_their_own_municipality(muni_a, muni_b, l1, planner_a, planner_b):
    make_indicator(muni_b, "B1", {})
    with pytest.raises(PermissionDeniedError):
        observations_import(file=xlsx([annex_row()]), municipality=muni_a, actor=planner_b)
    with pytest.raises(SpreadsheetImportError) as excinfo:
        observations_import(file=xlsx([annex_row(), annex_row(code="B1", muni="41210")]), actor=planner_a)
    assert errors_of(excinfo) == [
        "row 3, column A (municipality_code): 알 수 없거나 권한이 없는 지자체 코드 / unknown municipality code or no permission: 41210"
    ]
    assert observations_import(file=xlsx([annex_row()]), actor=planner_a).created == 1


def test_a_short_csv_with_korean_headers_in_cp949_and_thousands_separators(muni_a, l1):
    content = csv_bytes(
        ["지표 코드,연도,성별,값,비고", 'L1,2020,여성,"1,234.5",잠정', "L1,2021,,7,"], encoding="cp949"
    )
    report = observations_import(file=content, municipality=muni_a)
    assert report.created == 2
    assert Observation.objects.get(year=2020).value == 1234.5
    assert Observation.objects.get(year=2020).sex == "female"


def test_a_title_row_above_the_header_is_skipped_and_row_numbers_stay_true(muni_a, l1):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["중랑구 지표 자료 (2024)"])
    ws.append([])
    ws.append(["indicator_code", "year", "value"])
    ws.append(["L1", 2020, 1])
    ws.append([])
    ws.append(["L1", 2021, "x"])
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(SpreadsheetImportError) as excinfo:
        observations_import(file=buffer.getvalue(), municipality=muni_a)
    assert errors_of(excinfo) == ["row 6, column C (value): 숫자가 아닙니다 / not a number: 'x'"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old .xls"),
        (b"PK\x03\x04" + b"\x00" * 100, "not an xlsx workbook"),
        (bytes(range(256)) * 4, "not an xlsx or csv file"),
        (b"", "empty"),
    ],
    ids=["old-xls", "zip-not-xlsx", "binary", "empty"],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_clearly(muni_a, content, message):
    with pytest.raises(SpreadsheetError) as excinfo:
        observations_import(file=content, municipality=muni_a)
    assert message in excinfo.value.message


def test_an_ods_saved_as_zip_is_refused(muni_a):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(SpreadsheetError, match="not an xlsx workbook"):
        observations_import(file=buffer.getvalue(), municipality=muni_a)


def test_files_over_the_size_limit_are_refused(muni_a, settings, tmp_path):
    settings.MAX_SPREADSHEET_BYTES = 100
    path = tmp_path / "big.csv"
    path.write_bytes(b"indicator_code,year,value\n" + b"L1,2020,1\n" * 20)
    for file in (path, path.read_bytes(), io.BytesIO(path.read_bytes())):
        with pytest.raises(SpreadsheetError, match="too large"):
            observations_import(file=file, municipality=muni_a)


def test_the_annex_sheet_is_found_among_other_sheets(muni_a, l1):
    wb = openpyxl.Workbook()
    wb.active.append(["표지"])
    annex = wb.create_sheet("data")
    annex.append(["indicator_code", "year", "value"])
    annex.append(["L1", 2020, 4])
    buffer = io.BytesIO()
    wb.save(buffer)
    report = observations_import(file=buffer.getvalue(), municipality=muni_a)
    assert (report.sheet, report.created) == ("data", 1)


# --------------------------------------------------------------------------- indicators

META = [c.header for c in METADATA_COLUMNS]


def meta_row(**values):
    row = dict.fromkeys(c.key for c in METADATA_COLUMNS)
    row.update(values)
    return [row[c.key] for c in METADATA_COLUMNS]


def test_it_creates_and_updates_indicators_with_their_alignment(muni_a):
    content = xlsx(
        [
            meta_row(
                indicator_code="E1",
                name_ko="재생에너지 비율",
                unit="%",
                direction="높을수록 좋음 / higher is better",
                baseline_year=2015,
                baseline_value=3.2,
                target_year=2030,
                target_value=20,
                alignments="7.2.1 exact; 13.2",
            ),
            meta_row(
                indicator_code="E2", name_en="PM2.5", direction=-1, target_note="지속 감소", public=True
            ),
        ],
        header=META,
    )
    report = indicators_import(file=content, municipality=muni_a)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    e1 = LocalIndicator.objects.get(code="E1")
    assert (e1.direction, e1.baseline_value, e1.target_value) == (1, 3.2, 20.0)
    assert sorted(
        IndicatorAlignment.objects.filter(local_indicator=e1).values_list(
            "target__code", "indicator__code", "alignment"
        )
    ) == [("13.2", None, "proxy"), ("7.2", "7.2.1", "exact")]
    assert LocalIndicator.objects.get(code="E2").direction == -1

    assert indicators_import(file=content, municipality=muni_a).unchanged == 2
    changed = xlsx(
        [
            meta_row(
                indicator_code="E1",
                name_ko="재생에너지 비율",
                unit="%",
                direction=1,
                baseline_year=2015,
                baseline_value=3.2,
                target_year=2030,
                target_value=25,
                alignments="7.2.1 exact",
            )
        ],
        header=META,
    )
    report = indicators_import(file=changed, municipality=muni_a)
    assert (report.created, report.updated) == (0, 1)
    e1.refresh_from_db()
    assert e1.target_value == 25
    assert list(e1.alignments.values_list("target__code", flat=True)) == ["7.2"]
    assert e1.history.count() == 2


def test_only_the_columns_in_the_file_are_written(muni_a):
    ind = make_indicator(muni_a, "K1", {}, unit="명", department="환경과", target_year=2030, target_value=5)
    report = indicators_import(
        file=xlsx([["K1", "새 이름"]], header=["지표 코드", "지표명(국문)"]), municipality=muni_a
    )
    assert report.updated == 1
    ind.refresh_from_db()
    assert (ind.name_ko, ind.unit, ind.department, ind.target_value) == ("새 이름", "명", "환경과", 5)
    assert ind.alignments.count() == 1  # no alignment column: alignments untouched


def test_bad_indicator_rows_are_reported_cell_by_cell(muni_a):
    content = xlsx(
        [
            meta_row(indicator_code="X1", name_ko="a", direction="sideways"),
            meta_row(indicator_code="X2", name_ko="b", alignments="99.9"),
            meta_row(indicator_code="X3"),
            meta_row(
                indicator_code="X4",
                name_ko="d",
                baseline_year=2020,
                baseline_value=1,
                target_year=2019,
                target_value=2,
            ),
            meta_row(indicator_code="X1", name_ko="dup"),
            meta_row(indicator_code="X6", name_ko="f", target_year=2030),
            meta_row(indicator_code="X7", name_ko="g", municipality_code="41210"),
        ],
        header=META,
    )
    with pytest.raises(SpreadsheetImportError) as excinfo:
        indicators_import(file=content, municipality=muni_a)
    errors = errors_of(excinfo)
    for prefix in [
        "row 2, column F (direction)",
        "row 3, column P (alignments)",
        "row 4, column C (name_ko)",
        "row 5, column J (target_year)",
        "row 6, column B (indicator_code)",
        "row 7, column K (target_value)",
        "row 8, column A (municipality_code)",
    ]:
        assert any(e.startswith(prefix + ": ") for e in errors), (prefix, errors)
    assert LocalIndicator.objects.filter(municipality=muni_a).count() == 0


def test_indicators_import_needs_edit_rights(muni_a, planner_b):
    with pytest.raises(PermissionDeniedError):
        indicators_import(
            file=xlsx([meta_row(indicator_code="Z", name_ko="z")], header=META),
            municipality=muni_a,
            actor=planner_b,
        )


def test_blank_lines_in_a_csv_are_skipped_but_counted(muni_a, l1):
    content = csv_bytes(["indicator_code,year,value", "L1,2020,1", "", "L1,2021,oops"])
    with pytest.raises(SpreadsheetImportError) as excinfo:
        observations_import(file=content, municipality=muni_a)
    assert errors_of(excinfo) == ["row 4, column C (value): 숫자가 아닙니다 / not a number: 'oops'"]

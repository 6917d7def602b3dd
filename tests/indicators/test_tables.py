"""Tables as cities and KOSIS keep them: wide, CP949 csv and xlsx with merged headers, markers,
region names with provinces (apps/core/tables.py, apps/indicators/services/tables.py).

The files are built here the way a KOSIS table-viewer download looks (행정구역별 rows × 시점
columns, a second header row with item and unit, ``2023 p)``, ``-``/``x``/``…``, a province
column merged or left blank down its districts, a footnote row)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from apps.core.exceptions import ApplicationError
from apps.core.spreadsheets import read_grid
from apps.core.tables import Layout, detect_layout
from apps.indicators.models import Observation
from apps.indicators.services import SpreadsheetImportError
from apps.indicators.services.tables import observations_import_table
from apps.municipalities.models import Municipality
from tests.factories import make_indicator

KOSIS_CSV = (
    "시도별,시군구별,2021,,2022,,2023 p),\n"
    "시도별,시군구별,초미세먼지 (㎍/㎥),미세먼지 (㎍/㎥),초미세먼지 (㎍/㎥),미세먼지 (㎍/㎥),초미세먼지 (㎍/㎥),미세먼지 (㎍/㎥)\n"
    "전국,소계,18,36,18,35,17,34\n"
    "서울특별시,소계,20,38,19,37,18,36\n"
    ",중구,21,39,-,38,19,37\n"
    ",중랑구,20.5,40,x,39,18.2,36\n"
    "인천광역시,중구,22,41,21,40,…,39\n"
    "자료: 환경부 「대기환경월보」,,,,,,,\n"
)


def kosis_xlsx() -> bytes:
    """One item, title row, merged 행정구역별 heading over two header rows, province merged down."""
    wb = Workbook()
    ws = wb.active
    ws.title = "데이터"
    ws.append(["시군구별 초미세먼지 농도"])
    ws.append([])
    ws.append(["행정구역별", None, "2021", "2022", "2023 p)"])
    ws.append([None, None, "초미세먼지 (㎍/㎥)", "초미세먼지 (㎍/㎥)", "초미세먼지 (㎍/㎥)"])
    ws.append(["서울특별시", "중구", 21, "-", 19])
    ws.append([None, "중랑구", 20.5, "x", "18.2"])
    ws.append(["대구광역시", "중구", 23, 22, 21])
    ws.append([None, "군위군", 15, 14, "13.5 e)"])
    ws.merge_cells("A3:B4")
    ws.merge_cells("A5:A6")
    ws.merge_cells("A7:A8")
    ws.append(["주: 2023년은 잠정치"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def pm25_a(muni_a):
    return make_indicator(muni_a, "ENV-PM25", {}, unit="μg/m³", name_ko="초미세먼지 농도")


def test_the_detector_says_how_each_column_of_a_kosis_csv_was_understood():
    layout = detect_layout(read_grid(KOSIS_CSV.encode("cp949")))
    assert (layout.orientation, layout.header_first, layout.header_last, layout.data_first) == (
        "wide",
        1,
        2,
        3,
    )
    roles = [(c.letter, c.role, c.period, c.item, c.unit, c.flag) for c in layout.columns]
    assert roles[:4] == [
        ("A", "region", "", "", "", ""),
        ("B", "region", "", "", "", ""),
        ("C", "value", "2021", "초미세먼지", "㎍/㎥", ""),
        ("D", "value", "2021", "미세먼지", "㎍/㎥", ""),  # the blank csv heading repeats 2021
    ]
    assert roles[6] == ("G", "value", "2023", "초미세먼지", "㎍/㎥", "p")
    # plain data: it goes to the browser and back
    assert Layout.from_dict(json.loads(json.dumps(layout.as_dict()))).as_dict() == layout.as_dict()


def test_a_cp949_kosis_csv_keeps_the_municipalitys_row_with_markers_missing_never_zero(muni_a, pm25_a):
    report = observations_import_table(
        file=KOSIS_CSV.encode("cp949"), indicator=pm25_a, item="초미세먼지", actor=None
    )
    values = {o.year: (o.value, o.is_provisional) for o in Observation.objects.filter(local_indicator=pm25_a)}
    assert values == {2021: (20.5, False), 2023: (18.2, True)}  # 서울 중랑구 only; 2022 is 'x'
    assert report.created == 2
    assert report.missing == [
        "row 6, column E: 비밀 보호로 공개하지 않음 / confidential (KOSIS 'x') — 값을 저장하지 않음 / no value stored"
    ]
    assert report.other_regions > 0


def test_a_table_with_several_items_asks_which_one(muni_a, pm25_a):
    with pytest.raises(ApplicationError, match="several items") as exc:
        observations_import_table(file=KOSIS_CSV.encode("cp949"), indicator=pm25_a)
    assert exc.value.extra["items"] == ["미세먼지", "초미세먼지"]
    assert not Observation.objects.exists()


def test_an_xlsx_with_merged_headers_and_a_province_merged_down_imports(pm25_a):
    daegu_jung = Municipality.objects.get(code="27110")
    d_ind = make_indicator(daegu_jung, "ENV-PM25", {}, unit="㎍/㎥")
    layout = detect_layout(read_grid(kosis_xlsx()))
    assert (layout.header_first, layout.header_last, layout.data_first) == (3, 4, 5)
    assert [c.role for c in layout.columns] == ["region", "region", "value", "value", "value"]
    observations_import_table(file=kosis_xlsx(), indicator=pm25_a)
    observations_import_table(file=kosis_xlsx(), indicator=d_ind)
    assert sorted(Observation.objects.filter(local_indicator=pm25_a).values_list("year", "value")) == [
        (2021, 20.5),
        (2023, 18.2),
    ]
    # 대구 중구, not 서울 중구: the merged province cell says which
    assert sorted(Observation.objects.filter(local_indicator=d_ind).values_list("year", "value")) == [
        (2021, 23.0),
        (2022, 22.0),
        (2023, 21.0),
    ]


def test_gunwi_under_daegu_and_an_estimate_flag(db):
    gunwi = Municipality.objects.get(code="27720")
    ind = make_indicator(gunwi, "PM", {}, unit="㎍/㎥")
    observations_import_table(file=kosis_xlsx(), indicator=ind)
    obs = Observation.objects.get(local_indicator=ind, year=2023)
    assert (obs.value, obs.is_estimated, obs.is_provisional) == (13.5, True, False)


def test_every_municipality_of_a_national_table_in_one_run(muni_a):
    seoul_jung = Municipality.objects.get(code="11140")
    a = make_indicator(muni_a, "초미세먼지", {}, unit="㎍/㎥")
    b = make_indicator(seoul_jung, "초미세먼지", {}, unit="㎍/㎥")
    incheon_jung = Municipality.objects.get(code="28110")
    c = make_indicator(incheon_jung, "초미세먼지", {}, unit="㎍/㎥")
    seoul = Municipality.objects.get(code="11000")
    s = make_indicator(seoul, "초미세먼지", {}, unit="㎍/㎥")
    report = observations_import_table(file=KOSIS_CSV.encode("utf-8-sig"), item="초미세먼지")
    assert report.error_count == 0
    assert Observation.objects.get(local_indicator=s, year=2021).value == 20  # 서울특별시 소계
    assert Observation.objects.get(local_indicator=b, year=2021).value == 21
    assert not Observation.objects.filter(local_indicator=b, year=2022).exists()  # '-'
    assert Observation.objects.get(local_indicator=c, year=2022).value == 21
    assert Observation.objects.filter(local_indicator=a).count() == 2


def test_a_bare_jung_gu_never_resolves_without_its_province(db):
    incheon_jung = Municipality.objects.get(code="28110")
    ind = make_indicator(incheon_jung, "PM", {}, unit="㎍/㎥")
    csv = "행정구역별,2021,2022\n중구,22,21\n"
    with pytest.raises(SpreadsheetImportError) as exc:
        observations_import_table(file=csv.encode("cp949"), indicator=ind)
    errors = exc.value.extra["errors"]
    assert errors[0].startswith("row 2, column B: '중구'은(는) 여러 지자체의 이름입니다")
    assert "give its province" in errors[0] and "인천광역시 중구 28110" in errors[0]
    assert not Observation.objects.exists()


def test_bad_cells_are_all_reported_and_nothing_is_saved(muni_a, pm25_a):
    csv = '행정구역별,2021,2022,2023\n서울특별시 중랑구,"22,85",abc,10\n'
    with pytest.raises(SpreadsheetImportError) as exc:
        observations_import_table(file=csv.encode("utf-8"), indicator=pm25_a)
    errors = exc.value.extra["errors"]
    assert errors[0].startswith("row 2, column B: 쉼표는")
    assert errors[1] == "row 2, column C: 숫자가 아닙니다 / not a number: 'abc'"
    assert not Observation.objects.exists()


def test_a_unit_in_the_header_is_converted_or_refused(muni_a):
    people = make_indicator(muni_a, "POP", {}, unit="명")
    csv = "행정구역별,2022,2023\n행정구역별,인구 (천명),인구 (천명)\n서울특별시 중랑구,385.2,380\n"
    report = observations_import_table(file=csv.encode("utf-8"), indicator=people)
    assert report.conversion_lines() == ["POP: 천명 → 명 (2행 / rows)"]
    assert Observation.objects.get(local_indicator=people, year=2022).value == 385_200
    ratio = make_indicator(muni_a, "R", {}, unit="%")
    with pytest.raises(SpreadsheetImportError, match="import failed") as exc:
        observations_import_table(file=csv.encode("utf-8"), indicator=ratio)
    assert "no known conversion applies: 천명" in exc.value.extra["errors"][0]


def test_a_long_table_with_korean_header_synonyms(muni_a, pm25_a):
    csv = "지표코드,년도,데이터,단위,목표치\nENV-PM25,2022,19,㎍/㎥,15\nENV-PM25,2023 p),18,㎍/㎥,15\n"
    layout = detect_layout(read_grid(csv.encode("cp949")))
    assert [c.role for c in layout.columns] == ["item", "period", "value", "unit", "ignore"]
    observations_import_table(file=csv.encode("cp949"), municipality=muni_a)
    assert sorted(Observation.objects.values_list("year", "value", "is_provisional")) == [
        (2022, 19.0, False),
        (2023, 18.0, True),
    ]


def test_a_corrected_mapping_is_used_and_a_wrong_one_refused(muni_a, pm25_a):
    csv = "구분,2022,2023\n서울특별시 중랑구,19,18\n"
    layout = detect_layout(read_grid(csv.encode("utf-8"))).as_dict()
    assert layout["columns"][0]["role"] == "region"  # the first label column, by default
    layout["columns"][2]["role"] = "ignore"  # the user drops 2023
    observations_import_table(file=csv.encode("utf-8"), indicator=pm25_a, layout=layout)
    assert list(Observation.objects.values_list("year", flat=True)) == [2022]
    layout["columns"][1]["role"] = "valeu"
    with pytest.raises(ApplicationError, match="mapping is wrong") as exc:
        observations_import_table(file=csv.encode("utf-8"), indicator=pm25_a, layout=layout)
    assert exc.value.extra["errors"][0].startswith("column B: 알 수 없는 역할 / unknown role 'valeu'")


def test_the_command_takes_a_wide_table_for_one_indicator(tmp_path, muni_a, pm25_a):
    path = tmp_path / "kosis.xlsx"
    path.write_bytes(kosis_xlsx())
    out = io.StringIO()
    args = ["import_observations", str(path), "--municipality", "11260", "--indicator", "ENV-PM25"]
    call_command(*args, "--dry-run", stdout=out)
    assert "2 created" in out.getvalue() and "dry run" in out.getvalue()
    assert "row 6, column D: 비밀 보호로 공개하지 않음" in out.getvalue()
    assert not Observation.objects.exists()
    call_command(*args, stdout=io.StringIO())
    assert Observation.objects.count() == 2
    out = io.StringIO()
    call_command(*args, stdout=out)
    assert "0 created, 0 updated, 2 unchanged" in out.getvalue()
    with pytest.raises(CommandError, match="unknown indicator code in 11260: NOPE"):
        call_command("import_observations", str(path), "--municipality", "11260", "--indicator", "NOPE")


def test_the_annex_import_knows_korean_header_synonyms_and_spacing(muni_a, pm25_a):
    from apps.indicators.services import observations_import

    csv = "지표코드,년도,데이터\nENV-PM25,2022,19\n"
    report = observations_import(file=csv.encode("utf-8"), municipality=muni_a)
    assert (report.created, report.ignored_columns) == (1, [])


def test_the_api_previews_the_mapping_then_imports_with_the_corrected_one(
    muni_a, pm25_a, planner_a, planner_b
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.test import APIClient

    def post(client, **fields):
        upload = SimpleUploadedFile("kosis.csv", KOSIS_CSV.encode("cp949"))
        return client.post(
            "/api/v1/observations/import-table/", {"file": upload, **fields}, format="multipart"
        )

    client = APIClient(enforce_csrf_checks=True)
    client.force_authenticate(planner_a)
    preview = post(client, municipality="11260", preview="true")
    assert preview.status_code == 200
    layout = preview.json()["layout"]
    assert [c["role"] for c in layout["columns"]][:3] == ["region", "region", "value"]
    assert preview.json()["rows"][1][2] == "초미세먼지 (㎍/㎥)"
    for column in layout["columns"]:  # the user keeps only 초미세먼지 2021 and 2023
        if column["item"] == "미세먼지" or column["period"] == "2022":
            column["role"] = "ignore"
    answer = post(
        client, municipality="11260", indicator="ENV-PM25", layout=json.dumps(layout), dry_run="true"
    )
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["created"], answer.json()["dry_run"]) == (2, True)
    assert not Observation.objects.exists()
    assert (
        post(client, municipality="11260", indicator="ENV-PM25", layout=json.dumps(layout)).json()["created"]
        == 2
    )
    assert Observation.objects.count() == 2
    bad = post(client, municipality="11260", indicator="ENV-PM25", layout="[1, 2]")
    assert bad.status_code == 400 and "column mapping cannot be read" in bad.content.decode()
    other = APIClient(enforce_csrf_checks=True)
    other.force_authenticate(planner_b)
    assert (
        post(other, municipality="11260", indicator="ENV-PM25", layout=json.dumps(layout)).status_code == 403
    )


def test_the_import_page_previews_lets_the_user_correct_and_saves_the_mapping(muni_a, pm25_a, planner_a):
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from apps.indicators.models import TableMapping

    client = Client(enforce_csrf_checks=True)
    client.force_login(planner_a)
    url = "/m/11260/import/table/"
    token = lambda: client.cookies["csrftoken"].value  # noqa: E731
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("kosis.csv", KOSIS_CSV.encode("cp949"))
    page = client.post(
        url, {"csrfmiddlewaretoken": token(), "step": "preview", "file": upload, "indicator": pm25_a.pk}
    )
    html = page.content.decode()
    assert page.status_code == 200 and not Observation.objects.exists()
    # the detected mapping, shown to be corrected: column C is 2021's 초미세먼지 in ㎍/㎥
    assert '<option value="value" selected>' in html and 'name="col-2-unit" value="㎍/㎥"' in html
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    fields.update(dict(re.findall(r'<input name="(col-[^"]+)" value="([^"]*)"', html)))
    for i in range(int(fields["columns"])):
        fields[f"col-{i}-role"] = "region" if i < 2 else "value"
    fields["col-3-role"] = fields["col-5-role"] = fields["col-7-role"] = "ignore"  # 미세먼지: not ours
    fields["col-4-role"] = "ignore"  # and the user drops 2022
    fields.update(
        {"csrfmiddlewaretoken": token(), "indicator": pm25_a.pk, "save_as": "KOSIS 초미세먼지", "dry_run": ""}
    )
    fields.update({"header_first": "1", "header_last": "2", "data_first": "3"})
    done = client.post(url, fields)
    assert done.status_code == 200, done.content.decode()[:500]
    assert "Import saved" in done.content.decode() or "저장" in done.content.decode()
    assert sorted(Observation.objects.values_list("year", "value")) == [(2021, 20.5), (2023, 18.2)]
    saved = TableMapping.objects.get(municipality=muni_a, name="KOSIS 초미세먼지")
    assert [c["role"] for c in saved.layout["columns"]][3:5] == ["ignore", "ignore"]
    # next year: the saved mapping is offered and applied in the preview
    upload = SimpleUploadedFile("kosis.csv", KOSIS_CSV.encode("cp949"))
    again = client.post(
        url,
        {
            "csrfmiddlewaretoken": token(),
            "step": "preview",
            "file": upload,
            "indicator": pm25_a.pk,
            "mapping": saved.pk,
        },
    ).content.decode()
    select = re.search(r'name="col-4-role".*?</select>', again, re.DOTALL).group(0)
    assert '<option value="ignore" selected>' in select


def test_each_value_says_which_file_sheet_and_cell_it_came_from_and_who_imported_it(pm25_a, planner_a):
    observations_import_table(file=kosis_xlsx(), indicator=pm25_a, actor=planner_a)
    obs = Observation.objects.get(local_indicator=pm25_a, year=2023)
    assert (obs.origin_kind, obs.origin_file, obs.origin_sheet, obs.origin_cell) == (
        "file",
        "upload",
        "데이터",
        "E6",
    )
    assert (obs.imported_by, obs.source, obs.kosis_tbl_id) == (planner_a, "", "")
    assert obs.citation == "upload · 데이터 · E6"
    entry = obs.history.first()
    assert (entry.history_user, entry.history_change_reason) == (planner_a, "import upload")


def test_a_grid_is_read_whole_only_up_to_a_cell_limit_merges_included(monkeypatch):
    from apps.core import spreadsheets
    from apps.core.spreadsheets import SpreadsheetError

    monkeypatch.setattr(spreadsheets, "MAX_GRID_CELLS", 40)
    wb = Workbook()
    ws = wb.active
    for n in range(5):
        ws.append([f"r{n}", 1, 2, 3])
    ws.merge_cells("B1:D1")
    out = io.BytesIO()
    wb.save(out)
    # openpyxl writes one merge per range; a hostile file may repeat overlapping ones
    crafted = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as src, zipfile.ZipFile(crafted, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                merges = b"".join(b'<mergeCell ref="A1:D5"/>' for _ in range(3))
                data = data.replace(b'<mergeCell ref="B1:D1"/>', merges)
            dst.writestr(info, data)
    out = crafted
    with pytest.raises(SpreadsheetError, match="more than 40 cells"):
        read_grid(out.getvalue())
    with pytest.raises(SpreadsheetError, match="more than 40 cells"):
        read_grid(("a,b,c,d,e\n" * 10).encode())
    assert len(read_grid(("a,b,c,d\n" * 10).encode()).rows) == 10


def test_the_command_prints_the_mapping_and_takes_it_back_corrected(tmp_path, muni_a, pm25_a):
    path = tmp_path / "kosis.csv"
    path.write_bytes(KOSIS_CSV.encode("cp949"))
    out = io.StringIO()
    call_command("import_observations", str(path), "--show-layout", stdout=out)
    layout = json.loads(out.getvalue())
    for column in layout["columns"]:
        if column["item"] == "미세먼지":
            column["role"] = "ignore"
    mapping = tmp_path / "kosis-pm25.json"
    mapping.write_text(json.dumps(layout, ensure_ascii=False), encoding="utf-8")
    args = ["import_observations", str(path), "--municipality", "11260", "--indicator", "ENV-PM25"]
    call_command(*args, "--layout", str(mapping), stdout=io.StringIO())
    assert sorted(Observation.objects.values_list("year", "value")) == [(2021, 20.5), (2023, 18.2)]
    with pytest.raises(CommandError, match="several items"):
        call_command(*args, stdout=io.StringIO())


def test_a_transposed_table_periods_as_rows_regions_as_columns(pm25_a):
    csv = "시점,서울특별시 중랑구,서울특별시 중구\n2021,20.5,21\n2022 p),x,20\n"
    layout = detect_layout(read_grid(csv.encode("utf-8")))
    assert layout.orientation == "transposed"
    assert [(c.role, c.region) for c in layout.columns] == [
        ("period", ""),
        ("value", "서울특별시 중랑구"),
        ("value", "서울특별시 중구"),
    ]
    report = observations_import_table(file=csv.encode("utf-8"), indicator=pm25_a)
    assert sorted(Observation.objects.values_list("year", "value")) == [(2021, 20.5)]
    assert report.missing[0].startswith("row 3, column B: 비밀 보호로 공개하지 않음")


def test_a_retired_indicator_takes_no_value_from_a_table_either(muni_a, pm25_a):
    pm25_a.retired_at = "2024-01-01T00:00:00Z"
    pm25_a.save()
    csv = '행정구역별,2021,2022\n서울특별시 중랑구,19,"1,0"\n'
    with pytest.raises(SpreadsheetImportError) as exc:
        observations_import_table(file=csv.encode("utf-8"), indicator=pm25_a)
    [number, retired] = exc.value.extra["errors"]  # both reported by the same run
    assert number.startswith("row 2, column C: 쉼표는")
    assert retired == (
        "row 2, column B: 지표 ENV-PM25은(는) 폐지되어 값을 넣거나 바꿀 수 없습니다 (먼저 복원하세요) / "
        "indicator ENV-PM25 is retired: it takes no new or changed values (reinstate it first)"
    )
    assert not Observation.objects.exists()

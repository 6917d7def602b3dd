"""The VLR workbook, read back with openpyxl and pandas."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import openpyxl
import pandas as pd
import pytest

from apps.core.layout import ANNEX_COLUMNS, ANNEX_SHEET, METADATA_SHEET
from apps.evidence.models import EvidenceLink
from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation
from apps.indicators.progress import STATUS_LABELS
from apps.indicators.selectors import indicator_progress, local_indicators_for
from apps.indicators.services import indicators_import, observations_import
from apps.initiatives.models import Initiative
from apps.vlr.exports import vlr_workbook as vw
from apps.vlr.exports.vlr_workbook import vlr_workbook_build, vlr_workbook_bytes
from apps.vlr.models import EditionSection
from apps.vlr.services import edition_transition
from tests.factories import make_indicator, populate

OBS_FIELDS = (
    "local_indicator__code",
    "year",
    "quarter",
    "sex",
    "age_group",
    "district",
    "income_group",
    "disability",
    "value",
    "source",
    "is_provisional",
    "is_estimated",
    "note",
)


def observations(muni):
    return sorted(Observation.objects.filter(local_indicator__municipality=muni).values_list(*OBS_FIELDS))


def export(muni, year=2023, **kwargs) -> bytes:
    return vlr_workbook_bytes(municipality=muni, year=year, **kwargs)


def load(content: bytes, **kwargs):
    return openpyxl.load_workbook(io.BytesIO(content), **kwargs)


def rows_of(ws) -> list[tuple]:
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


@pytest.fixture
def report(muni_a):
    populate(muni_a, 4)
    return export(muni_a)


def test_sheets_follow_the_vlr_outline(report):
    assert load(report).sheetnames == [
        vw.COVER,
        vw.CONTENTS,
        "서론 Introduction",
        "정책 환경 Enabling environment",
        "이행 서술 Progress narrative",
        "향후 과제 Way forward",
        "부록 해설 Annex notes",
        vw.OVERVIEW,
        vw.PROGRESS,
        vw.INITIATIVES,
        vw.EVIDENCE,
        ANNEX_SHEET,
        METADATA_SHEET,
        vw.CHART_DATA,
    ]


def test_only_included_sections_are_exported_in_the_editions_order(muni_a):
    _inds, edition = populate(muni_a, 1)
    EditionSection.objects.filter(edition=edition, code__startswith="enabling.").update(included=False)
    EditionSection.objects.filter(edition=edition, code="opening").update(included=False)
    EditionSection.objects.filter(edition=edition, code="methodology").update(order=0, title_ko="추진 경과")
    wb = load(export(muni_a))
    assert "정책 환경 Enabling environment" not in wb.sheetnames
    rows = rows_of(wb["서론 Introduction"])
    assert [r[1] for r in rows[1:]] == ["methodology", "highlights", "introduction"]
    assert rows[1][2] == "추진 경과"


def test_every_status_in_the_progress_sheet_matches_the_engine(muni_a, report):
    live = {
        p.indicator.code: p for p in indicator_progress(local_indicators_for(municipality=muni_a), as_of=2023)
    }
    ws = load(report)[vw.PROGRESS]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) for name in header}
    checked = 0
    for cells in ws.iter_rows(min_row=2):
        code = cells[col["지표 코드 / Indicator code"]].value
        if not code:
            continue
        item = live[code]
        label = cells[col["계열 / Series"]].value
        if label.startswith("종합"):
            expected = item.aggregate.status
        else:
            series = next(s for s in item.series if label.startswith(f"{s.label_ko} / {s.label_en}"))
            expected = series.progress.status
            assert cells[col["비율 / Ratio (R)"]].value == series.progress.R
            assert cells[col["최신값 / Latest value (xt)"]].value == series.progress.xt
        status_ko, status_en = cells[col["상태 / Status (국문)"]], cells[col["Status (English)"]]
        assert (status_ko.value, status_en.value) == (STATUS_LABELS[expected].ko, STATUS_LABELS[expected].en)
        assert status_ko.fill.fgColor.rgb[-6:] == STATUS_LABELS[expected].colour[1:]
        checked += 1
    # 4 indicators x (combined + 3 series), under each aligned target (2 targets for odd ones)
    assert checked == 4 * 4 + 2 * 4


def test_every_annex_number_matches_the_database(muni_a, report):
    frame = pd.read_excel(io.BytesIO(report), sheet_name=ANNEX_SHEET, dtype=object)
    assert list(frame.columns) == [c.header for c in ANNEX_COLUMNS]
    frame = frame.where(frame.notna(), "")
    got = sorted(
        (r[1], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[12], r[13], r[14], r[15])
        for r in frame.itertuples(index=False, name=None)
    )
    assert got == observations(muni_a)
    assert all(isinstance(v, float | int) for v in frame.iloc[:, 10])


FORMULA_LIKE = {
    "name_ko": '=HYPERLINK("http://evil.example","click")',
    "source": "+82-2-2094-0000",
    "note": "@SUM(A1:A9)",
    "age_group": "-5",
    "district": "\tcmd",
    "income_group": "#N/A",
}


def test_text_that_looks_like_a_formula_is_written_as_text_and_reads_back_unchanged(muni_a):
    ind = make_indicator(muni_a, "=CODE", {}, name_ko=FORMULA_LIKE["name_ko"])
    Observation.objects.create(
        local_indicator=ind,
        year=2020,
        value=1.5,
        source=FORMULA_LIKE["source"],
        note=FORMULA_LIKE["note"],
        age_group=FORMULA_LIKE["age_group"],
        district=FORMULA_LIKE["district"],
        income_group=FORMULA_LIKE["income_group"],
    )
    Observation.objects.create(local_indicator=ind, year=2021, value=-2.0, note="\r\nline")
    content = export(muni_a)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)
    ws = load(content)[ANNEX_SHEET]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, cells)) for cells in ws.iter_rows(min_row=2)]
    row = next(r for r in rows if r["연도 / Year"].value == 2020)
    for key, text in [
        ("지표 코드 / Indicator code", "=CODE"),
        ("지표명 / Indicator name", FORMULA_LIKE["name_ko"]),
        ("출처 / Source", FORMULA_LIKE["source"]),
        ("비고 / Note", FORMULA_LIKE["note"]),
        ("연령대 / Age group", "-5"),
        ("지역 / District", "\tcmd"),
        ("소득 계층 / Income group", "#N/A"),
    ]:
        cell = row[key]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True), key
    assert row["값 / Value"].value == 1.5 and row["값 / Value"].data_type == "n"
    frame = pd.read_excel(
        io.BytesIO(content), sheet_name=ANNEX_SHEET, dtype=object, keep_default_na=False, na_values=[]
    ).set_index("연도 / Year")
    assert frame.loc[2020, "지표명 / Indicator name"] == FORMULA_LIKE["name_ko"]
    assert frame.loc[2020, "소득 계층 / Income group"] == "#N/A"
    assert frame.loc[2021, "비고 / Note"] == "\r\nline" and frame.loc[2021, "값 / Value"] == -2
    # …and the importer takes the file back without a change
    assert observations_import(file=content, municipality=muni_a).unchanged == 2


def test_control_characters_a_worksheet_cannot_hold_are_dropped(muni_a):
    ind = make_indicator(muni_a, "CTRL", {})
    Observation.objects.create(local_indicator=ind, year=2020, value=1.0, note="a\x01b\x1fc")
    ws = load(export(muni_a))[ANNEX_SHEET]
    assert ws["P2"].value == "abc"


def test_export_then_import_into_an_empty_database_gives_identical_data(muni_a):
    populate(muni_a, 5)
    Observation.objects.filter(local_indicator__code="L001", year=2020, sex="").update(
        is_provisional=True, note="=잠정치", source="-"
    )
    ind = LocalIndicator.objects.get(code="L002")
    Observation.objects.create(local_indicator=ind, year=2021, quarter=3, district="면목동", value=0.1 + 0.2)
    indicator_fields = (
        "code",
        "name_ko",
        "name_en",
        "unit",
        "direction",
        "is_binary",
        "baseline_year",
        "baseline_value",
        "target_year",
        "target_value",
        "target_note",
        "data_source",
        "department",
        "definition",
        "is_public",
    )
    before_indicators = sorted(
        LocalIndicator.objects.filter(municipality=muni_a).values_list(*indicator_fields)
    )
    before_alignments = sorted(
        IndicatorAlignment.objects.values_list(
            "local_indicator__code", "target__code", "indicator__code", "alignment"
        )
    )
    before = observations(muni_a)
    content = export(muni_a)

    EvidenceLink.objects.all().delete()
    Initiative.objects.all().delete()
    LocalIndicator.objects.filter(municipality=muni_a).delete()
    assert observations(muni_a) == []

    assert indicators_import(file=content, municipality=muni_a).created == 5
    report = observations_import(file=content)
    assert (report.created, report.updated, report.unchanged) == (len(before), 0, 0)
    assert observations(muni_a) == before
    assert (
        sorted(LocalIndicator.objects.filter(municipality=muni_a).values_list(*indicator_fields))
        == before_indicators
    )
    assert (
        sorted(
            IndicatorAlignment.objects.values_list(
                "local_indicator__code", "target__code", "indicator__code", "alignment"
            )
        )
        == before_alignments
    )
    again = observations_import(file=content, municipality=muni_a)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(before))


def test_cover_says_when_values_are_sample_data(muni_a):
    populate(muni_a, 1)
    cover = rows_of(load(export(muni_a))[vw.COVER])
    assert not any("Sample data" in str(r[0]) for r in cover)
    muni_a.is_sample_data = True
    muni_a.save()
    cover = rows_of(load(export(muni_a))[vw.COVER])
    assert any("Sample data" in str(r[0]) and "fictional" in r[1] for r in cover)
    assert isinstance({r[0]: r[1] for r in cover}["작성 일시 / Generated at"], datetime)


def test_contents_link_to_every_sheet(report):
    wb = load(report)
    links = [row[1].hyperlink.location for row in wb[vw.CONTENTS].iter_rows(min_row=2)]
    assert links == [f"'{name}'!A1" for name in wb.sheetnames]


def test_overview_has_seventeen_goals_in_their_colours(report):
    from apps.sdg.models import Goal

    ws = load(report)[vw.OVERVIEW]
    colours = {g.number: g.colour[1:].upper() for g in Goal.objects.all()}
    goal_rows = list(ws.iter_rows(min_row=2))
    assert [r[0].value for r in goal_rows] == list(range(1, 18))
    for cells in goal_rows:
        assert cells[0].fill.fgColor.rgb[-6:] == colours[cells[0].value]
    goal11 = goal_rows[10]
    assert goal11[3].value == "✓"  # focus goal
    assert goal11[5].value == 4  # all four indicators are aligned to 11.6


def test_numbers_dates_frozen_headers_filters_and_hyperlinks(report):
    wb = load(report)
    ini = wb[vw.INITIATIVES]
    assert ini["G2"].is_date and ini["G2"].value == datetime(2021, 3, 1)
    assert ini["I2"].value == 1_000_000 and ini["I2"].number_format == "#,##0"
    for name in (vw.PROGRESS, vw.INITIATIVES, vw.EVIDENCE, ANNEX_SHEET, METADATA_SHEET):
        assert wb[name].freeze_panes is not None
        assert wb[name].auto_filter.ref.startswith("A1:")
    assert wb[ANNEX_SHEET].auto_filter.ref == f"A1:P{wb[ANNEX_SHEET].max_row}"
    ev = wb[vw.EVIDENCE]
    assert ev["E2"].hyperlink.target == ev["E2"].value and ev["E2"].value.startswith("https://example.org/")
    assert ev["C2"].is_date


def test_one_trend_chart_per_focus_goal(muni_a):
    _inds, edition = populate(muni_a, 3)
    from apps.sdg.models import Goal

    edition.focus_goals.set(Goal.objects.filter(number__in=[3, 11, 16]))  # 16 has no indicator
    with zipfile.ZipFile(io.BytesIO(export(muni_a))) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2


def test_declared_sheet_sizes_are_exact(report):
    full = load(report)
    fast = load(report, read_only=True)
    for name in (vw.OVERVIEW, vw.PROGRESS, vw.INITIATIVES, vw.EVIDENCE, ANNEX_SHEET, METADATA_SHEET):
        assert (fast[name].max_row, fast[name].max_column) == (full[name].max_row, full[name].max_column), (
            name
        )


def test_an_export_without_an_edition_still_has_the_data(muni_a):
    make_indicator(muni_a, "ONLY", {2015: 1.0, 2020: 2.0})
    wb = load(export(muni_a, year=2021))
    assert wb.sheetnames[2] == vw.OVERVIEW
    assert any("no edition" in str(r[1]) for r in rows_of(wb[vw.COVER]))
    assert wb[ANNEX_SHEET].max_row == 3


@pytest.mark.parametrize("n", [2, 20])
def test_export_queries_do_not_depend_on_the_number_of_indicators(n, muni_a, django_assert_num_queries):
    populate(muni_a, n)
    # the 17 report-data queries (the edition is looked up once), the city's own framework (none)
    with django_assert_num_queries(18):
        vlr_workbook_build(municipality=muni_a, year=2023).save(io.BytesIO())


def test_export_for_a_user_starts_from_for_user(muni_a, planner_b, planner_a):
    populate(muni_a, 4)

    def codes(user):
        return sorted({r[1] for r in rows_of(load(export(muni_a, user=user))[ANNEX_SHEET])[1:]})

    assert codes(planner_a) == ["L000", "L001", "L002", "L003"]
    assert codes(planner_b) == ["L000", "L002"]


def test_an_approved_edition_exports_the_numbers_frozen_at_approval(muni_a, planner_a, coordinator):
    [ind, *_], edition = populate(muni_a, 2)
    edition_transition(edition=edition, action="submit", actor=planner_a)
    edition_transition(edition=edition, action="approve", actor=coordinator)
    frozen = observations(muni_a)
    Observation.objects.filter(local_indicator=ind).update(value=-1.0)
    content = export(muni_a)
    frame = pd.read_excel(io.BytesIO(content), sheet_name=ANNEX_SHEET, dtype=object)
    assert sorted(frame.iloc[:, 10].tolist()) == sorted(o[8] for o in frozen)
    cover = {r[0]: r[1] for r in rows_of(load(content)[vw.COVER])}
    assert "frozen at approval" in cover["자료 기준 / Data as of"]
    assert cover["상태 / Status"] == "승인됨 / approved"


def test_every_sheet_prints_landscape_fitted_to_width_with_repeated_header_and_tall_wrapped_rows(muni_a):
    _inds, edition = populate(muni_a, 3)
    EditionSection.objects.filter(edition=edition, code="opening").update(body_ko="가" * 600)
    wb = load(export(muni_a))
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.oddFooter.center.text == "&P / &N"
    assert wb[vw.PROGRESS].print_title_rows == "$1:$1"
    assert wb[ANNEX_SHEET].print_title_rows == "$1:$1"
    intro = wb["서론 Introduction"]
    opening = next(r for r in range(2, intro.max_row + 1) if intro.cell(r, 2).value == "opening")
    # 600 Hangul = 1,200 columns in a 60-wide column: 21 lines of 15 points
    assert intro.row_dimensions[opening].height == 21 * 15
    assert intro.row_dimensions[1].height >= 30  # the bilingual headers show both halves


def test_trend_charts_sit_beside_their_numbers_with_straight_lines_and_a_target_path(muni_a):
    populate(muni_a, 3)
    with zipfile.ZipFile(io.BytesIO(export(muni_a))) as archive:
        sheets = {n: archive.read(n).decode() for n in archive.namelist()}
    chart = next(text for name, text in sheets.items() if name.startswith("xl/charts/chart"))
    assert '<smooth val="0"/>' in chart and 'prstDash val="dash"' in chart
    assert '<dispBlanksAs val="span"/>' in chart
    assert "'차트 자료 Chart data'" in chart
    wb = load(export(muni_a))
    data = wb[vw.CHART_DATA]
    header = [c.value for c in data[2]]
    assert header[:2] == ["연도 / Year", "L000"] and "L000 목표 / target" in header
    # The path from the base year (100) to the target year's index: target 20.0 over base 10.0.
    target_col = header.index("L000 목표 / target") + 1
    years = {data.cell(r, 1).value: data.cell(r, target_col).value for r in range(3, data.max_row + 1)}
    assert years[2015] == 100.0 and years[2030] == 200.0


def test_an_approved_edition_exports_nothing_after_its_period(muni_a, planner_a, coordinator):
    _inds, edition = populate(muni_a, 2)
    ind = LocalIndicator.objects.get(municipality=muni_a, code="L000")
    Observation.objects.create(local_indicator=ind, year=2025, value=55.5)
    edition_transition(edition=edition, action="submit", actor=planner_a)
    edition_transition(edition=edition, action="approve", actor=coordinator)
    wb = load(vlr_workbook_bytes(municipality=muni_a, edition=edition))
    years = {row[3] for row in rows_of(wb[ANNEX_SHEET])[1:]}
    assert max(years) == 2023

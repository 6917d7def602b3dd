"""The VLR workbook (Excel): one builder for the ``export_vlr`` command, the API and the UI.

It renders the plain data of :func:`apps.vlr.selectors.report.export_data` — live data, or the
snapshot frozen when the edition was approved — into a write-only openpyxl workbook (rows are
streamed, so memory stays flat and the cost stays close to a bare ``append`` loop). Every cell
goes through the one formula-safe writer of :mod:`apps.vlr.exports.cells`.

Sheets (bilingual headers, 국문 / English): Cover, Contents (hyperlinks), one sheet per group of
narrative sections of the edition (vlr_structure.md §1, included sections only, in the
edition's order), SDG overview (17 goals in their colours), Progress (goal → target → local
indicator → series, coloured status in Korean and English, a trend chart per focus goal), Initiatives,
Evidence (URLs as hyperlinks), Statistical annex (long format, re-importable), Indicator
metadata, and Chart data when there are charts.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import LineChart, Reference
from openpyxl.utils import get_column_letter

from apps.core.layout import (
    ANNEX_COLUMNS,
    ANNEX_SHEET,
    METADATA_COLUMNS,
    METADATA_SHEET,
)
from apps.frameworks.selectors import local_framework_rows
from apps.indicators.progress import ESCAP_LABELS, STATUS_LABELS, EscapStatus, Status
from apps.vlr.choices import ReportKind
from apps.vlr.outlines import outline_of
from apps.vlr.selectors.report import export_data, initiative_goals

from .cells import SheetWriter, default_styles, sheet_location
from .report_content import section_texts

COVER = "표지 Cover"
CONTENTS = "목차 Contents"
OVERVIEW = "SDG 개요 Overview"
PROGRESS = "이행 현황 Progress"
INITIATIVES = "사업 Initiatives"
EVIDENCE = "근거 Evidence"
CHART_DATA = "차트 자료 Chart data"
LOCAL_FRAMEWORK = "우리 프레임워크 Our framework"

# Which data sheet illustrates a section (a hyperlink on its row).
SECTION_DATA_SHEET = {
    "highlights": OVERVIEW,
    "methodology": METADATA_SHEET,
    "enabling.ownership": INITIATIVES,
    "enabling.incorporation": INITIATIVES,
    "enabling.integration": INITIATIVES,
    "enabling.lnob": PROGRESS,
    "progress": PROGRESS,
    "means": INITIATIVES,
    "next_steps": PROGRESS,
    "annex.statistical": ANNEX_SHEET,
    "annex.metadata": METADATA_SHEET,
}

MAX_SERIES_PER_CHART = 8


def _group_of(code: str, previous: str | None, groups) -> str:
    for key, *_rest, codes in groups:
        if any(code == c or (c.endswith(".") and code.startswith(c)) for c in codes):
            return key
    return previous or groups[0][0]


def _date(value: str | None):
    if not value:
        return None
    try:
        return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    except ValueError:
        return value


def _num(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


DIRECTION_LABEL = {1: "높을수록 좋음 / higher is better", -1: "낮을수록 좋음 / lower is better"}


def _alignments_text(alignments: list[dict]) -> str:
    """``11.6.2 exact; 3.9 proxy`` — the format the indicator import reads back (targets reached
    through the crosswalk are not the indicator's own alignment: left out)."""
    return "; ".join(
        f"{a['indicator'] or a['target']} {a['alignment']}"
        for a in alignments
        if a["alignment"] != "crosswalk"
    )


@dataclass
class _Plan:
    narrative: list[tuple[str, str, str, str, list[dict]]]  # (key, sheet, ko, en, sections)
    charts: list[dict]  # focus goals with plotted indicators


def _plan(data: dict) -> _Plan:
    edition = data.get("edition") or {}
    # Narrative sheets follow the edition's kind (apps/vlr/outlines.py; a snapshot approved
    # before kinds existed is a VLR's).
    outline = outline_of(edition.get("kind") or ReportKind.VLR)
    groups: dict[str, list[dict]] = defaultdict(list)
    order: list[str] = []
    previous = None
    for section in sorted(edition.get("sections", []), key=lambda s: (s["order"], s["code"])):
        key = _group_of(section["code"], previous, outline.groups)
        previous = key
        if not section["included"]:
            continue
        if key not in groups:
            order.append(key)
        groups[key].append(section)
    info = {key: (sheet, ko, en) for key, sheet, ko, en, _codes in outline.groups}
    narrative = [(key, *info[key], groups[key]) for key in order]

    charts = []
    by_goal: dict[int, list[dict]] = defaultdict(list)
    for ind in data["indicators"]:
        for goal in sorted({a["goal"] for a in ind["alignments"]}):
            by_goal[goal].append(ind)
    for goal in edition.get("focus_goals", []):
        plotted = []
        for ind in by_goal.get(goal, []):
            total = next((s for s in ind["series"] if not any(s["key"].values())), None)
            if total is None or len(total["points"]) < 2:
                continue
            base = total["points"][0][1]
            if not base:
                continue  # an index needs a non-zero base value
            plotted.append((ind, total, base))
            if len(plotted) == MAX_SERIES_PER_CHART:
                break
        if plotted:
            charts.append({"goal": goal, "indicators": plotted, "more": len(by_goal[goal]) > len(plotted)})
    return _Plan(narrative=narrative, charts=charts)


def vlr_workbook_build(
    *, municipality, year: int | None = None, edition=None, user=None, data: dict | None = None
) -> Workbook:
    """Build the VLR workbook of ``municipality`` for ``year`` (or of ``edition``).

    ``user``: whose view to export (``for_user``); None for an operator's command. An approved
    or published edition with a snapshot is rendered from the snapshot. ``data`` lets a caller
    pass the export data it already has. Returns a write-only workbook: call ``save()`` once.
    """
    if data is None:
        data = export_data(municipality=municipality, year=year, edition=edition, user=user)
    if "local_framework" not in data:
        # The city's own framework as it stands at export. An approved edition reads the one its
        # snapshot froze (apps.vlr.selectors.edition_snapshot); one approved before snapshots
        # held it reads today's, and its sheet says so (``local_framework_live``).
        data = {
            **data,
            "local_framework": local_framework_rows(municipality, user),
            "local_framework_live": bool(data.get("frozen")),
        }
    return render_workbook(data)


def vlr_workbook_bytes(**kwargs) -> bytes:
    """:func:`vlr_workbook_build` saved to bytes (for HTTP responses)."""
    buffer = io.BytesIO()
    vlr_workbook_build(**kwargs).save(buffer)
    return buffer.getvalue()


def vlr_workbook_filename(data_or_municipality, year: int, kind: str = ReportKind.VLR) -> str:
    """``VLR_11260_2026.xlsx``; another kind's workbook is named by its kind
    (``local_report_11260_2026.xlsx``)."""
    code = (
        data_or_municipality["municipality"]["code"]
        if isinstance(data_or_municipality, dict)
        else data_or_municipality.code
    )
    prefix = "VLR" if kind == ReportKind.VLR else kind
    return f"{prefix}_{code}_{year}.xlsx"


def render_workbook(data: dict) -> Workbook:
    """Render export data (see :mod:`apps.vlr.selectors.report`) into a write-only workbook."""
    wb = Workbook(write_only=True)
    styles = default_styles(_StyleHost(wb))
    plan = _plan(data)
    sheets: list[tuple[str, str, str]] = [
        (COVER, "표지", "Cover"),
        (CONTENTS, "목차", "Contents"),
        *[(sheet, ko, en) for _key, sheet, ko, en, _sections in plan.narrative],
        (
            OVERVIEW,
            "17개 목표 개요: 사업·지표·근거·상태별 지표 수",
            "17 goals: initiatives, indicators, evidence, counts per status",
        ),
        (
            PROGRESS,
            "목표 → 세부목표 → 지역 지표 이행 현황과 추세",
            "Goal → target → local indicator progress and trends",
        ),
        (INITIATIVES, "사업 목록", "Initiatives"),
        (EVIDENCE, "확인된 근거와 인용", "Confirmed evidence with excerpts"),
        (ANNEX_SHEET, "통계 부록 (관측값, 재입력 가능)", "Statistical annex (observations, re-importable)"),
        (METADATA_SHEET, "지표 메타데이터 (재입력 가능)", "Indicator metadata (re-importable)"),
    ]
    if data.get("local_framework"):
        sheets.append(
            (
                LOCAL_FRAMEWORK,
                "우리 지역 프레임워크로 본 이행 현황 (연계 UN 세부목표)"
                + (" — 승인 시점이 아닌 현재 기준" if data.get("local_framework_live") else ""),
                "Progress by the city's own framework (with the UN targets it maps to)"
                + (" — as it stands now, not as approved" if data.get("local_framework_live") else ""),
            )
        )
    if plan.charts:
        sheets.append((CHART_DATA, "추세 차트 자료 (기준 연도 = 100)", "Trend chart data (base year = 100)"))

    _cover(wb, styles, data)
    _contents(wb, styles, sheets)
    texts = section_texts(data) if plan.narrative else {}  # once for every narrative sheet
    for _key, sheet, _ko, _en, sections in plan.narrative:
        _narrative(wb, styles, sheet, sections, texts)
    _overview(wb, styles, data)
    _progress(wb, styles, data, plan)
    _initiatives(wb, styles, data)
    _evidence(wb, styles, data)
    _annex(wb, styles, data)
    _metadata(wb, styles, data)
    if data.get("local_framework"):
        _local_framework(wb, styles, data)
    if plan.charts:
        _chart_data(wb, styles, plan, data)
    return wb


# --------------------------------------------------------------------------------- sheets


METHOD_NOTE = (
    "UN ESCAP 현재 상태(p, e)와 Open SDG 전망(R 또는 g, 기준 0.95/0.60 · 1.5%/0.5%); 자료가 2개 미만이면 자료 부족. "
    "/ UN ESCAP current status (p, e) and Open SDG anticipated progress (R or g; thresholds 0.95/0.60, 1.5%/0.5%); "
    "fewer than two points: insufficient data."
)


def _cover(wb, styles, data: dict) -> None:
    w = SheetWriter(wb, COVER, styles, widths=(30, 90))
    m = data["municipality"]
    edition = data.get("edition")
    if edition and edition.get("kind", ReportKind.VLR) != ReportKind.VLR:
        w.append([w.styled(edition["title_ko"], "title")])
        w.append([w.styled(edition["title_en"], "subtitle")])
    else:
        w.append([w.styled(f"{m['name_ko']} 지속가능발전목표 지역 자발적 검토 (VLR)", "title")])
        w.append([w.styled(f"{m['name_en'] or m['name_ko']} Voluntary Local Review", "subtitle")])
    w.append([])
    if m.get("is_sample_data"):
        w.append(
            [
                w.styled("시연용 가상 자료 / Sample data", "warning"),
                w.styled(
                    "이 파일의 지표·사업 값은 시연용으로 만든 가상 자료이며 실제 통계가 아닙니다. / "
                    "The indicator and initiative values in this file are fictional sample data, not official statistics.",
                    "warning",
                ),
            ]
        )
    rows = [
        ("지자체 / Municipality", f"{m['name_ko']} / {m['name_en']}" if m["name_en"] else m["name_ko"]),
        ("지자체 코드 / Code", m["code"]),
        ("보고 연도 / Reporting year", data["year"]),
    ]
    if edition:
        rows += [
            ("보고서 종류 / Kind", edition.get("kind_label") or ReportKind.VLR.label),
            ("VLR 제목 / Edition", edition["title_ko"]),
            ("", edition["title_en"]),
            (
                "보고 기간 / Reporting period",
                f"{edition['period_start'] or ''}–{edition['period_end'] or ''}"
                if edition["period_start"] or edition["period_end"]
                else None,
            ),
            ("상태 / Status", edition.get("status_label") or edition["status"]),
            ("제출 기한 / Due date", _date(edition.get("due_date"))),
            (
                "받는 곳 / Recipients",
                "; ".join(f"{r['ko']} / {r['en']}" for r in edition.get("recipients", [])) or None,
            ),
            ("중점 목표 / Focus goals", ", ".join(f"SDG {n}" for n in edition["focus_goals"]) or None),
            ("참여 / Participation", edition.get("participation")),
        ]
    else:
        rows.append(
            ("VLR 판 / Edition", "해당 연도 VLR 없음: 자료만 내보냄 / no edition for this year: data only")
        )
    frozen = data.get("frozen")
    rows += [
        ("작성 일시 / Generated at", timezone.localtime().replace(tzinfo=None, microsecond=0)),
        (
            "자료 기준 / Data as of",
            f"승인 시점에 동결된 수치 ({data.get('frozen_at', '')[:19]}) / numbers frozen at approval"
            if frozen
            else f"현재 자료 ({data.get('generated_at', '')}) / live data",
        ),
        ("지역 지표 / Local indicators", len(data["indicators"])),
        ("관측값 / Observations", sum(len(i["observations"]) for i in data["indicators"])),
        ("사업 / Initiatives", len(data["initiatives"])),
        ("확인된 근거 / Confirmed evidence", len(data["evidence"])),
        ("진척 평가 방법 / Progress method", METHOD_NOTE),
    ]
    for label, value in rows:
        style = (
            "datetime"
            if isinstance(value, datetime)
            else ("wrap" if isinstance(value, str) and len(value) > 80 else None)
        )
        w.append([w.styled(label, "bold"), w.styled(value, style)])


def _contents(wb, styles, sheets) -> None:
    w = SheetWriter(wb, CONTENTS, styles, widths=(6, 34, 60, 60), freeze="A2")
    w.header(["번호 / No", "시트 / Sheet", "내용 / Contents (국문)", "Contents (English)"])
    for number, (title, ko, en) in enumerate(sheets, start=1):
        w.append([number, w.link(title, location=sheet_location(title)), w.value(ko), w.value(en)])


def _narrative(wb, styles, sheet: str, sections: list[dict], texts: dict[str, str]) -> None:
    w = SheetWriter(wb, sheet, styles, widths=(7, 16, 20, 20, 60, 60, 80, 18), freeze="A2")
    w.header(
        [
            "순서 / Order",
            "절 코드 / Section code",
            "제목 / Title (국문)",
            "Title (English)",
            "본문 (국문)",
            "Text (English)",
            "자료 요약 / Generated from data",
            "자료 시트 / Data sheet",
        ]
    )
    for section in sections:
        target = SECTION_DATA_SHEET.get(section["code"])
        w.append(
            [
                section["order"],
                w.value(section["code"]),
                w.styled(section["title_ko"], "bold"),
                w.styled(section["title_en"], "bold"),
                w.styled(section["body_ko"], "wrap"),
                w.styled(section["body_en"], "wrap"),
                w.styled(texts.get(section["code"]), "wrap"),
                w.link(target, location=sheet_location(target)) if target else None,
            ]
        )
    w.autofilter()


def _overview(wb, styles, data: dict) -> None:
    statuses = list(Status)
    w = SheetWriter(
        wb,
        OVERVIEW,
        styles,
        widths=(8, 26, 34, 8, 10, 10, 10, *([11] * len(statuses)), 10, 14),
        freeze="D2",
        size=(1 + len(data["goals"]), 9 + len(statuses)),
    )
    w.append(
        [
            w.styled("목표 / Goal", "header"),
            w.styled("목표명 / Goal (국문)", "header"),
            w.styled("Goal (English)", "header"),
            w.styled("중점 / Focus", "header"),
            w.styled("사업 / Initiatives", "header"),
            w.styled("지역 지표 / Local indicators", "header"),
            w.styled("확인된 근거 / Confirmed evidence", "header"),
            *[
                w.styled(
                    f"{STATUS_LABELS[s].ko} / {STATUS_LABELS[s].en}", styles.colour(STATUS_LABELS[s].colour)
                )
                for s in statuses
            ],
            w.styled("평가 지표 / Assessed", "header"),
            w.styled("순항·달성 비율 / Share on track or achieved", "header"),
        ]
    )
    summaries = {s["goal"]: s for s in data["goal_summaries"]}
    focus = set((data.get("edition") or {}).get("focus_goals", []))
    for goal in data["goals"]:
        s = summaries[goal["number"]]
        fill = styles.colour(goal["colour"])
        w.append(
            [
                w.styled(goal["number"], fill),
                w.styled(goal["short_ko"], fill),
                w.styled(goal["short_en"], fill),
                w.value("✓" if goal["number"] in focus else None),
                s["initiatives"],
                s["indicators"],
                s["evidence"],
                *[s["counts"][str(st)] for st in statuses],
                s["assessed"],
                w.styled(s["share_on_track_or_achieved"], "percent"),
            ]
        )
    w.autofilter()


PROGRESS_HEADERS = [
    "목표 / Goal",
    "세부목표 / Target",
    "지표 코드 / Indicator code",
    "지표명 / Indicator name",
    "계열 / Series",
    "단위 / Unit",
    "방향 / Direction",
    "기준 연도 / Base year (t0)",
    "기준값 / Base value (x0)",
    "최신 연도 / Latest year (t)",
    "최신값 / Latest value (xt)",
    "목표 연도 / Target year (T)",
    "목표값 / Target value (xT)",
    "진척률 / Progress made (p)",
    "기대 진척률 / Expected by now (e)",
    "비율 / Ratio (R)",
    "성장률 / Growth (g)",
    "점수 / Score",
    "상태 / Status (국문)",
    "Status (English)",
    "날씨 / Weather",
    "ESCAP 전망 / ESCAP outlook",
    "관측 수 / Points",
    "비고 / Note",
]


def _progress_row(w, styles, goal, target, ind, label, progress: dict | None, status: dict, score):
    colour = styles.colour(status["colour"])
    st = Status(status["status"])
    p = progress or {}
    escap = p.get("escap_status")
    return [
        goal,
        w.value(target),
        w.value(ind["code"]),
        w.value(ind["name_ko"] or ind["name_en"]),
        w.value(label),
        w.value(ind["unit"]),
        w.value("↑" if ind["direction"] == 1 else "↓"),
        p.get("t0"),
        w.value(_num(p.get("x0"))),
        p.get("t"),
        w.value(_num(p.get("xt"))),
        p.get("T"),
        w.value(_num(p.get("xT"))),
        w.styled(_num(p.get("p")), "percent"),
        w.styled(_num(p.get("e")), "percent"),
        w.styled(_num(p.get("R")), "ratio"),
        w.styled(_num(p.get("g")), "percent2"),
        w.styled(_num(score), "ratio"),
        w.styled(STATUS_LABELS[st].ko, colour),
        w.styled(STATUS_LABELS[st].en, colour),
        w.value(STATUS_LABELS[st].weather_ko),
        w.value(" / ".join(ESCAP_LABELS[EscapStatus(escap)]) if escap else None),
        p.get("n_points"),
        w.value(p.get("note")),
    ]


def _progress(wb, styles, data: dict, plan: _Plan) -> None:
    widths = (7, 9, 12, 34, 18, 9, 6, 9, 11, 9, 11, 9, 11, 10, 10, 9, 9, 8, 12, 18, 9, 20, 7, 40)
    w = SheetWriter(wb, PROGRESS, styles, widths=widths, freeze="E2", buffered=True)
    w.header(PROGRESS_HEADERS)
    by_target: dict[str, list[dict]] = defaultdict(list)
    unaligned = []
    for ind in data["indicators"]:
        if not ind["alignments"]:
            unaligned.append(ind)
        for a in ind["alignments"]:
            by_target[a["target"]].append(ind)
    summaries = {s["goal"]: s for s in data["goal_summaries"]}
    n_cols = len(PROGRESS_HEADERS)

    def indicator_rows(goal_no, target_code, ind):
        series = ind["series"]
        if len(series) == 1:
            s = series[0]
            w.append(
                _progress_row(
                    w,
                    styles,
                    goal_no,
                    target_code,
                    ind,
                    f"{s['label_ko']} / {s['label_en']}",
                    s["progress"],
                    ind["status"],
                    s["progress"]["score"],
                )
            )
            return
        agg = ind["status"]
        w.append(
            _progress_row(
                w,
                styles,
                goal_no,
                target_code,
                ind,
                f"종합 ({agg['n_series']}개 계열) / combined ({agg['n_series']} series)",
                None,
                agg,
                agg["score"],
            )
        )
        for index, s in enumerate(series):
            label = f"{s['label_ko']} / {s['label_en']}"
            if agg.get("worst_series") == index:
                label += " — 가장 뒤처진 집단 / furthest behind"
            w.append(
                _progress_row(
                    w,
                    styles,
                    goal_no,
                    target_code,
                    ind,
                    label,
                    s["progress"],
                    s["progress"],
                    s["progress"]["score"],
                )
            )

    for goal in data["goals"]:
        n = goal["number"]
        fill = styles.colour(goal["colour"])
        s = summaries[n]
        share = s["share_on_track_or_achieved"]
        summary = (
            (
                f"지역 지표 {s['indicators']}개, 순항·달성 {share:.0%} / {s['indicators']} local indicators, "
                f"{share:.0%} on track or achieved"
            )
            if share is not None
            else (f"지역 지표 {s['indicators']}개 / {s['indicators']} local indicators")
        )
        w.append(
            [
                w.styled(n, fill),
                w.styled(None, fill, keep_empty=True),
                w.styled(None, fill, keep_empty=True),
                w.styled(f"SDG {n} {goal['short_ko']} / {goal['short_en']}", fill),
                w.styled(summary, fill),
                *[w.styled(None, fill, keep_empty=True) for _ in range(n_cols - 5)],
            ]
        )
        for target in (t for t in data["targets"] if t["goal"] == n):
            w.append(
                [
                    n,
                    w.styled(target["code"], "bold"),
                    None,
                    w.styled(f"{target['title_ko'] or target['title_en']}", "bold"),
                ]
            )
            for ind in by_target[target["code"]]:
                indicator_rows(n, target["code"], ind)
    if unaligned:
        w.append(
            [None, None, None, w.styled("SDG 세부목표 연계 없음 / Not aligned to an SDG target", "subtitle")]
        )
        for ind in unaligned:
            indicator_rows(None, None, ind)
    w.autofilter()
    w.flush()

    # The trend charts (one per focus goal) sit beside their numbers in the Chart data sheet.


class _StyleHost:
    """What a cell needs to register styles in a workbook (styles are defined before any
    sheet exists, so they are shared by all sheets)."""

    def __init__(self, wb):
        self.parent = wb


CHART_ROWS = 16  # rows a chart takes (7.5 cm high at the default row height)


def _chart_data(wb, styles, plan: _Plan, data: dict) -> None:
    """Per focus goal: a block of indexed values (base year = 100) per indicator and, dashed,
    the path from each indicator's base to its target (as an index), with the line chart of
    that block beside it. Lines are straight (no smoothing) and gaps are spanned, so the two
    points of a target path draw as one line."""
    n_cols = 1 + 2 * MAX_SERIES_PER_CHART
    w = SheetWriter(wb, CHART_DATA, styles, widths=(10, *([11] * (n_cols - 1))))
    chart_col = get_column_letter(n_cols + 2)
    goals = {g["number"]: g for g in data["goals"]}
    for chart_plan in plan.charts:
        indicators = chart_plan["indicators"]
        targets = []
        for ind, total, base in indicators:
            target_year, target = ind.get("target_year"), _num(ind.get("target_value"))
            first_year = total["points"][0][0]
            usable = target_year is not None and target is not None and target_year > first_year
            targets.append((first_year, target_year, round(target / base * 100, 4)) if usable else None)
        years = sorted(
            {year for _ind, total, _base in indicators for year, _v in total["points"]}
            | {t[1] for t in targets if t}
        )
        start = w.rows + 1
        more = " (일부 지표만 표시 / first indicators only)" if chart_plan["more"] else ""
        w.append([w.styled(f"SDG {chart_plan['goal']}: 기준 연도 = 100 / base year = 100{more}", "bold")])
        header_row = w.rows + 1
        w.header(
            [
                "연도 / Year",
                *[ind["code"] for ind, _t, _b in indicators],
                *[f"{ind['code']} 목표 / target" for ind, _t, _b in indicators],
            ]
        )
        lookups = [dict(total["points"]) for _ind, total, _b in indicators]
        bases = [base for _ind, _t, base in indicators]
        for year in years:
            row = [year]
            for points, base in zip(lookups, bases):
                value = points.get(year)
                row.append(round(value / base * 100, 4) if value is not None else None)
            for target in targets:
                row.append(
                    100.0
                    if target and year == target[0]
                    else target[2]
                    if target and year == target[1]
                    else None
                )
            w.append(row)
        n_series = len(indicators)
        chart = LineChart()
        goal = goals[chart_plan["goal"]]
        chart.title = f"SDG {goal['number']} {goal['short_ko']} — 추세 (기준=100) / trend (base = 100)"
        chart.y_axis.title = "지수 / index"
        chart.x_axis.title = "연도 / year"
        chart.height, chart.width = 7.5, 16
        chart.display_blanks = "span"
        values = Reference(
            w.ws, min_col=2, max_col=1 + 2 * n_series, min_row=header_row, max_row=header_row + len(years)
        )
        cats = Reference(w.ws, min_col=1, min_row=header_row + 1, max_row=header_row + len(years))
        chart.add_data(values, titles_from_data=True)
        chart.set_categories(cats)
        for index, series in enumerate(chart.series):
            series.smooth = False
            if index >= n_series:  # the target paths: dashed
                series.graphicalProperties.line.dashStyle = "dash"
        w.ws.add_chart(chart, f"{chart_col}{start}")
        while w.rows < start + CHART_ROWS:  # the next block starts below this chart
            w.append([])


def _initiatives(wb, styles, data: dict) -> None:
    widths = (7, 34, 34, 12, 10, 16, 11, 11, 14, 10, 16, 10, 26, 26, 16, 11, 40, 50, 7)
    w = SheetWriter(
        wb, INITIATIVES, styles, widths=widths, freeze="C2", size=(1 + len(data["initiatives"]), 19)
    )
    w.header(
        [
            "ID",
            "제목 / Title (국문)",
            "Title (English)",
            "유형 / Kind",
            "상태 / Status",
            "담당 부서 / Department",
            "시작일 / Start date",
            "종료일 / End date",
            "예산(원) / Budget (KRW)",
            "주 세부목표 / Primary target",
            "세부목표 / Targets",
            "목표 / Goals",
            "대상 집단 / Groups served",
            "협력 기관 / Partners",
            "관련 지표 / Local indicators",
            "최근 진행일 / Latest update",
            "최근 진행 / Update text",
            "요약 / Summary (국문)",
            "공개 / Public",
        ]
    )
    for ini in data["initiatives"]:
        primary = next((t["target"] for t in ini["targets"] if t["is_primary"]), None)
        update = ini.get("latest_update") or {}
        w.append(
            [
                ini["id"],
                w.value(ini["title_ko"]),
                w.value(ini["title_en"]),
                w.value(ini["kind_label"]),
                w.value(ini["status_label"]),
                w.value(ini["department"]),
                w.styled(_date(ini["start_date"]), "date"),
                w.styled(_date(ini["end_date"]), "date"),
                w.styled(ini["budget_krw"], "krw"),
                w.value(primary),
                w.value(", ".join(t["target"] for t in ini["targets"])),
                w.value(", ".join(str(g) for g in initiative_goals(ini))),
                w.value(", ".join(f"{g['name_ko']} / {g['name_en']}" for g in ini["groups"])),
                w.value("; ".join(ini["partners"])),
                w.value(", ".join(ini["local_indicators"])),
                w.styled(_date(update.get("date")), "date"),
                w.value(update.get("text")),
                w.value(ini["summary_ko"] or ini["summary_en"]),
                ini["is_public"],
            ]
        )
    w.autofilter()


def _evidence(wb, styles, data: dict) -> None:
    widths = (7, 40, 11, 16, 40, 12, 14, 30, 8, 60, 10, 12, 16, 30)
    w = SheetWriter(wb, EVIDENCE, styles, widths=widths, freeze="C2", size=(1 + len(data["evidence"]), 14))
    w.header(
        [
            "ID",
            "문서 제목 / Document title",
            "날짜 / Date",
            "발행처 / Publisher",
            "URL",
            "문서 종류 / Kind",
            "연결 유형 / Linked to",
            "연결 대상 / Linked object",
            "목표 / Goals",
            "인용 / Excerpt",
            "출처 구분 / Origin",
            "확인자 / Confirmed by",
            "확인 일시 / Confirmed at",
            "비고 / Note",
        ]
    )
    type_labels = {
        "target": "세부목표 / target",
        "local_indicator": "지역 지표 / local indicator",
        "initiative": "사업 / initiative",
    }
    for link in data["evidence"]:
        doc = link["document"]
        url = doc["source_url"]
        w.append(
            [
                link["id"],
                w.value(doc["title"]),
                w.styled(_date(doc["published_date"] or doc["page_date"]), "date"),
                w.value(doc["publisher"]),
                w.link(url, url=url) if url else None,
                w.value(doc["kind"]),
                w.value(type_labels[link["object_type"]]),
                w.value(link["object_label"]),
                w.value(", ".join(str(g) for g in link["goals"])),
                w.value(link["excerpt"]),
                w.value(link["origin"]),
                w.value(link["decided_by"]),
                w.styled(_date(link["decided_at"]), "datetime"),
                w.value(link["note"]),
            ]
        )
    w.autofilter()


def _annex(wb, styles, data: dict) -> None:
    """One row per observation (long format), in the layout the importer reads back."""
    n_rows = 1 + sum(len(ind["observations"]) for ind in data["indicators"])
    w = SheetWriter(
        wb,
        ANNEX_SHEET,
        styles,
        widths=[c.width for c in ANNEX_COLUMNS],
        freeze="C2",
        size=(n_rows, len(ANNEX_COLUMNS)),
    )
    w.header([c.header for c in ANNEX_COLUMNS])
    value = w.value
    append = w.ws.append
    # Disaggregations, sources and notes repeat thousands of times: check each distinct text
    # once. Guarded cells are never cached (a cell object belongs to one position).
    texts: dict[str, object] = {"": None}

    def text(raw: str):
        try:
            return texts[raw]
        except KeyError:
            safe = value(raw)
            if not isinstance(safe, Cell):
                texts[raw] = safe
            return safe

    safe_code = value(data["municipality"]["code"])
    rows = 0
    for ind in data["indicators"]:
        ind_code = value(ind["code"])
        name = value(ind["name_ko"] or ind["name_en"])
        unit = value(ind["unit"])
        for obs in ind["observations"]:
            append(
                [
                    safe_code,
                    ind_code,
                    name,
                    obs["year"],
                    obs["quarter"],
                    text(obs["sex"]),
                    text(obs["age_group"]),
                    text(obs["district"]),
                    text(obs["income_group"]),
                    text(obs["disability"]),
                    value(obs["value"]),
                    unit,
                    text(obs["source"]),
                    obs["is_provisional"],
                    obs["is_estimated"],
                    text(obs["note"]),
                ]
            )
            rows += 1
    w.rows += rows
    w.max_col = len(ANNEX_COLUMNS)
    w.autofilter()


def _metadata(wb, styles, data: dict) -> None:
    w = SheetWriter(
        wb,
        METADATA_SHEET,
        styles,
        widths=[c.width for c in METADATA_COLUMNS],
        freeze="C2",
        size=(1 + len(data["indicators"]), len(METADATA_COLUMNS)),
    )
    w.header([c.header for c in METADATA_COLUMNS])
    code = data["municipality"]["code"]
    for ind in data["indicators"]:
        years = [obs["year"] for obs in ind["observations"]]
        w.append(
            [
                w.value(code),
                w.value(ind["code"]),
                w.value(ind["name_ko"]),
                w.value(ind["name_en"]),
                w.value(ind["unit"]),
                w.value(DIRECTION_LABEL[ind["direction"]]),
                ind["is_binary"],
                ind["baseline_year"],
                w.value(ind["baseline_value"]),
                ind["target_year"],
                w.value(ind["target_value"]),
                w.value(ind["target_note"]),
                w.value(ind["data_source"]),
                w.value(ind["department"]),
                w.styled(ind["definition"], "wrap" if len(ind["definition"] or "") > 60 else None),
                w.value(_alignments_text(ind["alignments"])),
                ind["is_public"],
                len(ind["observations"]),
                min(years) if years else None,
                max(years) if years else None,
            ]
        )
    w.autofilter()


def _local_framework(wb, styles, data: dict) -> None:
    """The city's own framework, node by node: its target values, the UN targets it maps to
    through the crosswalk, and the local indicators aligned to it with their status."""
    rows = data["local_framework"]
    indicators = {ind["id"]: ind for ind in data["indicators"]}
    widths = (12, 8, 12, 40, 40, 10, 24, 30, 40, 20, 24, 30)
    w = SheetWriter(
        wb, LOCAL_FRAMEWORK, styles, widths=widths, freeze="B2", size=(1 + len(rows), len(widths))
    )
    w.header(
        [
            "코드 / Code",
            "단계 / Level",
            "단계명 / Level name",
            "제목 / Title (국문)",
            "Title (English)",
            "단위 / Unit",
            "목표값 / Target values",
            "출처 주의 / Caveat about the source",
            "연계 항목 (K-SDG 등: 목표값, 주의) / Linked nodes (K-SDGs …: target values, caveats)",
            "연계 UN 세부목표 / UN targets",
            "지역 지표 / Local indicators",
            "상태 / Status",
        ]
    )
    for row in rows:
        aligned = [indicators[i] for i in row["indicators"] if i in indicators]
        w.append(
            [
                w.value(row["code"]),
                row["level"],
                w.value(row["level_name"]),
                w.value(row["title_ko"]),
                w.value(row["title_en"]),
                w.value(row["unit"]),
                w.value(row["target_values"]),
                # caveat and linked: absent from snapshots taken before they were kept
                w.value(row.get("caveat", "")),
                w.value("\n".join(row.get("linked", []))),
                w.value(", ".join(row["un_targets"])),
                w.value(", ".join(ind["code"] for ind in aligned)),
                w.value(
                    ", ".join(
                        f"{ind['code']}: {ind['status']['label_ko']} / {ind['status']['label_en']}"
                        for ind in aligned
                    )
                ),
            ]
        )
    w.autofilter()

"""The content of a VLR report document, built once from the export data and rendered twice:
as a print-ready PDF (:mod:`.report_pdf`) and as an editable DOCX (:mod:`.report_docx`).

:func:`report_content` walks the sections the edition has, in its order (any report kind, any
outline: a section with a code this module does not know still prints its narrative), and adds
to each what the data says about it (``section_facts``, the one source the edition page and the
workbook also read). The goal-by-goal chapters (the city's narrative per goal, numbers, best
and worst indicators, budget, charts, evidence) sit under the "progress" section, or are
appended when the outline has none; likewise the indicator annex and the references.

Languages: ``ko``, ``en`` or ``both``. A label in ``both`` is "국문 / English"; a narrative in
``both`` is its Korean paragraphs, then its English ones. A text missing in the asked language
falls back to the other one rather than leaving a gap.

Charts are SVG (vector) strings in the goal colours, each with a title, alt text and the table
of the numbers it draws (the DOCX prints that table: Word has no editable SVG chart).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from apps.indicators.progress import STATUS_LABELS, Status
from apps.vlr.selectors.editions import section_facts

LANGS = ("ko", "en", "both")
BEST_WORST = 3  # indicators listed as best and as worst per goal
CHARTS_PER_GOAL = 6  # small line charts per goal chapter (total series, 2+ points)
STATUS_ORDER = {s.value: i for i, s in enumerate(Status)}


# ------------------------------------------------------------------------- content model


@dataclass
class Paragraph:
    text: str
    lang: str = ""  # "ko" / "en" for a narrative in one language (the renderers set lang=)
    style: str = "body"  # body | fact | note
    kind: str = "paragraph"


@dataclass
class Bullets:
    items: list[str]
    kind: str = "bullets"


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric: tuple[int, ...] = ()  # right-aligned columns
    colours: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → swatch colour
    kind: str = "table"

    @property
    def cells(self) -> list[list[dict]]:
        """Rows as cells with their alignment and swatch colour (what both renderers draw)."""
        return [
            [
                {"text": text, "numeric": j in self.numeric, "colour": self.colours.get((i, j), "")}
                for j, text in enumerate(row)
            ]
            for i, row in enumerate(self.rows)
        ]


@dataclass
class Chart:
    title: str
    alt: str
    svg: str
    data: Table
    wide: bool = False  # a full-width chart (bars per goal) rather than a small multiple
    kind: str = "chart"


@dataclass
class Chapter:
    anchor: str
    title: str
    level: int  # 1 = chapter, 2 = goal or sub-chapter
    blocks: list = field(default_factory=list)
    colour: str = ""  # goal colour of a goal chapter
    children: list[Chapter] = field(default_factory=list)


@dataclass
class ReportContent:
    lang: str
    title: str
    subtitle: str
    city: str
    year: int
    period: str
    status: str
    frozen: bool
    draft_notice: str
    generated_at: str
    running_header: str
    contents_title: str
    chapters: list[Chapter]
    goal_colours: list[str] = field(default_factory=list)  # the 17 goal colours, for the cover

    def walk(self):
        """Every chapter in reading order (chapters, then their children)."""
        for chapter in self.chapters:
            yield chapter
            yield from chapter.children


# --------------------------------------------------------------------------- languages


class _Lang:
    def __init__(self, lang: str):
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {', '.join(LANGS)}")
        self.lang = lang

    def __call__(self, ko: str | None, en: str | None) -> str:
        """A label in the document's language(s)."""
        ko, en = ko or "", en or ""
        if self.lang == "ko":
            return ko or en
        if self.lang == "en":
            return en or ko
        return f"{ko} / {en}" if ko and en and ko != en else ko or en

    def paragraphs(self, ko: str | None, en: str | None, style: str = "body") -> list[Paragraph]:
        """A narrative: its paragraphs (blank-line separated) in the asked language(s)."""
        texts = {"ko": (ko or "").strip(), "en": (en or "").strip()}
        if self.lang == "both":
            langs = [code for code in ("ko", "en") if texts[code]]
        else:
            other = "en" if self.lang == "ko" else "ko"
            langs = [self.lang] if texts[self.lang] else ([other] if texts[other] else [])
        out = []
        for code in langs:
            for block in texts[code].replace("\r\n", "\n").split("\n\n"):
                if block.strip():
                    out.append(Paragraph(block.strip(), lang=code, style=style))
        return out


def _num(value, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".")


def _total(ind: dict) -> dict | None:
    """The indicator's total series (no disaggregation key)."""
    return next((s for s in ind.get("series", []) if not any((s.get("key") or {}).values())), None)


def _points(ind: dict, cutoff: int) -> list:
    """The total series' points up to the report's last year: a report never shows later data."""
    total = _total(ind)
    return [p for p in (total or {}).get("points", []) if p[1] is not None and p[0] <= cutoff]


def _latest(ind: dict, cutoff: int) -> tuple:
    points = _points(ind, cutoff)
    return tuple(points[-1]) if points else (None, None)


# ------------------------------------------------------------------------------ charts


def _svg(width: int, height: int, title: str, alt: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(alt, {chr(34): "&quot;"})}" '
        f'font-family="Noto Sans CJK KR, Noto Sans CJK JP, sans-serif">'
        f"<title>{escape(title)}</title><desc>{escape(alt)}</desc>" + "".join(body) + "</svg>"
    )


def bar_chart(title: str, alt: str, bars: list[tuple[str, float, str]], unit: str, data: Table) -> Chart:
    """Horizontal bars, one per (label, value, colour); vector, labelled, values printed."""
    row_h, left, width = 18, 190, 520
    height = row_h * len(bars) + 10
    top = max((value for _l, value, _c in bars), default=0) or 1
    body = []
    for i, (label, value, colour) in enumerate(bars):
        y = 5 + i * row_h
        w = max(0.0, (width - left - 70) * value / top)
        body.append(
            f'<text x="{left - 6}" y="{y + 12}" font-size="9" text-anchor="end">{escape(label[:34])}</text>'
            f'<rect x="{left}" y="{y + 2}" width="{w:.1f}" height="{row_h - 5}" fill="{colour}"/>'
            f'<text x="{left + w + 4:.1f}" y="{y + 12}" font-size="9">{escape(_num(value))}{escape(unit)}</text>'
        )
    return Chart(title=title, alt=alt, svg=_svg(width, height, title, alt, body), data=data, wide=True)


def line_chart(
    title: str, alt: str, points: list, colour: str, target: tuple | None, unit: str, data: Table
) -> Chart:
    """One series as a straight-line chart, with its target as a dashed line and a marked point."""
    width, height, left, right, top, bottom = 230, 130, 38, 10, 10, 22
    years = [p[0] for p in points] + ([target[0]] if target else [])
    values = [p[1] for p in points if p[1] is not None] + ([target[1]] if target else [])
    x0, x1 = min(years), max(years)
    y0, y1 = min(values), max(values)
    if y0 == y1:
        y0, y1 = y0 - 1, y1 + 1
    pad = (y1 - y0) * 0.1
    y0, y1 = y0 - pad, y1 + pad

    def x(year):
        return left + (width - left - right) * ((year - x0) / (x1 - x0) if x1 != x0 else 0.5)

    def y(value):
        return top + (height - top - bottom) * (1 - (value - y0) / (y1 - y0))

    body = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#6b7280" stroke-width="0.6"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#6b7280" stroke-width="0.6"/>',
        f'<text x="{left - 3}" y="{y(y1 - pad) + 3:.1f}" font-size="7" text-anchor="end">{escape(_num(y1 - pad))}</text>',
        f'<text x="{left - 3}" y="{y(y0 + pad) + 3:.1f}" font-size="7" text-anchor="end">{escape(_num(y0 + pad))}</text>',
        f'<text x="{left}" y="{height - 8}" font-size="7">{x0}</text>',
        f'<text x="{width - right}" y="{height - 8}" font-size="7" text-anchor="end">{x1}</text>',
    ]
    if target:
        ty = y(target[1])
        body.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" stroke="#111827" '
            f'stroke-width="0.8" stroke-dasharray="4 3"/>'
            f'<circle cx="{x(target[0]):.1f}" cy="{ty:.1f}" r="2.5" fill="none" stroke="#111827"/>'
        )
    path = [(x(year), y(value)) for year, value in points if value is not None]
    body.append(
        '<polyline fill="none" stroke-width="1.6" stroke="{}" points="{}"/>'.format(
            colour, " ".join(f"{px:.1f},{py:.1f}" for px, py in path)
        )
    )
    body.extend(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="1.8" fill="{colour}"/>' for px, py in path)
    return Chart(title=title, alt=alt, svg=_svg(width, height, title, alt, body), data=data)


# ----------------------------------------------------------------------------- builder


class _Builder:
    def __init__(self, data: dict, lang: str):
        self.data = data
        self.t = _Lang(lang)
        self.facts = section_facts(data)
        self.goals = {g["number"]: g for g in data.get("goals", [])}
        self.edition = data.get("edition") or {}
        self.indicators = data.get("indicators", [])
        self.cutoff = min(self.edition.get("period_end") or data["year"], data["year"])
        self.by_goal: dict[int, list[dict]] = defaultdict(list)
        for ind in self.indicators:
            for goal in sorted({a["goal"] for a in ind.get("alignments", [])}):
                self.by_goal[goal].append(ind)
        # References: every confirmed evidence document, numbered once in first-seen order.
        self.references: dict = {}
        self.evidence_by_goal: dict[int, list[int]] = defaultdict(list)
        for link in data.get("evidence", []):
            doc = link["document"]
            if not doc.get("title") and not doc.get("source_url"):
                continue  # a non-public document's citation stays inside (public_view)
            number = self.references.setdefault(
                doc.get("id") or doc.get("source_url"), (len(self.references) + 1, doc)
            )[0]
            for goal in link.get("goals", []):
                if number not in self.evidence_by_goal[goal]:
                    self.evidence_by_goal[goal].append(number)

    # ---- helpers
    def goal_label(self, number: int) -> str:
        g = self.goals.get(number) or {}
        return f"SDG {number} " + self.t(g.get("short_ko"), g.get("short_en"))

    def goal_short(self, number: int) -> str:
        """A chart's axis label: one language (Korean in a bilingual report)."""
        g = self.goals.get(number) or {}
        short = g.get("short_en") if self.t.lang == "en" else g.get("short_ko")
        return f"SDG {number} {short or ''}".strip()

    def status(self, status: dict) -> str:
        return self.t(status.get("label_ko"), status.get("label_en"))

    def ind_name(self, ind: dict) -> str:
        return self.t(ind.get("name_ko"), ind.get("name_en"))

    def fact(self, ko: str, en: str) -> Paragraph:
        return Paragraph(self.t(ko, en), style="fact")

    def indicator_table(self, caption: str, indicators: list[dict]) -> Table:
        t = self.t
        rows, colours = [], {}
        for i, ind in enumerate(indicators):
            year, value = _latest(ind, self.cutoff)
            rows.append(
                [
                    ind["code"],
                    self.ind_name(ind),
                    ind.get("unit") or "",
                    f"{_num(ind.get('baseline_value'))} ({ind.get('baseline_year') or '–'})",
                    f"{_num(value)} ({year or '–'})",
                    f"{_num(ind.get('target_value'))} ({ind.get('target_year') or '–'})"
                    if ind.get("target_value") is not None
                    else (ind.get("target_note") or "–"),
                    self.status(ind["status"]),
                ]
            )
            colours[(i, 6)] = ind["status"].get("colour", "")
        return Table(
            caption=caption,
            header=[
                t("코드", "Code"),
                t("지표", "Indicator"),
                t("단위", "Unit"),
                t("기준값 (연도)", "Baseline (year)"),
                t("최근값 (연도)", "Latest (year)"),
                t("목표 (연도)", "Target (year)"),
                t("상태", "Status"),
            ],
            rows=rows,
            numeric=(3, 4, 5),
            colours=colours,
        )

    # ---- section blocks (generated from data), by section code
    def blocks_for(self, code: str) -> tuple[list, list[Chapter]]:
        method = getattr(self, "_s_" + code.replace(".", "_"), None)
        return method() if method else ([], [])

    def _s_highlights(self):
        t = self.t
        counts = defaultdict(int)
        for ind in self.indicators:
            counts[ind["status"]["status"]] += 1
        parts = [f"{t(STATUS_LABELS[s].ko, STATUS_LABELS[s].en)} {counts[s]}" for s in Status if counts[s]]
        blocks = [
            self.fact(
                f"지역 지표 {len(self.indicators)}개: " + ", ".join(parts),
                f"{len(self.indicators)} local indicators: " + ", ".join(parts),
            )
        ]
        summaries = [s for s in self.data.get("goal_summaries", []) if s["indicators"] or s["initiatives"]]
        rows, colours = [], {}
        for i, s in enumerate(summaries):
            share = s.get("share_on_track_or_achieved")
            rows.append(
                [
                    self.goal_label(s["goal"]),
                    _num(s["indicators"]),
                    _num(s["assessed"]),
                    "–" if share is None else f"{share * 100:.0f}%",
                    _num(s["initiatives"]),
                    _num(s["evidence"]),
                ]
            )
            colours[(i, 0)] = self.goals.get(s["goal"], {}).get("colour", "")
        table = Table(
            caption=t("목표별 개요", "Overview by goal"),
            header=[
                t("목표", "Goal"),
                t("지표", "Indicators"),
                t("평가", "Assessed"),
                t("순항·달성 비율", "On track or achieved"),
                t("사업", "Initiatives"),
                t("근거", "Evidence"),
            ],
            rows=rows,
            numeric=(1, 2, 3, 4, 5),
            colours=colours,
        )
        blocks.append(table)
        bars = [
            (
                self.goal_short(s["goal"]),
                round((s.get("share_on_track_or_achieved") or 0) * 100),
                self.goals.get(s["goal"], {}).get("colour", "#6b7280"),
            )
            for s in summaries
            if s["assessed"]
        ]
        if bars:
            title = t("목표별 순항·달성 지표 비율", "Share of indicators on track or achieved, by goal")
            alt = title + ": " + "; ".join(f"{label} {value}%" for label, value, _c in bars)
            blocks.append(bar_chart(title, alt, bars, "%", table))
        return blocks, []

    def _s_introduction(self):
        focus = self.edition.get("focus_goals") or []
        t = self.t
        line = t(f"보고 연도 {self.data['year']}", f"Reporting year {self.data['year']}")
        if self.edition.get("period_start") or self.edition.get("period_end"):
            period = f"{self.edition.get('period_start') or ''}–{self.edition.get('period_end') or ''}"
            line += "; " + t(f"보고 기간 {period}", f"period {period}")
        if focus:
            line += "; " + t("중점 목표", "focus goals") + " " + ", ".join(self.goal_label(n) for n in focus)
        return [Paragraph(line, style="fact")], []

    def _s_methodology(self):
        t = self.t
        sources = self.facts["methodology"]["sources"]
        blocks = [
            self.fact(
                f"지역 지표 {len(self.indicators)}개, 자료 출처 {len(sources)}곳.",
                f"{len(self.indicators)} local indicators from {len(sources)} data sources.",
            ),
            self.fact(
                "이행 상태: UN ESCAP 현재 상태(p, e)와 Open SDG 전망(R 또는 g); 자료가 2개 미만이면 자료 부족.",
                "Status: UN ESCAP current status (p, e) and Open SDG anticipated progress (R or g); "
                "fewer than two data points: insufficient data.",
            ),
        ]
        if sources:
            blocks.append(Bullets(sources[:40]))
        participation = (self.edition.get("participation") or "").strip()
        if participation:
            blocks.append(Paragraph(t("참여 주체·과정", "Participation"), style="note"))
            blocks.append(Paragraph(participation))
        return blocks, []

    def _s_enabling_lnob(self):
        t = self.t
        lnob = self.facts["enabling.lnob"]
        blocks = []
        rows, colours = [], {}
        for ind in lnob["disaggregated"]:
            for series in ind["series"]:
                if not any((series.get("key") or {}).values()):
                    continue
                progress = series.get("progress") or {}
                colours[(len(rows), 4)] = progress.get("colour", "")
                rows.append(
                    [
                        ind["code"],
                        self.ind_name(ind),
                        t(series.get("label_ko"), series.get("label_en")),
                        f"{_num(progress.get('xt'))} ({progress.get('t') or '–'})",
                        self.status(progress),
                    ]
                )
        blocks.append(
            self.fact(
                f"세분류 자료가 있는 지표 {len(lnob['disaggregated'])}개.",
                f"{len(lnob['disaggregated'])} indicators have disaggregated data.",
            )
        )
        if rows:
            blocks.append(
                Table(
                    caption=t("집단별 현황 (누구도 소외되지 않는)", "By group (leave no one behind)"),
                    header=[
                        t("코드", "Code"),
                        t("지표", "Indicator"),
                        t("집단", "Group"),
                        t("최근값 (연도)", "Latest (year)"),
                        t("상태", "Status"),
                    ],
                    rows=rows,
                    numeric=(3,),
                    colours=colours,
                )
            )
        if lnob["groups"]:
            blocks.append(Paragraph(t("사업이 돕는 집단", "Groups the initiatives serve"), style="note"))
            blocks.append(
                Bullets(
                    [f"{group}: {len(titles)} — " + ", ".join(titles[:5]) for group, titles in lnob["groups"]]
                )
            )
        return blocks, []

    def _s_enabling_institutions(self):
        departments = sorted(
            {ind["department"] for ind in self.indicators if ind.get("department")}
            | {ini["department"] for ini in self.data.get("initiatives", []) if ini.get("department")}
        )
        if not departments:
            return [], []
        return [Paragraph(self.t("담당 부서", "Departments"), style="note"), Bullets(departments[:60])], []

    def _s_progress(self):
        return [], self.goal_chapters()

    def _s_means(self):
        t = self.t
        means = self.facts["means"]
        rows, colours, bars = [], {}, []
        for i, (goal, amount, shared) in enumerate(means["budget"]):
            number = goal["number"] if goal else 0
            rows.append([self.goal_label(number), _num(amount), _num(shared)])
            colours[(i, 0)] = (goal or {}).get("colour", "")
            if amount:
                bars.append(
                    (self.goal_short(number), amount / 1_000_000, (goal or {}).get("colour", "#6b7280"))
                )
        blocks = [
            self.fact(
                f"사업 예산 합계 {_num(means['total'])}원 (주 세부목표 없이 배정되지 않은 예산 {_num(means['unplaced'])}원). "
                "예산은 사업의 주 세부목표 아래 한 번만 셉니다.",
                f"Total budget of initiatives {_num(means['total'])} KRW ({_num(means['unplaced'])} KRW without a "
                "primary target). Each budget is counted once, under its primary target.",
            )
        ]
        if rows:
            table = Table(
                caption=t("목표별 예산", "Budget by goal"),
                header=[
                    t("목표", "Goal"),
                    t("예산 (원)", "Budget (KRW)"),
                    t("함께 기여하는 사업 수", "Initiatives sharing the goal"),
                ],
                rows=rows,
                numeric=(1, 2),
                colours=colours,
            )
            blocks.append(table)
            if bars:
                title = t("목표별 예산 (백만 원)", "Budget by goal (million KRW)")
                alt = title + ": " + "; ".join(f"{label} {_num(value)}" for label, value, _c in bars)
                blocks.append(bar_chart(title, alt, bars, "", table))
        return blocks, []

    def _s_next_steps(self):
        t = self.t
        steps = self.facts["next_steps"]
        blocks = [
            self.fact(
                f"자료 부족 지표 {len(steps['no_data'])}개, 수치 목표 없는 지표 {len(steps['no_target'])}개, "
                f"사업이 없는 세부목표 {len(steps['targets_without_initiative'])}개.",
                f"indicators lacking data: {len(steps['no_data'])}, without a numeric target: "
                f"{len(steps['no_target'])}, targets without an initiative: {len(steps['targets_without_initiative'])}.",
            )
        ]
        if steps["no_data"]:
            blocks.append(Paragraph(t("자료 부족 지표", "Indicators lacking data"), style="note"))
            blocks.append(Bullets([f"{i['code']} {self.ind_name(i)}" for i in steps["no_data"][:50]]))
        return blocks, []

    def _s_annex_statistical(self):
        return [self.annex_table()], []

    def _s_annex_metadata(self):
        t = self.t
        rows = [
            [
                ind["code"],
                self.ind_name(ind),
                ind.get("definition") or "",
                ind.get("data_source") or "",
                ind.get("department") or "",
                ", ".join(a["target"] for a in ind.get("alignments", [])),
            ]
            for ind in self.indicators
        ]
        return [
            Table(
                caption=t("지표 메타데이터", "Indicator metadata"),
                header=[
                    t("코드", "Code"),
                    t("지표", "Indicator"),
                    t("정의", "Definition"),
                    t("출처", "Source"),
                    t("담당 부서", "Department"),
                    t("세부목표", "Targets"),
                ],
                rows=rows,
            )
        ], []

    # ---- goal chapters
    def goal_numbers(self) -> list[int]:
        narratives = self.edition.get("goal_narratives") or {}
        focus = set(self.edition.get("focus_goals") or [])
        touched = {
            s["goal"] for s in self.data.get("goal_summaries", []) if s["indicators"] or s["initiatives"]
        }
        return sorted(touched | focus | {int(n) for n in narratives})

    def goal_chapters(self) -> list[Chapter]:
        budget = {
            (goal or {}).get("number"): (amount, shared)
            for goal, amount, shared in self.facts["means"]["budget"]
        }
        summaries = {s["goal"]: s for s in self.data.get("goal_summaries", [])}
        narratives = self.edition.get("goal_narratives") or {}
        return [
            self.goal_chapter(n, summaries.get(n), narratives.get(str(n)) or {}, budget.get(n))
            for n in self.goal_numbers()
        ]

    def goal_chapter(self, number: int, summary: dict | None, narrative: dict, budget) -> Chapter:
        t = self.t
        goal = self.goals.get(number, {})
        colour = goal.get("colour", "#6b7280")
        chapter = Chapter(anchor=f"goal-{number}", title=self.goal_label(number), level=2, colour=colour)
        blocks = chapter.blocks
        blocks.extend(self.t.paragraphs(narrative.get("ko"), narrative.get("en")))
        indicators = self.by_goal.get(number, [])
        summary = summary or {
            "indicators": 0,
            "initiatives": 0,
            "evidence": 0,
            "share_on_track_or_achieved": None,
        }
        share = summary.get("share_on_track_or_achieved")
        share_text = "–" if share is None else f"{share * 100:.0f}%"
        amount, shared = budget or (0, 0)
        blocks.append(
            self.fact(
                f"지역 지표 {summary['indicators']}개 (순항·달성 {share_text}), 사업 {summary['initiatives']}개, "
                f"근거 {summary['evidence']}건; 예산 {_num(amount)}원 (주 세부목표 기준), 함께 기여하는 사업 {shared}개.",
                f"{summary['indicators']} local indicators ({share_text} on track or achieved), "
                f"{summary['initiatives']} initiatives, {summary['evidence']} evidence links; budget "
                f"{_num(amount)} KRW (by primary target), {shared} more initiatives contribute.",
            )
        )
        assessed = [ind for ind in indicators if ind["status"].get("score") is not None]
        ranked = sorted(
            assessed,
            key=lambda i: (-i["status"]["score"], STATUS_ORDER.get(i["status"]["status"], 9), i["code"]),
        )
        if len(ranked) > 1:
            best = ranked[:BEST_WORST]
            worst = [i for i in reversed(ranked[-BEST_WORST:]) if i not in best] or ranked[-1:]
            blocks.append(self.indicator_table(t("가장 앞선 지표", "Best indicators"), best))
            blocks.append(self.indicator_table(t("가장 뒤처진 지표", "Worst indicators"), worst))
        if len(ranked) < 2 and indicators:
            blocks.append(
                self.indicator_table(
                    t(f"SDG {number} 지역 지표", f"SDG {number} local indicators"), indicators
                )
            )
        unassessed = [ind["code"] for ind in indicators if ind["status"].get("score") is None]
        if len(ranked) >= 2 and unassessed:
            # Every indicator's numbers are in the annex; here only which ones cannot be assessed.
            blocks.append(
                self.fact(
                    "자료 부족: " + ", ".join(unassessed), "Insufficient data: " + ", ".join(unassessed)
                )
            )
        for ind in self.charted(indicators):
            blocks.append(self.indicator_chart(ind, colour))
        cited = self.evidence_by_goal.get(number, [])
        if cited:
            blocks.append(
                Paragraph(
                    t("근거", "Evidence") + ": " + ", ".join(f"[{n}]" for n in cited[:30]), style="note"
                )
            )
        return chapter

    def charted(self, indicators: list[dict]) -> list[dict]:
        out = []
        for ind in indicators:
            if len(_points(ind, self.cutoff)) >= 2:
                out.append(ind)
            if len(out) == CHARTS_PER_GOAL:
                break
        return out

    def indicator_chart(self, ind: dict, colour: str) -> Chart:
        t = self.t
        points = _points(ind, self.cutoff)
        target = (
            (ind["target_year"], ind["target_value"])
            if ind.get("target_year") and ind.get("target_value") is not None
            else None
        )
        unit = ind.get("unit") or ""
        title = f"{ind['code']} {self.ind_name(ind)}"
        trend = "; ".join(f"{year} {_num(value)}" for year, value in points)
        alt = f"{title} ({unit}): {trend}" + (
            "; " + t(f"목표 {target[0]}년 {_num(target[1])}", f"target {target[0]} {_num(target[1])}")
            if target
            else ""
        )
        data = Table(
            caption=title,
            header=[t("연도", "Year"), t("값", "Value") + (f" ({unit})" if unit else "")],
            rows=[[str(year), _num(value)] for year, value in points]
            + ([[f"{target[0]} ({t('목표', 'target')})", _num(target[1])]] if target else []),
            numeric=(1,),
        )
        return line_chart(title, alt, points, colour, target, unit, data)

    def annex_table(self) -> Table:
        return self.indicator_table(self.t("지표 부록", "Indicator annex"), self.indicators)

    def references_chapter(self) -> Chapter | None:
        if not self.references:
            return None
        items = []
        for number, doc in sorted(self.references.values(), key=lambda item: item[0]):
            parts = [
                doc.get("publisher") or doc.get("author") or "",
                doc.get("title") or "",
                doc.get("published_date") or "",
                doc.get("source_url") or "",
            ]
            items.append(f"[{number}] " + ". ".join(p for p in parts if p))
        return Chapter(
            anchor="references", title=self.t("참고 자료", "References"), level=1, blocks=[Bullets(items)]
        )


def report_content(data: dict, *, lang: str = "ko") -> ReportContent:
    """The report document of the export data ``data`` (live, or an approved edition's frozen
    snapshot: :func:`apps.vlr.selectors.report.export_data`) in ``lang`` (ko, en or both)."""
    b = _Builder(data, lang)
    t = b.t
    municipality = data["municipality"]
    edition = b.edition
    chapters: list[Chapter] = []
    seen = set()
    for section in sorted(edition.get("sections", []), key=lambda s: (s["order"], s["code"])):
        if not section.get("included", True):
            continue
        seen.add(section["code"])
        blocks, children = b.blocks_for(section["code"])
        chapter = Chapter(
            anchor=f"s-{len(chapters) + 1}",
            title=t(section["title_ko"], section["title_en"]),
            level=1,
            blocks=t.paragraphs(section["body_ko"], section["body_en"]) + blocks,
            children=children,
        )
        chapters.append(chapter)
    # Every report has its goal chapters and its annex, whatever the outline names them.
    if "progress" not in seen:
        chapters.append(
            Chapter(
                anchor="goals",
                title=t("목표별 이행 현황", "Progress by goal"),
                level=1,
                children=b.goal_chapters(),
            )
        )
    if "annex.statistical" not in seen:
        chapters.append(
            Chapter(
                anchor="annex", title=t("지표 부록", "Indicator annex"), level=1, blocks=[b.annex_table()]
            )
        )
    references = b.references_chapter()
    if references:
        chapters.append(references)

    city = t(municipality["name_ko"], municipality.get("name_en"))
    title = t(edition.get("title_ko"), edition.get("title_en")) or t(
        f"{municipality['name_ko']} {data['year']} 지속가능발전목표 지역 자발적 검토 보고서",
        f"{municipality.get('name_en') or municipality['name_ko']} Voluntary Local Review {data['year']}",
    )
    start, end = edition.get("period_start"), edition.get("period_end")
    frozen = bool(data.get("frozen"))
    status_ko, status_en = (edition.get("status_label") or "").partition(" / ")[::2]
    return ReportContent(
        lang=lang,
        title=title,
        subtitle=t("지속가능발전목표 지역 자발적 검토 (VLR)", "Voluntary Local Review of the SDGs"),
        city=city,
        year=data["year"],
        period=f"{start or ''}–{end or ''}" if start or end else "",
        status=t(status_ko, status_en) if edition else "",
        frozen=frozen,
        draft_notice=""
        if frozen
        else t("초안: 승인 전의 실시간 자료입니다.", "Draft: live data, not yet approved."),
        generated_at=str(data.get("frozen_at") or data.get("generated_at") or "")[:16].replace("T", " "),
        running_header=f"{city} · VLR {data['year']}",
        contents_title=t("목차", "Contents"),
        chapters=chapters,
        goal_colours=[g["colour"] for g in data.get("goals", [])],
    )


TEXT_TABLE_ROWS = 30  # rows of a table kept in a spreadsheet cell's summary


def _plain(blocks: list) -> list[str]:
    lines = []
    for block in blocks:
        if block.kind == "paragraph":
            lines.append(block.text)
        elif block.kind == "bullets":
            lines.extend(f"• {item}" for item in block.items)
        elif block.kind == "table":
            lines.append(f"[{block.caption}]")
            lines.extend(" · ".join(cell for cell in row if cell) for row in block.rows[:TEXT_TABLE_ROWS])
            if len(block.rows) > TEXT_TABLE_ROWS:
                lines.append(f"… (+{len(block.rows) - TEXT_TABLE_ROWS})")
    return lines


def section_texts(data: dict, *, lang: str = "both") -> dict[str, str]:
    """What the report generates from the data for each section code, as plain text (the
    workbook's "generated from data" column): the same facts, tables and goal chapters as the
    report document, charts left out (their numbers are in the tables)."""
    b = _Builder(data, lang)
    out = {}
    for section in (data.get("edition") or {}).get("sections", []):
        blocks, children = b.blocks_for(section["code"])
        lines = _plain(blocks)
        for child in children:
            lines.append("")
            lines.append(f"■ {child.title}")
            lines.extend(_plain(child.blocks))
        if lines:
            out[section["code"]] = "\n".join(lines).strip()
    return out

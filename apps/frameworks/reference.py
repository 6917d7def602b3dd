"""The UN SDG and K-SDG frameworks of the reference load (``python manage.py load_reference``).

- **UN-SDG** is built from apps.sdg (17 goals → 169 targets → 251 indicator rows); each target
  node points to its ``sdg.Target``. apps.sdg stays the source: re-running the load follows it.
- **K-SDG** (4th Basic Plan for Sustainable Development, 2021–2040: 17 goals → 119 targets →
  236 indicators with their 2030/2040 target values as the plan words them) is read from
  ``fixtures/ksdg/`` (copied from ``shared/reference/ksdg``; provenance and confidence in
  ``fixtures/ksdg/README.md``). Indicator codes N-M-k are the k-th listed under target N-M, not
  official identifiers. No K-SDG ↔ UN correspondence is published, so none is loaded.
"""

from __future__ import annotations

import csv
from pathlib import Path

from apps.sdg.models import Goal, Indicator, Target

from .choices import Kind
from .models import Framework
from .services import node_rows_write, target_value

UN_CODE = "UN-SDG"
KSDG_CODE = "K-SDG"
LEVELS = [
    {"ko": "목표", "en": "Goal"},
    {"ko": "세부목표", "en": "Target"},
    {"ko": "지표", "en": "Indicator"},
]
KSDG_SOURCE = (
    "제4차 지속가능발전 기본계획(2021–2040), 지속가능발전위원회 / 4th Basic Plan for Sustainable "
    "Development (2021–2040); https://www.ncsd.go.kr/ksdgs/goals. Goals and targets: the portal "
    "(confidence high); indicators and 2030/2040 values: the plan as parsed by "
    "github.com/eodydsla/K-SDGs_Dashboard @8f24085e (confidence medium, values verbatim). "
    "Per-row caveats (fixtures/ksdg/ksdg_row_notes.csv) are kept with each node."
)
UN_SOURCE = (
    "UN global indicator framework after the 2025 Comprehensive Review (A/RES/71/313 and "
    "E/CN.3/2025/6); Korean titles: Statistics Korea (kostat-sdg-kor/sdg-translations). "
    "See fixtures/REFERENCE_README.md."
)


def _framework(code: str, defaults: dict, report, table: str) -> Framework:
    framework = Framework.objects.filter(code=code, municipality__isnull=True).first()
    if framework is None:
        framework = Framework(code=code, **defaults)
        framework.full_clean()
        framework.save()
        report.add(table, "created")
        return framework
    changed = [k for k, v in defaults.items() if getattr(framework, k) != v]
    for k in changed:
        setattr(framework, k, defaults[k])
    if changed:
        framework.full_clean()
        framework.save()
    report.add(table, "updated" if changed else "unchanged")
    return framework


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def frameworks_load(*, directory: Path, report) -> None:
    """Create or update both frameworks and their nodes; idempotent (a second run: unchanged)."""
    un = _framework(
        UN_CODE,
        {
            "kind": Kind.GLOBAL,
            "name_ko": "유엔 지속가능발전목표",
            "name_en": "UN Sustainable Development Goals",
            "version": "2025 Comprehensive Review",
            "source": UN_SOURCE,
            "level_names": LEVELS,
        },
        report,
        "frameworks",
    )
    rows = [
        {"code": str(g.number), "parent": None, "title_ko": g.title_ko, "title_en": g.title_en}
        for g in Goal.objects.all()
    ]
    rows += [
        {
            "code": t.code,
            "parent": str(t.goal.number),
            "title_ko": t.title_ko,
            "title_en": t.title_en,
            "sdg_target_id": t.pk,
        }
        for t in Target.objects.select_related("goal")
    ]
    rows += [
        {"code": i.code, "parent": i.target.code, "title_ko": i.title_ko, "title_en": i.title_en}
        for i in Indicator.objects.select_related("target")
    ]
    _count(node_rows_write(un, rows), report, "UN-SDG framework nodes")

    folder = directory / "ksdg"
    if not (folder / "ksdg_goals.csv").is_file():
        return
    ksdg = _framework(
        KSDG_CODE,
        {
            "kind": Kind.NATIONAL,
            "name_ko": "국가 지속가능발전목표 (K-SDGs)",
            "name_en": "Korean Sustainable Development Goals (K-SDGs)",
            "version": "제4차 기본계획 2021–2040 / 4th Basic Plan 2021–2040",
            "source": KSDG_SOURCE,
            "level_names": LEVELS,
        },
        report,
        "frameworks",
    )
    notes: dict[tuple[str, str], list[str]] = {}
    if (folder / "ksdg_row_notes.csv").is_file():
        for r in _read(folder / "ksdg_row_notes.csv"):
            notes.setdefault((r["file"], r["code"]), []).append(r["note"])

    def caveat(file: str, code: str) -> str:
        return "\n".join(notes.get((file, code), []))

    rows = [
        {
            "code": r["code"],
            "parent": None,
            "title_ko": r["title_ko"],
            "title_en": r["title_en_if_stated"],
            "source": r["source_url"],
            "caveat": caveat("ksdg_goals.csv", r["code"]),
        }
        for r in _read(folder / "ksdg_goals.csv")
    ]
    rows += [
        {
            "code": r["code"],
            "parent": r["goal"],
            "title_ko": r["title_ko"],
            "source": r["source_url"],
            "caveat": caveat("ksdg_targets.csv", r["code"]),
        }
        for r in _read(folder / "ksdg_targets.csv")
    ]
    rows += [
        {
            "code": r["code"],
            "parent": r["target"],
            "title_ko": r["title_ko"],
            "unit": r["unit_if_stated"],
            "source": r["source_url"],
            "caveat": caveat("ksdg_indicators.csv", r["code"]),
            "target_values": {
                year: target_value(r[f"target_{year}"]) for year in ("2030", "2040") if r[f"target_{year}"]
            },
        }
        for r in _read(folder / "ksdg_indicators.csv")
    ]
    _count(node_rows_write(ksdg, rows), report, "K-SDG framework nodes")


def _count(outcomes: dict[str, str], report, table: str) -> None:
    for outcome in outcomes.values():
        report.add(table, outcome)

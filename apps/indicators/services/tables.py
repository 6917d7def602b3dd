"""Import observations from tables as cities and KOSIS keep them (wide, multi-row headers,
merged cells, markers), through a detected or corrected :class:`~apps.core.tables.Layout`.

Same contract as the annex import (:mod:`.imports`): all or nothing with ``row N, column C:
reason`` for every bad cell, ``dry_run`` through the same code, idempotent, history attributed
to the actor. What differs:

- regions are names or codes, resolved through :mod:`apps.municipalities.regions` (homonyms only
  with their province; old codes as of the value's period); total rows (전국, 소계) are skipped;
- with ``municipality``, only that municipality's rows are kept (a national KOSIS table holds
  every region) and a region that cannot be read is skipped unless it could be that
  municipality (a bare ``중구`` when importing for a 중구 is an error);
- with ``indicator``, every value is that indicator's (``item`` picks one item when the table
  holds several); without, a value's item must be an indicator code or Korean name;
- KOSIS markers: ``-``, ``x``, ``…`` are missing values, listed in ``report.missing`` with their
  reason and never stored (no zero); ``p)`` and ``e)`` set the preliminary / estimated flags;
- the unit from a header or unit column is checked against the indicator's
  (:mod:`apps.indicators.units`), as in the annex import;
- each value's provenance says where it was read (file, sheet and cell: cited ``kosis.xlsx ·
  데이터 · E6``), who imported it and when; its written ``source`` is emptied (the cell is the
  source); the note of a stored value is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from apps.core.exceptions import ApplicationError
from apps.core.permissions import Action, municipality_scope
from apps.core.spreadsheets import clip, read_grid
from apps.core.tables import Layout, PeriodError, cells, detect_layout, parse_period
from apps.municipalities.regions import RegionError, RegionIndex

from ..choices import Origin
from ..models import LocalIndicator, TableMapping
from .imports import ImportReport, _Bad, _no_progress, _require_edit, _run, parse_number
from .observations import _in_indicator_unit, _observations_save, provenance

_NOTE = 4  # the position in observations._OBS_FIELDS this import leaves alone


@dataclass
class TableImportReport(ImportReport):
    """An :class:`ImportReport` plus the layout used, the values the table marks as missing
    (with their reason) and how many values belonged to other regions."""

    layout: dict = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    other_regions: int = 0

    def as_dict(self) -> dict:
        return {
            **super().as_dict(),
            "layout": self.layout,
            "missing": self.missing,
            "other_regions": self.other_regions,
        }


def table_layout(*, file, sheet: str | None = None) -> tuple[Layout, list[tuple]]:
    """The detected layout of ``file`` and its first rows (for a preview)."""
    grid = read_grid(file, sheet=sheet)
    return detect_layout(grid), grid.rows[:30]


@transaction.atomic
def table_mapping_save(*, municipality, name: str, layout: Layout, actor) -> TableMapping:
    """Keep ``layout`` under ``name`` for ``municipality`` (replacing a mapping of that name)."""
    _require_edit(actor, municipality)
    layout.check()
    mapping = TableMapping.objects.filter(
        municipality=municipality, name=name.strip()
    ).first() or TableMapping(municipality=municipality, name=name.strip())
    mapping.layout = layout.as_dict()
    mapping.updated_by = actor
    mapping.full_clean()
    mapping.save()
    return mapping


def observations_import_table(
    *,
    file,
    municipality=None,
    indicator: LocalIndicator | None = None,
    item: str = "",
    layout: Layout | dict | None = None,
    sheet: str | None = None,
    actor=None,
    dry_run: bool = False,
    progress=_no_progress,
) -> TableImportReport:
    """Create or update observations from a table in any layout :mod:`apps.core.tables` knows.
    ``layout``: the mapping a person checked (else detected). Raises SpreadsheetImportError
    (nothing saved) listing every bad cell."""
    if indicator is not None:
        if municipality is not None and indicator.municipality_id != municipality.pk:
            raise ApplicationError(
                f"지표 {indicator.code}은(는) {municipality.code}의 지표가 아닙니다 / indicator {indicator.code} "
                f"does not belong to {municipality.code}",
                code="wrong_indicator",
            )
        municipality = indicator.municipality
    _require_edit(actor, municipality)
    if layout is not None and not isinstance(layout, Layout):
        layout = Layout.from_dict(layout)
    grid = read_grid(file, sheet=sheet or (layout.sheet if layout else None))
    progress("reading", len(grid.rows))
    layout = layout or detect_layout(grid)
    report = TableImportReport(kind="observations", file=grid.name, sheet=grid.sheet, dry_run=dry_run)
    report.layout = layout.as_dict()
    items = {c.item for c in layout.columns if c.role == "value" and c.item}
    if indicator is not None and not item and len(items) > 1:
        raise ApplicationError(
            f"표에 항목이 여럿입니다 ({', '.join(sorted(items))}): 가져올 항목을 고르세요 / the table holds several "
            f"items ({', '.join(sorted(items))}): choose the one to import (item, or mark the other columns 'ignore')",
            code="several_items",
            extra={"items": sorted(items)},
        )

    def write():
        _check_cells(grid, layout, report, municipality, indicator, item, actor, progress)

    # Checked and written in one transaction, where a job's row cannot be updated: its page shows
    # this stage with the table's data rows until the commit.
    progress("checking", 0, max(0, len(grid.rows) - layout.data_first + 1))

    return _run(report, dry_run, write, progress)


def _check_cells(grid, layout, report, municipality, indicator, item, actor, progress) -> None:
    regions = RegionIndex()
    has_region = any(c.role == "region" or c.region for c in layout.columns if c.role in ("region", "value"))
    scope = municipality_scope(actor, Action.EDIT) if actor is not None else None
    indicators: dict[tuple[int, str], LocalIndicator] = {}
    if indicator is None:
        for ind in LocalIndicator.objects.filter(
            **({"municipality": municipality} if municipality else {})
        ).select_related("municipality"):
            indicators[(ind.municipality_id, ind.code.lower())] = ind
            indicators.setdefault((ind.municipality_id, ind.name_ko.lower()), ind)
    origin = provenance(kind=Origin.FILE, actor=actor, file=report.file, sheet=report.sheet)
    resolved: dict[tuple, object] = {}
    seen: dict[tuple, str] = {}
    keyed: list[tuple[tuple, tuple, tuple]] = []
    touched: set[int] = set()
    for cell in cells(grid, layout):
        if item and cell.item != item:
            continue
        try:
            period = parse_period(cell.period)
        except PeriodError as exc:
            report.error(cell.row, cell.letter, str(exc))
            continue
        muni = municipality
        if has_region:
            key = (cell.regions, period.year, period.quarter)
            if key not in resolved:
                try:
                    resolved[key] = regions.resolve(cell.regions, period.year, period.quarter)
                except RegionError as exc:
                    resolved[key] = exc
            found = resolved[key]
            if found is None:  # a total row
                continue
            if isinstance(found, RegionError):
                could_be = municipality is None or municipality.name_ko in " ".join(cell.regions)
                if could_be:
                    report.error(cell.row, cell.letter, found.message)
                else:
                    report.other_regions += 1
                continue
            if municipality is not None and found.pk != municipality.pk:
                report.other_regions += 1
                continue
            muni = found
        elif muni is None:
            report.error(
                cell.row,
                cell.letter,
                "지역 열이 없습니다: 지자체를 지정하세요 / the table has no region column: give the municipality",
            )
            continue
        if scope is not None and not scope.allows(muni.pk):
            report.error(
                cell.row,
                cell.letter,
                f"이 지자체에 쓸 권한이 없습니다 / no permission to write to {muni.code}",
            )
            continue
        ind = indicator
        if ind is None:
            ind = indicators.get((muni.pk, cell.item.lower()))
            if ind is None:
                report.error(
                    cell.row,
                    cell.letter,
                    f"{muni.code}에 없는 지표 (코드나 국문 이름) / no indicator of {muni.code} with this code or "
                    f"Korean name: {clip(cell.item) or '(항목 없음 / no item)'}",
                )
                continue
        if cell.reason:
            report.missing.append(
                f"row {cell.row}, column {cell.letter}: {cell.reason} — 값을 저장하지 않음 / no value stored"
            )
            continue
        try:
            value = parse_number(cell.value)
        except _Bad as exc:
            report.error(cell.row, cell.letter, str(exc))
            continue
        if cell.unit:
            value = _in_indicator_unit(
                value, cell.unit, ind.unit, ind.code, report, cell.row, lambda _key, c=cell: c.letter
            )
            if value is None:
                continue
        flag = cell.flag or period.flag
        key = (ind.pk, period.year, period.quarter, "", "", "", "", "")
        if key in seen:
            report.error(
                cell.row,
                cell.letter,
                f"{seen[key]}와 같은 지표·기간입니다 / same indicator and period as {seen[key]}",
            )
            continue
        seen[key] = f"row {cell.row}, column {cell.letter}"
        keyed.append(
            (
                key,
                (value, "", flag == "p", flag == "e", ""),
                (cell.row, cell.letter),
                (*origin[:3], f"{cell.letter}{cell.row}", *origin[4:]),
            )
        )
        touched.add(muni.pk)
        progress("checking", len(keyed))
    report.rows = len(keyed)
    if municipality is not None and not keyed and not report.error_count and not report.missing:
        report.error(
            layout.data_first,
            "region",
            f"표에 {municipality.name_ko}({municipality.code})의 값이 없습니다 / the table holds no value for "
            f"{municipality.name_en or municipality.name_ko} ({municipality.code})",
        )
    _observations_save(report, keyed, [_NOTE], sorted(touched), actor)  # writes nothing after an error

"""Refresh a local indicator from the KOSIS table it is linked to (README "KOSIS").

The rows KOSIS gives for this municipality's code are read like an import (same all-or-nothing
run, history attributed to the actor): ``DT`` is text, parsed by the import number rule; KOSIS
markers (``-``, ``x``, ``…``) are missing values with their reason, never zero; ``UNIT_NM`` is
checked against the indicator's unit (and converted when exact); half-years and months do not fit
year + quarter and are refused with a reason. Each stored value's provenance holds the KOSIS
organisation, table, item, classification, period and last-change date (the annex cites them;
a written ``source`` is emptied, KOSIS being the source), and the report
lists what the source revised (``2022: 18 → 17.6``). What the source holds (its newest period and
last change) is kept on the link even in a dry run, so a value older than the source's newest
period is flagged stale (:func:`kosis_stale`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import ApplicationError
from apps.core.tables import marker

from ..choices import Origin
from ..kosis import KosisError, kosis_rows
from ..models import KosisLink, LocalIndicator, Observation
from .imports import ImportReport, _Bad, _no_progress, _require_edit, _run, parse_number
from .observations import _in_indicator_unit, _observations_save, provenance

_KEEP = [
    2,
    3,
    4,
]  # is_provisional, is_estimated, note: a refresh writes value, source (emptied) and provenance


@dataclass
class KosisReport(ImportReport):
    missing: list[str] = field(default_factory=list)
    revisions: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {**super().as_dict(), "missing": self.missing, "revisions": self.revisions}


def _period(prd_se: str, prd_de: str) -> tuple[int, int]:
    """KOSIS ``PRD_DE`` as (year, quarter): ``2023`` (Y) or ``202302`` (Q, second quarter)."""
    text = str(prd_de).strip()
    if prd_se == "Y" and len(text) == 4 and text.isdigit():
        return int(text), 0
    if prd_se == "Q" and len(text) == 6 and text.isdigit() and 1 <= int(text[4:]) <= 4:
        return int(text[:4]), int(text[4:])
    raise _Bad(
        f"이 기간은 연·분기로 나타낼 수 없습니다 / this period does not fit a year and quarter: "
        f"PRD_SE={prd_se!s:.4} PRD_DE={text:.12}"
    )


def kosis_refresh(
    *, indicator: LocalIndicator, actor, dry_run: bool = False, progress=_no_progress
) -> KosisReport:
    """Fetch the linked KOSIS values of ``indicator`` and store them (all or nothing).
    ``progress`` (a background job's) hears ``fetching``, then ``checking`` with the rows."""
    _require_edit(actor, indicator.municipality)
    try:
        link = indicator.kosis_link
    except KosisLink.DoesNotExist:
        raise ApplicationError(
            f"지표 {indicator.code}은(는) KOSIS에 연결되어 있지 않습니다 / indicator {indicator.code} is not "
            "linked to a KOSIS table",
            code="kosis_not_linked",
        ) from None
    this_year = timezone.localdate().year
    start, end = (str(link.start_year), str(this_year))
    if link.period_kind == "Q":
        start, end = start + "01", end + "04"
    classifications = {
        int(k): str(v) for k, v in (link.other_classifications or {}).items() if str(k).isdigit()
    }
    classifications[link.region_level] = link.region_code
    asked = " ".join(f"C{level}={code}" for level, code in sorted(classifications.items()))[:200]
    progress("fetching")
    try:
        rows = kosis_rows(
            org_id=link.org_id,
            tbl_id=link.tbl_id,
            itm_id=link.itm_id,
            classifications=classifications,
            period_kind=link.period_kind,
            start=start,
            end=end,
        )
    except KosisError as exc:
        KosisLink.objects.filter(pk=link.pk).update(last_error=exc.message[:2000])
        raise
    report = KosisReport(kind="kosis", file=str(link), dry_run=dry_run)
    progress("checking", 0, len(rows))
    stored = {
        (o.year, o.quarter): o.value
        for o in Observation.objects.filter(
            local_indicator=indicator, sex="", age_group="", district="", income_group="", disability=""
        )
    }
    newest, last_change = "", ""

    def write():
        nonlocal newest, last_change
        keyed, seen = [], set()
        region_key = f"C{link.region_level}"
        for n, row in enumerate(rows, start=1):
            if (
                str(row.get("ITM_ID", link.itm_id)) != link.itm_id
                or str(row.get(region_key, "")) != link.region_code
            ):
                continue  # another item or region in the reply
            where = f"PRD_DE {str(row.get('PRD_DE', ''))[:12]}"
            last_change = max(last_change, str(row.get("LST_CHN_DE", ""))[:10])
            try:
                year, quarter = _period(str(row.get("PRD_SE", link.period_kind)), row.get("PRD_DE", ""))
                m = marker(row.get("DT"))
                if m.reason:
                    report.missing.append(f"{where}: {m.reason} — 값을 저장하지 않음 / no value stored")
                    continue
                value = parse_number(m.value if m.value is not None else "")
                newest = max(newest, str(row.get("PRD_DE", ""))[:10])  # the newest period with a value
            except _Bad as exc:
                report.error(n, where, str(exc))
                continue
            unit = str(row.get("UNIT_NM") or "").strip()
            if unit:
                value = _in_indicator_unit(
                    value, unit, indicator.unit, indicator.code, report, n, lambda _k: "UNIT_NM"
                )
                if value is None:
                    continue
            if (year, quarter) in seen:
                report.error(n, where, "같은 기간이 두 번 왔습니다 / the same period came twice")
                continue
            seen.add((year, quarter))
            change = str(row.get("LST_CHN_DE", ""))[:10]
            origin = provenance(
                kind=Origin.KOSIS,
                actor=actor,
                kosis=(
                    link.org_id,
                    link.tbl_id,
                    link.itm_id,
                    asked,
                    str(row.get("PRD_DE", ""))[:12],
                    change,
                ),
            )
            old = stored.get((year, quarter))
            if old is not None and old != value:
                report.revisions.append(
                    f"{year}{f' Q{quarter}' if quarter else ''}: {old:g} → {value:g} (KOSIS {change})"
                )
            keyed.append(
                (
                    (indicator.pk, year, quarter, "", "", "", "", ""),
                    (value, "", False, False, ""),
                    (n, where),
                    origin,
                )
            )
        report.rows = len(keyed)
        _observations_save(report, keyed, _KEEP, [indicator.municipality_id], actor)  # nothing after an error

    try:
        _run(report, dry_run, write, progress)
    finally:
        # What the source holds is known even when nothing was saved (a dry run, a bad row).
        KosisLink.objects.filter(pk=link.pk).update(
            refreshed_at=timezone.now(),
            refreshed_by=actor,
            source_newest_period=newest,
            source_last_change=last_change,
            last_error="",
        )
    return report


def kosis_stale(link: KosisLink | None, observations) -> bool:
    """Whether the source has a newer period (with a value) than the newest stored total value
    among ``observations`` (the indicator's, already loaded by the page)."""
    if link is None or not link.source_newest_period:
        return False
    try:
        source = _period(link.period_kind, link.source_newest_period)
    except _Bad:
        return False
    totals = [
        (o.year, o.quarter)
        for o in observations
        if not (o.sex or o.age_group or o.district or o.income_group or o.disability)
    ]
    return not totals or max(totals) < source


@transaction.atomic
def kosis_link_save(*, indicator: LocalIndicator, actor, **fields) -> KosisLink:
    """Link ``indicator`` to a KOSIS table/item/classification (or change the link)."""
    _require_edit(actor, indicator.municipality)
    link = KosisLink.objects.filter(indicator=indicator).first() or KosisLink(indicator=indicator)
    for name, value in fields.items():
        setattr(link, name, value)
    link.full_clean()
    link.save()
    return link


def kosis_refresh_all(*, actor=None, dry_run: bool = False) -> list[tuple[KosisLink, str]]:
    """Refresh every linked indicator (the scheduled job); one failure does not stop the others."""
    outcomes = []
    for link in KosisLink.objects.select_related("indicator__municipality").order_by("pk"):
        try:
            outcomes.append(
                (link, kosis_refresh(indicator=link.indicator, actor=actor, dry_run=dry_run).summary())
            )
        except ApplicationError as exc:
            outcomes.append((link, exc.message))
    return outcomes

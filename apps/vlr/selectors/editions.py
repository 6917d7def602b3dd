"""Reads of VLR editions shared by the workflow, the UI and the export."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.permissions import Action
from apps.frameworks.selectors import local_framework_rows
from apps.initiatives.selectors import budget_lines

from ..choices import EditionStatus
from ..models import Edition, EditionTransition
from .report import (
    FROZEN_STATUSES,
    SCHEMA_VERSION,
    export_data,
    municipality_report_data,
    public_page_data,
    public_view,
)


def edition_snapshot(edition: Edition) -> dict:
    """The numbers an approval freezes: every local indicator's values and status, the
    initiatives and the confirmed evidence of the municipality at this moment, and the city's
    own framework as the workbook's framework sheet shows it (nodes, target values, the UN
    targets they reach through the crosswalk, the indicators aligned to them).

    Kept as plain JSON so that later edits to the data do not change what was approved.
    """
    # This edition, not "the VLR of its year": each kind freezes its own sections and period.
    data = municipality_report_data(municipality=edition.municipality, year=edition.year, edition=edition)
    return {
        "frozen_at": timezone.now().isoformat(),
        **data,
        "local_framework": local_framework_rows(edition.municipality, None),
    }


def public_summary(edition: Edition) -> dict | None:
    """What the public page of a frozen edition shows (:func:`.report.public_page_data` of the
    public view of its snapshot, cut to its period), computed once when it is approved and
    stored as ``Edition.public_summary``. None when the edition has no snapshot of the present
    form: its page then reads the live rows its reader may see, as it always did."""
    snapshot = edition.snapshot
    if edition.status not in FROZEN_STATUSES or not isinstance(snapshot, dict):
        return None
    if snapshot.get("schema") != SCHEMA_VERSION:
        return None
    return public_page_data(public_view(export_data(municipality=edition.municipality, edition=edition)))


def public_page_of(edition: Edition, *, user=None) -> dict:
    """The data of an edition's public page (and of its "preview as the public"): the stored
    summary of a frozen edition, else computed as before from its snapshot or, for a draft or an
    edition frozen before snapshots had their present form, from the live rows ``user`` may see
    (``user`` None: every row, for the preview of those who read the work in progress)."""
    if edition.status in FROZEN_STATUSES and edition.public_summary is not None:
        return edition.public_summary
    return public_view(
        export_data(municipality=edition.municipality, edition=edition, user=user, annex=False)
    )


def edition_checklist(edition: Edition, data: dict) -> list[dict]:
    """The VLR principles the page checks (vlr_structure.md §1), from the report data."""
    indicators = data.get("indicators", [])
    touched = {
        s["goal"] for s in data.get("goal_summaries", []) if s.get("indicators") or s.get("initiatives")
    }
    focus = (data.get("edition") or {}).get("focus_goals") or []
    uncited = [ind["code"] for ind in indicators if not ind.get("data_source")]
    forums = len(data.get("participation_records") or [])
    forums_note = _("forums and deliberations: %(n)s") % {"n": forums}
    return [
        {
            # The free text, or a forum or deliberation recorded in the period (Art. 29).
            "ok": bool((data.get("edition") or {}).get("participation") or edition.participation or forums),
            "label": _("Participation recorded (who took part in preparing the review)")
            + (f" ({forums_note})" if forums else ""),
        },
        {
            "ok": any(len(ind.get("series", [])) > 1 for ind in indicators),
            "label": _("Disaggregated data present (leave no one behind)"),
        },
        {
            "ok": len(touched) == 17 or bool(focus),
            "label": _("Goals covered: %(n)s of 17 goals touched%(focus)s")
            % {
                "n": len(touched),
                "focus": (_("; focus goals %s") % ", ".join(map(str, focus))) if focus else "",
            },
        },
        {
            "ok": bool(indicators) and not uncited and bool(data.get("evidence")),
            "label": _("Sources cited: every indicator has a data source and confirmed evidence exists")
            + (f" ({_('missing')}: {', '.join(uncited[:10])})" if uncited else ""),
        },
    ]


def section_facts(data: dict) -> dict[str, dict]:
    """Generated data shown beside the narrative, per section code (vlr_structure.md §1): the one
    source of the edition page's facts and the workbook's "generated from data" column."""
    indicators = data.get("indicators", [])
    initiatives = data.get("initiatives", [])
    goals = {g["number"]: g for g in data.get("goals", [])}
    budget = budget_lines(
        (ini.get("budget_krw"), [(t["goal"], t["is_primary"]) for t in ini.get("targets", [])])
        for ini in initiatives
    )
    by_group: dict[str, list[str]] = defaultdict(list)
    for ini in initiatives:
        for group in ini.get("groups", []):
            by_group[f"{group['name_ko']} / {group['name_en']}"].append(ini["title_ko"] or ini["title_en"])
    covered_targets = {t["target"] for ini in initiatives for t in ini.get("targets", [])}
    return {
        "highlights": {"goal_summaries": [(goals.get(s["goal"]), s) for s in data.get("goal_summaries", [])]},
        "methodology": {
            "indicator_count": len(indicators),
            "sources": sorted({ind["data_source"] for ind in indicators if ind.get("data_source")}),
        },
        "enabling.lnob": {
            "groups": sorted(by_group.items()),
            "disaggregated": [ind for ind in indicators if len(ind.get("series", [])) > 1],
        },
        "progress": {"indicators": indicators},
        "means": {
            "budget": [
                (goals.get(n), budget.lines.get(n, 0), budget.shared.get(n, 0))
                for n in sorted(set(budget.lines) | set(budget.shared))
            ],
            "unplaced": budget.unplaced,
            "total": budget.total,
        },
        "next_steps": {
            "no_data": [ind for ind in indicators if ind["status"]["status"] == "insufficient_data"],
            # No numeric target (a binary indicator's is "achieved"): a target note such as
            # "지속 확대" is a direction, not a target the progress engine can measure against.
            "no_target": [
                ind for ind in indicators if ind.get("target_value") is None and not ind.get("is_binary")
            ],
            "targets_without_initiative": [
                t for t in data.get("targets", []) if t["code"] not in covered_targets
            ],
        },
        # The 지방보고서's sections on the Art. 14 register and on participation; the VLR's
        # ownership section shows the same forums.
        "reviews": {"reviews": data.get("reviews", [])},
        "participation": {"participation_records": data.get("participation_records", [])},
        "enabling.ownership": {"participation_records": data.get("participation_records", [])},
        "annex.statistical": {
            "observations": data.get("observation_count")
            or sum(len(ind.get("observations", [])) for ind in indicators)
        },
        "annex.metadata": {"indicators": indicators},
    }


def _latest(ind: dict) -> tuple:
    """(year, value) of an indicator's latest total as its progress saw it."""
    for series in ind.get("series", []):
        if not any((series.get("key") or {}).values()):
            progress = series.get("progress") or {}
            return progress.get("t"), progress.get("xt")
    return None, None


def change_basis(data: dict) -> dict:
    """The figures of an edition's data that "what changed" compares (:func:`edition_changes`):
    each indicator's status and latest total, the initiatives, the number of confirmed evidence
    links. Stored on an approved edition beside its snapshot (kilobytes, not megabytes), so that
    the next edition's page reads these and never decodes the snapshot. Tolerant of the partial
    snapshots of early editions (the migration fills the figures from every stored snapshot)."""
    return {
        "year": data.get("year"),
        "indicators": [
            {
                "code": ind["code"],
                "name_ko": ind.get("name_ko", ""),
                "name_en": ind.get("name_en", ""),
                "status": (ind.get("status") or {}).get("status"),
                "latest": list(_latest(ind)),
            }
            for ind in data.get("indicators", [])
        ],
        "initiatives": [
            {"id": ini["id"], "title_ko": ini.get("title_ko", ""), "title_en": ini.get("title_en", "")}
            for ini in data.get("initiatives", [])
        ],
        "evidence": len(data.get("evidence", [])),
    }


def edition_changes(previous: dict | None, current: dict) -> dict | None:
    """What changed between the last approved edition's frozen figures (its ``change_basis``)
    and this edition's data: indicators whose status or latest value moved, indicators and
    initiatives added/removed, and the number of confirmed evidence links."""
    if not previous:
        return None
    current = change_basis(current)
    old = {ind["code"]: ind for ind in previous["indicators"]}
    new = {ind["code"]: ind for ind in current["indicators"]}
    moved = []
    for code in sorted(set(old) & set(new)):
        a, b = old[code], new[code]
        if a["status"] != b["status"] or a["latest"] != b["latest"]:
            moved.append(
                {
                    "code": code,
                    "name_ko": b["name_ko"],
                    "name_en": b["name_en"],
                    "old_status": a["status"],
                    "new_status": b["status"],
                    "old_latest": tuple(a["latest"]),
                    "new_latest": tuple(b["latest"]),
                }
            )
    old_ini = {i["id"]: i for i in previous["initiatives"]}
    new_ini = {i["id"]: i for i in current["initiatives"]}
    return {
        "year": previous.get("year"),
        "moved": moved,
        "added_indicators": [new[c] for c in sorted(set(new) - set(old))],
        "removed_indicators": [old[c] for c in sorted(set(old) - set(new))],
        "added_initiatives": [new_ini[i] for i in new_ini.keys() - old_ini.keys()],
        "removed_initiatives": [old_ini[i] for i in old_ini.keys() - new_ini.keys()],
        "evidence": (previous["evidence"], current["evidence"]),
    }


def review_queue(user) -> list[Edition]:
    """Editions waiting on a reviewer: submitted or sent back with changes requested, in the
    user's review scope, oldest wait first. ``waiting_since`` is when the edition entered its
    status (its last transition), read in the same query as the editions."""
    entered = EditionTransition.objects.filter(edition=OuterRef("pk"), to_status=OuterRef("status")).order_by(
        "-at", "-id"
    )
    return list(
        Edition.objects.for_user(user, Action.REVIEW)
        .filter(status__in=[EditionStatus.SUBMITTED, EditionStatus.CHANGES_REQUESTED])
        .select_related("municipality")
        .annotate(waiting_since=Subquery(entered.values("at")[:1]))
        .order_by("waiting_since", "pk")
    )

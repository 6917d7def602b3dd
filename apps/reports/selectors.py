"""The one data source of a municipality's VLR export.

:func:`municipality_report_data` gathers, in a fixed number of queries whatever the number of
indicators, initiatives or evidence links, everything a VLR workbook shows: the edition and its
narrative, every local indicator with its observations, each series' progress numbers and
status, the goal/target summaries, the initiatives and the confirmed evidence. The result is
plain JSON (dicts, lists, str, int, float, bool, None), so that

- the workbook builder (:mod:`apps.reports.exports.vlr_workbook`) renders it, and
- :func:`apps.vlr.selectors.edition_snapshot` freezes it when an edition is approved; the
  export of an approved edition then renders the frozen numbers (:func:`export_data`).
"""
from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from apps.core.exceptions import PermissionDeniedError
from apps.core.permissions import Action, municipality_scope
from apps.evidence.choices import LinkStatus
from apps.evidence.models import EvidenceLink
from apps.indicators.choices import DISAGGREGATIONS
from apps.indicators.progress import (
    STATUS_LABELS,
    Aggregate,
    Progress,
    Status,
    summarise,
)
from apps.indicators.selectors import (
    IndicatorProgress,
    local_indicators_for,
    observation_rows,
    progress_of_indicator,
)
from apps.initiatives.models import Initiative, InitiativeTarget, ProgressUpdate
from apps.sdg.models import Goal
from apps.vlr.choices import EditionStatus
from apps.vlr.models import Edition, EditionSection

SCHEMA_VERSION = 1

# Fields of a Progress, in the order the workbook shows them.
PROGRESS_FIELDS = (
    "t0", "x0", "t", "xt", "T", "xT", "direction", "n_points", "p", "progress_made", "regression",
    "e", "cagr_observed", "cagr_required", "R", "g", "method", "status", "score", "wls_slope",
    "projected", "G", "escap_status", "note",
)


def _json_value(value):
    """Plain JSON: enums to their string value, non-finite floats (never valid JSON) to None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return str(value)  # StrEnum members → plain str
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def status_dict(status: str) -> dict:
    label = STATUS_LABELS[Status(status)]
    return {"status": str(status), "label_ko": label.ko, "label_en": label.en, "colour": label.colour}


def progress_dict(progress: Progress) -> dict:
    """Every number of one series' assessment, with its status labels."""
    data = {name: _json_value(getattr(progress, name)) for name in PROGRESS_FIELDS}
    data.update(status_dict(progress.status))
    return data


def aggregate_dict(agg: Aggregate) -> dict:
    return {
        **status_dict(agg.status),
        "score": _json_value(agg.score),
        "n_series": agg.n_series,
        "n_assessed": agg.n_assessed,
        "n_insufficient": agg.n_insufficient,
        "worst_series": agg.worst_index if agg.n_series > 1 else None,
    }


def summary_dict(summary) -> dict:
    return {
        "counts": {str(status): summary.counts[status] for status in Status},
        "total": summary.total,
        "assessed": summary.assessed,
        "share_on_track_or_achieved": _json_value(summary.share_on_track_or_achieved),
    }


def _indicator_dict(item: IndicatorProgress, observations: list[tuple]) -> dict:
    ind = item.indicator
    return {
        "id": ind.pk,
        "code": ind.code,
        "name_ko": ind.name_ko,
        "name_en": ind.name_en,
        "unit": ind.unit,
        "direction": ind.direction,
        "is_binary": ind.is_binary,
        "baseline_year": ind.baseline_year,
        "baseline_value": _json_value(ind.baseline_value),
        "target_year": ind.target_year,
        "target_value": _json_value(ind.target_value),
        "target_note": ind.target_note,
        "data_source": ind.data_source,
        "department": ind.department,
        "definition": ind.definition,
        "is_public": ind.is_public,
        "alignments": [
            {
                "target": a.target.code,
                "goal": a.target.goal.number,
                "indicator": a.indicator.code if a.indicator_id else None,
                "alignment": a.alignment,
            }
            for a in ind.alignments.all()
        ],
        "observations": [
            {
                "year": row[1],
                "quarter": row[2],
                **dict(zip(DISAGGREGATIONS, row[3:8])),
                "value": _json_value(row[8]),
                "source": row[9],
                "is_provisional": row[10],
                "is_estimated": row[11],
                "note": row[12],
            }
            for row in observations
        ],
        "series": [
            {
                "key": dict(zip(DISAGGREGATIONS, s.key)),
                "label_ko": s.label_ko,
                "label_en": s.label_en,
                "points": [[year, _json_value(value)] for year, value in s.points],
                "progress": progress_dict(s.progress),
            }
            for s in item.series
        ],
        "status": aggregate_dict(item.aggregate),
    }


def _edition_dict(edition: Edition | None) -> dict | None:
    if edition is None:
        return None
    return {
        "id": edition.pk,
        "year": edition.year,
        "title_ko": edition.title_ko,
        "title_en": edition.title_en,
        "status": edition.status,
        "status_label": edition.get_status_display(),
        "period_start": edition.period_start,
        "period_end": edition.period_end,
        "participation": edition.participation,
        "focus_goals": sorted(goal.number for goal in edition.focus_goals.all()),
        "sections": [
            {
                "code": s.code,
                "title_ko": s.title_ko,
                "title_en": s.title_en,
                "order": s.order,
                "included": s.included,
                "body_ko": s.body_ko,
                "body_en": s.body_en,
            }
            for s in edition.sections.all()
        ],
    }


def _initiative_dict(ini: Initiative) -> dict:
    updates = list(ini.updates.all())
    return {
        "id": ini.pk,
        "title_ko": ini.title_ko,
        "title_en": ini.title_en,
        "summary_ko": ini.summary_ko,
        "summary_en": ini.summary_en,
        "kind": ini.kind,
        "kind_label": ini.get_kind_display(),
        "status": ini.status,
        "status_label": ini.get_status_display(),
        "department": ini.department,
        "start_date": _json_value(ini.start_date),
        "end_date": _json_value(ini.end_date),
        "budget_krw": ini.budget_krw,
        "partners": ini.partner_list,
        "groups": [{"code": g.code, "name_ko": g.name_ko, "name_en": g.name_en} for g in ini.groups_served.all()],
        "targets": [
            {"target": link.target.code, "goal": link.target.goal.number, "is_primary": link.is_primary}
            for link in ini.target_links.all()
        ],
        "local_indicators": sorted(li.code for li in ini.local_indicators.all()),
        "is_public": ini.is_public,
        "latest_update": (
            {"date": _json_value(updates[0].date), "text": updates[0].text} if updates else None
        ),
    }


def _evidence_dict(link: EvidenceLink, indicator_goals: dict[int, list[int]], initiative_goals: dict[int, list[int]]) -> dict:
    doc = link.document
    if link.target_id:
        object_type, goals = "target", [link.target.goal.number]
        label = f"{link.target.code} {link.target.title_ko or link.target.title_en}"
    elif link.local_indicator_id:
        object_type, goals = "local_indicator", indicator_goals.get(link.local_indicator_id, [])
        label = f"{link.local_indicator.code} {link.local_indicator.name_ko or link.local_indicator.name_en}"
    else:
        object_type, goals = "initiative", initiative_goals.get(link.initiative_id, [])
        label = link.initiative.title_ko or link.initiative.title_en
    return {
        "id": link.pk,
        "document": {
            "id": doc.pk,
            "title": doc.title,
            "source_url": doc.source_url,
            "publisher": doc.publisher,
            "author": doc.author,
            "published_date": _json_value(doc.published_date),
            "page_date": _json_value(doc.page_date),
            "kind": doc.kind,
            "is_public": doc.is_public,
        },
        "object_type": object_type,
        "target": link.target.code if link.target_id else None,
        "local_indicator": link.local_indicator.code if link.local_indicator_id else None,
        "initiative": link.initiative_id,
        "object_label": label,
        "goals": sorted(set(goals)),
        "excerpt": link.excerpt,
        "origin": link.origin,
        "score": _json_value(link.score),
        "decided_by": link.decided_by.get_username() if link.decided_by_id else None,
        "decided_at": _json_value(timezone.localtime(link.decided_at).replace(tzinfo=None) if link.decided_at else None),
        "note": link.note,
    }


def _scoped(manager, user):
    return manager.all() if user is None else manager.for_user(user, Action.VIEW)


_LOOKUP = object()


def municipality_report_data(*, municipality, year: int, user=None, edition=_LOOKUP) -> dict:
    """Everything the VLR of ``municipality`` for ``year`` shows, as plain JSON.

    ``user`` None means a system read (an approval snapshot, a command run by an operator):
    every row of the municipality. With a user, each kind of row starts from ``for_user`` so an
    outsider sees only what is published. Progress is evaluated as of ``year`` (later values are
    ignored by the engine, but stay in the observations/annex).

    Queries (fixed): edition + its focus goals + sections, goals, indicators + alignments,
    observations, initiatives + targets + groups + indicators + updates, evidence links; plus the
    user's scope when a user is given. ``edition``: the edition already looked up (or None),
    to save the query.
    """
    edition_prefetch = ("focus_goals", Prefetch("sections", queryset=EditionSection.objects.order_by("order", "id")))
    if edition is _LOOKUP:
        edition = (
            _scoped(Edition.objects, user)
            .filter(municipality=municipality, year=year)
            .prefetch_related(*edition_prefetch)
            .first()
        )
    elif edition is not None:
        prefetch_related_objects([edition], *edition_prefetch)
    goals = list(Goal.objects.order_by("number"))

    indicators = list(local_indicators_for(municipality=municipality, user=user).order_by("code"))
    # One observation query, reused for both the progress and the annex.
    rows_by_indicator: dict[int, list[tuple]] = defaultdict(list)
    if indicators:
        for row in observation_rows([ind.pk for ind in indicators]):
            rows_by_indicator[row[0]].append(row)
    progresses = [progress_of_indicator(ind, rows_by_indicator.get(ind.pk, ()), as_of=year) for ind in indicators]

    initiatives = list(
        _scoped(Initiative.objects, user)
        .filter(municipality=municipality)
        .prefetch_related(
            Prefetch("target_links", queryset=InitiativeTarget.objects.select_related("target__goal")),
            "groups_served",
            "local_indicators",
            Prefetch("updates", queryset=ProgressUpdate.objects.order_by("-date", "-id")),
        )
        .order_by("start_date", "id")
    )
    links = list(
        _scoped(EvidenceLink.objects, user)
        .filter(status=LinkStatus.CONFIRMED)
        .filter(
            Q(municipality=municipality)
            | Q(local_indicator__municipality=municipality)
            | Q(initiative__municipality=municipality)
            | Q(municipality__isnull=True, document__municipality=municipality)
        )
        .select_related("document", "target__goal", "local_indicator", "initiative", "decided_by")
        .order_by("-document__published_date", "document_id", "id")
    )

    indicator_goals = {
        ind.pk: sorted({a.target.goal.number for a in ind.alignments.all()}) for ind in indicators
    }
    initiative_goals = {
        ini.pk: sorted({link.target.goal.number for link in ini.target_links.all()}) for ini in initiatives
    }
    indicator_dicts = [_indicator_dict(item, rows_by_indicator.get(item.indicator.pk, [])) for item in progresses]
    initiative_dicts = [_initiative_dict(ini) for ini in initiatives]
    evidence_dicts = [_evidence_dict(link, indicator_goals, initiative_goals) for link in links]

    targets: dict[str, dict] = {}
    for ind in indicators:
        for a in ind.alignments.all():
            targets[a.target.code] = {
                "code": a.target.code, "goal": a.target.goal.number, "sort_key": a.target.sort_key,
                "title_ko": a.target.title_ko, "title_en": a.target.title_en,
            }
    data = {
        "schema": SCHEMA_VERSION,
        "generated_at": timezone.localtime().replace(tzinfo=None).isoformat(timespec="seconds"),
        "year": year,
        "municipality": {
            "id": municipality.pk,
            "code": municipality.code,
            "name_ko": municipality.name_ko,
            "name_en": municipality.name_en,
            "kind": municipality.kind,
            "level": municipality.level,
            "country": municipality.country,
            "is_sample_data": municipality.is_sample_data,
        },
        "edition": _edition_dict(edition),
        "goals": [
            {
                "number": g.number, "short_ko": g.short_ko, "short_en": g.short_en,
                "title_ko": g.title_ko, "title_en": g.title_en, "colour": g.colour,
            }
            for g in goals
        ],
        "targets": sorted(targets.values(), key=lambda t: t["sort_key"]),
        "indicators": indicator_dicts,
        "initiatives": initiative_dicts,
        "evidence": evidence_dicts,
    }
    data["goal_summaries"] = goal_summary_dicts(data)
    data["target_summaries"] = target_summary_dicts(data)
    return data


def goal_summary_dicts(data: dict) -> list[dict]:
    """The SDG overview: for each goal, counts of indicators per status, share on track or
    achieved, and how many indicators, initiatives and confirmed evidence links touch it.
    Computed from the data dict itself, so live data and a snapshot are summarised alike."""
    statuses: dict[int, dict[int, str]] = defaultdict(dict)
    for ind in data["indicators"]:
        for a in ind["alignments"]:
            statuses[a["goal"]][ind["id"]] = ind["status"]["status"]
    initiatives: dict[int, set] = defaultdict(set)
    for ini in data["initiatives"]:
        for t in ini["targets"]:
            initiatives[t["goal"]].add(ini["id"])
    evidence: dict[int, set] = defaultdict(set)
    for link in data["evidence"]:
        for goal in link["goals"]:
            evidence[goal].add(link["id"])
    out = []
    for goal in data["goals"]:
        n = goal["number"]
        out.append({
            "goal": n,
            **summary_dict(summarise(statuses[n].values())),
            "indicators": len(statuses[n]),
            "initiatives": len(initiatives[n]),
            "evidence": len(evidence[n]),
        })
    return out


def target_summary_dicts(data: dict) -> list[dict]:
    statuses: dict[str, list[str]] = defaultdict(list)
    for ind in data["indicators"]:
        for a in ind["alignments"]:
            statuses[a["target"]].append(ind["status"]["status"])
    return [
        {"target": t["code"], "goal": t["goal"], **summary_dict(summarise(statuses[t["code"]]))}
        for t in data["targets"]
    ]


def _public_only(data: dict) -> dict:
    """What anybody may read of a frozen snapshot: public indicators and initiatives, evidence
    from public documents (the same rule as the querysets' ``published_q``)."""
    data = dict(data)
    data["indicators"] = [ind for ind in data["indicators"] if ind.get("is_public")]
    data["initiatives"] = [ini for ini in data["initiatives"] if ini.get("is_public")]
    data["evidence"] = [link for link in data["evidence"] if link["document"].get("is_public")]
    kept = {a["target"] for ind in data["indicators"] for a in ind["alignments"]}
    data["targets"] = [t for t in data["targets"] if t["code"] in kept]
    data["goal_summaries"] = goal_summary_dicts(data)
    data["target_summaries"] = target_summary_dicts(data)
    return data


FROZEN_STATUSES = (EditionStatus.APPROVED, EditionStatus.PUBLISHED)


def export_data(*, municipality, year: int | None = None, edition: Edition | None = None, user=None) -> dict:
    """The data an export renders: the frozen snapshot of an approved/published edition, else
    live data. Starts from ``for_user`` when a user is given.

    A snapshot keeps the numbers as approved; the edition's current status is read live. For a
    user outside the municipality's scope, a snapshot is reduced to what is public.
    """
    if edition is not None:
        if edition.municipality_id != municipality.pk:
            raise PermissionDeniedError("다른 지자체의 VLR입니다 / edition belongs to another municipality")
        if user is not None and not Edition.objects.for_user(user).filter(pk=edition.pk).exists():
            raise PermissionDeniedError("이 VLR을 볼 권한이 없습니다 / you may not view this edition")
        year = edition.year
    elif year is None:
        raise ValueError("give a year or an edition")
    else:
        edition = _scoped(Edition.objects, user).filter(municipality=municipality, year=year).first()

    snapshot = edition.snapshot if edition is not None else None
    if (
        edition is not None
        and edition.status in FROZEN_STATUSES
        and isinstance(snapshot, dict)
        and snapshot.get("schema") == SCHEMA_VERSION
    ):
        data = dict(snapshot)
        data["edition"] = {**(data.get("edition") or _edition_dict(edition)), "status": edition.status,
                           "status_label": edition.get_status_display()}
        data["frozen"] = True
        if user is not None and not municipality_scope(user, Action.VIEW).allows(municipality.pk):
            data = _public_only(data)
        return data
    data = municipality_report_data(municipality=municipality, year=year, user=user, edition=edition)
    data["frozen"] = False
    return data

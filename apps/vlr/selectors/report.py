"""The one data source of a municipality's VLR export.

:func:`municipality_report_data` gathers, in a fixed number of queries whatever the number of
indicators, initiatives or evidence links, everything a VLR workbook shows: the edition and its
narrative, every local indicator with its observations, each series' progress numbers and
status, the goal/target summaries, the initiatives and the confirmed evidence. The result is
plain JSON (dicts, lists, str, int, float, bool, None), so that

- the workbook builder (:mod:`apps.vlr.exports.vlr_workbook`) renders it, and
- :func:`apps.vlr.selectors.edition_snapshot` freezes it when an edition is approved; the
  export of an approved edition then renders the frozen numbers (:func:`export_data`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from apps.core.exceptions import PermissionDeniedError
from apps.core.permissions import Action, sees_work_in_progress
from apps.evidence.choices import LinkStatus
from apps.evidence.models import EvidenceLink
from apps.frameworks.selectors import crosswalk_targets
from apps.indicators.choices import DISAGGREGATIONS
from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation
from apps.indicators.progress import (
    STATUS_LABELS,
    Aggregate,
    Progress,
    Status,
    summarise,
)
from apps.indicators.selectors import (
    IndicatorProgress,
    observation_rows,
    progress_as_of,
    progress_of_indicator,
)
from apps.initiatives.choices import Kind
from apps.initiatives.choices import Status as InitiativeStatus
from apps.initiatives.models import Initiative, InitiativeTarget, ProgressUpdate
from apps.sdg.models import Target

from ..choices import EditionStatus, ParticipationKind, ReportKind, ReviewStatus
from ..models import Edition, EditionSection, OrdinanceReview, ParticipationRecord

SCHEMA_VERSION = 1

# Fields of a Progress, in the order the workbook shows them.
PROGRESS_FIELDS = (
    "t0",
    "x0",
    "t",
    "xt",
    "T",
    "xT",
    "direction",
    "n_points",
    "p",
    "progress_made",
    "regression",
    "e",
    "cagr_observed",
    "cagr_required",
    "R",
    "g",
    "method",
    "status",
    "score",
    "wls_slope",
    "projected",
    "G",
    "escap_status",
    "note",
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


def _finite(value):
    """A number from the database as JSON: NaN and ±inf (PostgreSQL can store them) → None."""
    return value if value is not None and value - value == 0 else None


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


def _indicator_dict(item: IndicatorProgress, observations: list[tuple], alignments: list[dict]) -> dict:
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
        "alignments": alignments,
        "observations": [
            {
                "year": row[1],
                "quarter": row[2],
                **dict(zip(DISAGGREGATIONS, row[3:8])),
                "value": _finite(row[8]),
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
                "points": [[year, _finite(value)] for year, value in s.points],
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
        "kind": edition.kind,
        "kind_label": edition.get_kind_display(),
        "year": edition.year,
        "title_ko": edition.title_ko,
        "title_en": edition.title_en,
        "status": edition.status,
        "status_label": edition.get_status_display(),
        "period_start": edition.period_start,
        "period_end": edition.period_end,
        "due_date": edition.due_date.isoformat() if edition.due_date else None,
        "recipients": [{"ko": ko, "en": en} for ko, en in edition.outline.recipients],
        "participation": edition.participation,
        "goal_narratives": edition.goal_narratives or {},
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


_KIND_LABELS = dict(Kind.choices)
_INITIATIVE_STATUS_LABELS = dict(InitiativeStatus.choices)
_INITIATIVE_FIELDS = (
    "id",
    "title_ko",
    "title_en",
    "summary_ko",
    "summary_en",
    "kind",
    "status",
    "department",
    "start_date",
    "end_date",
    "budget_krw",
    "partners",
    "is_public",
)


def _initiative_dicts(initiatives: QuerySet, targets: dict[int, dict]) -> list[dict]:
    """Initiatives with their targets, groups, indicators and latest update: five queries, rows
    as values (no model instances — a large city has hundreds of initiatives)."""
    rows = list(initiatives.order_by("start_date", "id").values(*_INITIATIVE_FIELDS))
    by_id = {}
    for row in rows:
        row["kind_label"] = _KIND_LABELS.get(row["kind"], row["kind"])
        row["status_label"] = _INITIATIVE_STATUS_LABELS.get(row["status"], row["status"])
        row["start_date"] = _json_value(row["start_date"])
        row["end_date"] = _json_value(row["end_date"])
        row["partners"] = [line.strip() for line in row["partners"].splitlines() if line.strip()]
        row.update(groups=[], targets=[], crosswalk_targets=[], local_indicators=[], latest_update=None)
        by_id[row["id"]] = row
    ids = initiatives.values("pk")
    for ini_id, target_id, primary in (
        InitiativeTarget.objects.filter(initiative__in=ids)
        .order_by("-is_primary", "target__sort_key")
        .values_list("initiative_id", "target_id", "is_primary")
    ):
        target = targets[target_id]
        by_id[ini_id]["targets"].append(
            {"target": target["code"], "goal": target["goal"], "is_primary": primary}
        )
    groups = Initiative.groups_served.through.objects.filter(initiative__in=ids).order_by(
        "populationgroup_id"
    )
    for ini_id, code, name_ko, name_en in groups.values_list(
        "initiative_id", "populationgroup__code", "populationgroup__name_ko", "populationgroup__name_en"
    ):
        by_id[ini_id]["groups"].append({"code": code, "name_ko": name_ko, "name_en": name_en})
    indicators = Initiative.local_indicators.through.objects.filter(initiative__in=ids)
    for ini_id, code in indicators.values_list("initiative_id", "localindicator__code"):
        by_id[ini_id]["local_indicators"].append(code)
    for ini_id, day, text in (
        ProgressUpdate.objects.filter(initiative__in=ids)
        .order_by("initiative_id", "-date", "-id")
        .values_list("initiative_id", "date", "text")
    ):
        if by_id[ini_id]["latest_update"] is None:
            by_id[ini_id]["latest_update"] = {"date": _json_value(day), "text": text}
    # Targets reached through the city's own framework and the crosswalk (as the dashboard and
    # the gap matrix count them), after those set directly.
    for ini_id, reached in crosswalk_targets(Initiative, list(by_id)).items():
        direct = {t["target"] for t in by_id[ini_id]["targets"]}
        by_id[ini_id]["crosswalk_targets"] = [
            {"target": t["code"], "goal": t["goal"]}
            for t in sorted((targets[t] for t in reached), key=lambda t: t["sort_key"])
            if t["code"] not in direct
        ]
    for row in rows:
        row["local_indicators"].sort()
    return rows


def initiative_goals(initiative: dict) -> list[int]:
    """The goals an initiative touches: those of its targets and of the targets its framework
    nodes reach (``crosswalk_targets``, absent from snapshots taken before it was recorded)."""
    reached = initiative["targets"] + initiative.get("crosswalk_targets", [])
    return sorted({t["goal"] for t in reached})


_EVIDENCE_FIELDS = (
    "id",
    "document_id",
    "document__title",
    "document__source_url",
    "document__publisher",
    "document__author",
    "document__published_date",
    "document__page_date",
    "document__kind",
    "document__is_public",
    "target_id",
    "local_indicator_id",
    "local_indicator__code",
    "local_indicator__name_ko",
    "local_indicator__name_en",
    "initiative_id",
    "initiative__title_ko",
    "initiative__title_en",
    "excerpt",
    "origin",
    "score",
    "decided_by__username",
    "decided_at",
    "note",
)


def _evidence_dict(
    row: dict,
    targets: dict[int, dict],
    indicator_goals: dict[int, list[int]],
    initiative_goals: dict[int, list[int]],
) -> dict:
    if row["target_id"]:
        target = targets[row["target_id"]]
        object_type, goals = "target", [target["goal"]]
        label = f"{target['code']} {target['title_ko'] or target['title_en']}"
    elif row["local_indicator_id"]:
        object_type, goals = "local_indicator", indicator_goals.get(row["local_indicator_id"], [])
        label = f"{row['local_indicator__code']} {row['local_indicator__name_ko'] or row['local_indicator__name_en']}"
    else:
        object_type, goals = "initiative", initiative_goals.get(row["initiative_id"], [])
        label = row["initiative__title_ko"] or row["initiative__title_en"]
    decided_at = row["decided_at"]
    return {
        "id": row["id"],
        "document": {
            "id": row["document_id"],
            "title": row["document__title"],
            "source_url": row["document__source_url"],
            "publisher": row["document__publisher"],
            "author": row["document__author"],
            "published_date": _json_value(row["document__published_date"]),
            "page_date": _json_value(row["document__page_date"]),
            "kind": row["document__kind"],
            "is_public": row["document__is_public"],
        },
        "object_type": object_type,
        "target": targets[row["target_id"]]["code"] if row["target_id"] else None,
        "local_indicator": row["local_indicator__code"],
        "initiative": row["initiative_id"],
        "object_label": label,
        "goals": sorted(set(goals)),
        "excerpt": row["excerpt"],
        "origin": row["origin"],
        "score": _json_value(row["score"]),
        "decided_by": row["decided_by__username"],
        "decided_at": _json_value(
            timezone.localtime(decided_at).replace(tzinfo=None) if decided_at else None
        ),
        "note": row["note"],
    }


def _scoped(manager, user):
    return manager.all() if user is None else manager.for_user(user, Action.VIEW)


_LOOKUP = object()


def municipality_report_data(
    *, municipality, year: int, user=None, edition=_LOOKUP, annex: bool = True
) -> dict:
    """Everything the VLR of ``municipality`` for ``year`` shows, as plain JSON.

    ``user`` None means a system read (an approval snapshot, a command run by an operator):
    every row of the municipality. With a user, each kind of row starts from ``for_user`` so an
    outsider sees only what is published. Progress is evaluated as of ``year`` (later values are
    ignored by the engine, but stay in the observations/annex).

    Queries (fixed): edition + its focus goals + sections, targets with their goals, indicators,
    alignments, observations, initiatives + their targets + groups + indicators + updates,
    evidence links; plus the user's scope when a user is given. Rows are read as values, not
    model instances, where there can be thousands of them. ``edition``: the edition already looked up (or None),
    to save the query.

    ``annex=False`` (the edition page, the public preview: pages that show progress and count
    the values, never list them): no indicator carries its ``observations``, ``observation_count``
    says how many there are (one COUNT), and progress is the stored one wherever it equals the
    computation as of ``year`` (:func:`apps.indicators.selectors.progress_as_of`), so a draft of
    the present year reads no observation at all. Everything else is the same as with the annex
    (a test holds them equal).
    """
    edition_prefetch = (
        "focus_goals",
        Prefetch("sections", queryset=EditionSection.objects.order_by("order", "id")),
    )
    if edition is _LOOKUP:
        edition = (
            _scoped(Edition.objects, user)
            .without_snapshot()
            .filter(municipality=municipality, year=year, kind=ReportKind.VLR)
            .prefetch_related(*edition_prefetch)
            .first()
        )
    elif edition is not None:
        prefetch_related_objects([edition], *edition_prefetch)
    # The SDG framework in one query: every target with its goal (all 17 goals have targets).
    targets: dict[int, dict] = {}
    goals: dict[int, dict] = {}
    for (
        pk,
        code,
        sort_key,
        title_ko,
        title_en,
        number,
        short_ko,
        short_en,
        g_ko,
        g_en,
        colour,
    ) in Target.objects.values_list(
        "id",
        "code",
        "sort_key",
        "title_ko",
        "title_en",
        "goal__number",
        "goal__short_ko",
        "goal__short_en",
        "goal__title_ko",
        "goal__title_en",
        "goal__colour",
    ):
        targets[pk] = {
            "code": code,
            "goal": number,
            "sort_key": sort_key,
            "title_ko": title_ko,
            "title_en": title_en,
        }
        goals[number] = {
            "number": number,
            "short_ko": short_ko,
            "short_en": short_en,
            "title_ko": g_ko,
            "title_en": g_en,
            "colour": colour,
        }

    indicators = list(
        _scoped(LocalIndicator.objects, user).filter(municipality=municipality).order_by("code")
    )
    ids = [ind.pk for ind in indicators]
    alignments: dict[int, list[dict]] = defaultdict(list)
    # One observation query, reused for both the progress and the annex.
    rows_by_indicator: dict[int, list[tuple]] = defaultdict(list)
    if ids:
        for ind_id, target_id, indicator_code, kind in (
            IndicatorAlignment.objects.filter(local_indicator_id__in=ids)
            .order_by("target__sort_key", "id")
            .values_list("local_indicator_id", "target_id", "indicator__code", "alignment")
        ):
            target = targets[target_id]
            alignments[ind_id].append(
                {
                    "target": target["code"],
                    "goal": target["goal"],
                    "indicator": indicator_code,
                    "alignment": kind,
                }
            )
        # Targets reached through the city's own framework and the crosswalk count as well
        # (kind "crosswalk"; apps.frameworks.selectors), after those set directly.
        for ind_id, reached in crosswalk_targets(LocalIndicator, ids).items():
            direct = {a["target"] for a in alignments[ind_id]}
            for target in sorted((targets[t] for t in reached), key=lambda t: t["sort_key"]):
                if target["code"] not in direct:
                    alignments[ind_id].append(
                        {
                            "target": target["code"],
                            "goal": target["goal"],
                            "indicator": None,
                            "alignment": "crosswalk",
                        }
                    )
        if annex:
            for row in observation_rows(ids):
                rows_by_indicator[row[0]].append(row)
    if annex:
        progresses = [
            progress_of_indicator(ind, rows_by_indicator.get(ind.pk, ()), as_of=year) for ind in indicators
        ]
    else:
        progresses = progress_as_of(indicators, year)

    initiative_dicts = _initiative_dicts(
        _scoped(Initiative.objects, user).filter(municipality=municipality), targets
    )
    # The city's confirmed links: its own, those on its indicators and initiatives, and those of
    # no municipality on its documents, as a UNION of one index lookup per arm (an OR across the
    # joined tables made PostgreSQL read every link, indicator and initiative of the database).
    confirmed = _scoped(EvidenceLink.objects, user).filter(status=LinkStatus.CONFIRMED).order_by()
    arms = [
        confirmed.filter(municipality=municipality),
        confirmed.filter(local_indicator__municipality=municipality),
        confirmed.filter(initiative__municipality=municipality),
        confirmed.filter(municipality__isnull=True, document__municipality=municipality),
    ]
    first, *rest = (arm.values(*_EVIDENCE_FIELDS) for arm in arms)
    links = first.union(*rest).order_by("-document__published_date", "document_id", "id")
    indicator_goals = {pk: sorted({a["goal"] for a in aligned}) for pk, aligned in alignments.items()}
    goals_of_initiative = {ini["id"]: initiative_goals(ini) for ini in initiative_dicts}
    indicator_dicts = [
        _indicator_dict(
            item, rows_by_indicator.get(item.indicator.pk, []), alignments.get(item.indicator.pk, [])
        )
        for item in progresses
    ]
    evidence_dicts = [_evidence_dict(row, targets, indicator_goals, goals_of_initiative) for row in links]
    used_targets = {a["target"] for aligned in alignments.values() for a in aligned}
    report_targets = [
        {
            "code": t["code"],
            "goal": t["goal"],
            "sort_key": t["sort_key"],
            "title_ko": t["title_ko"],
            "title_en": t["title_en"],
        }
        for t in sorted(targets.values(), key=lambda t: t["sort_key"])
        if t["code"] in used_targets
    ]
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
            "profile": {
                "population": municipality.population,
                "area_km2": municipality.area_km2,
                "budget_krw": municipality.budget_krw,
                "languages": municipality.languages,
                "profile_year": municipality.profile_year,
            },
        },
        "edition": _edition_dict(edition),
        "goals": [goals[number] for number in sorted(goals)],
        "targets": report_targets,
        "indicators": indicator_dicts,
        "initiatives": initiative_dicts,
        "evidence": evidence_dicts,
    }
    first, last = (edition.period_start, edition.period_end) if edition is not None else (year, year)
    data["reviews"] = review_register_dicts(municipality, first, last)
    data["participation_records"] = participation_dicts(municipality, first, last)
    data["goal_summaries"] = goal_summary_dicts(data)
    data["target_summaries"] = target_summary_dicts(data)
    if not annex:
        for ind in indicator_dicts:
            del ind["observations"]
        data["observation_count"] = (
            Observation.objects.filter(local_indicator_id__in=ids).count() if ids else 0
        )
    return data


def review_register_dicts(municipality, first: int, last: int) -> list[dict]:
    """The Art. 14 review register of the period (items sent for review in those years), with
    the SDG targets each concerns (one query, one row per target)."""
    out: dict[int, dict] = {}
    for row in (
        OrdinanceReview.objects.filter(
            municipality=municipality, submitted_on__year__gte=first, submitted_on__year__lte=last
        )
        .order_by("submitted_on", "id")
        .values(
            "id",
            "item_kind",
            "title",
            "department",
            "submitted_on",
            "committee_opinion",
            "reviewed_on",
            "authority_response",
            "responded_on",
            "status",
            "targets__code",
        )
    ):
        code = row.pop("targets__code")
        item = out.setdefault(
            row["id"],
            {
                **row,
                "submitted_on": row["submitted_on"].isoformat(),
                "reviewed_on": row["reviewed_on"].isoformat() if row["reviewed_on"] else None,
                "responded_on": row["responded_on"].isoformat() if row["responded_on"] else None,
                "status_label": ReviewStatus(row["status"]).label,
                "targets": [],
            },
        )
        if code:
            item["targets"].append(code)
    return list(out.values())


def participation_dicts(municipality, first: int, last: int) -> list[dict]:
    """Forums and deliberations held in the period (Art. 29), head counts per group."""
    return [
        {
            **row,
            "held_on": row["held_on"].isoformat(),
            "kind_label": ParticipationKind(row["kind"]).label,
            "total": sum(row["participants"].values()),
            # In the order of the groups' names: PostgreSQL's jsonb does not keep the typed order.
            "groups": sorted(row["participants"].items()),
        }
        for row in ParticipationRecord.objects.filter(
            municipality=municipality, held_on__year__gte=first, held_on__year__lte=last
        )
        .order_by("held_on", "id")
        .values("id", "kind", "title", "held_on", "participants", "topics", "outcomes", "results_url")
    ]


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
        for goal in initiative_goals(ini):
            initiatives[goal].add(ini["id"])
    evidence: dict[int, set] = defaultdict(set)
    for link in data["evidence"]:
        for goal in link["goals"]:
            evidence[goal].add(link["id"])
    out = []
    for goal in data["goals"]:
        n = goal["number"]
        out.append(
            {
                "goal": n,
                **summary_dict(summarise(statuses[n].values())),
                "indicators": len(statuses[n]),
                "initiatives": len(initiatives[n]),
                "evidence": len(evidence[n]),
            }
        )
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


# What the review recorded about each evidence link, kept inside (who decided, their note, the
# engine's score and how the link was found): the public reads the citation, not the review.
_REVIEW_FIELDS = ("decided_by", "decided_at", "note", "score", "origin")


def public_view(data: dict) -> dict:
    """What anybody reads of an edition's data: every indicator, initiative and number as it is
    (a published edition shows exactly what was approved, whatever the rows' ``is_public`` flag),
    without the review's internals. Evidence from a non-public document still counts (the goal
    summaries stay as approved) but its title, address and excerpt stay inside.

    Used for the public edition page and workbook, and for the "preview as the public" page."""
    data = dict(data)
    evidence = []
    for link in data.get("evidence", []):
        # Blanked, not dropped: every reader of the data (page, workbook) keeps one shape.
        link = {key: None if key in _REVIEW_FIELDS else value for key, value in link.items()}
        if not link["document"].get("is_public"):
            link["document"] = {
                "id": None,
                "title": "",
                "source_url": "",
                "publisher": "",
                "author": "",
                "published_date": None,
                "page_date": None,
                "kind": link["document"].get("kind"),
                "is_public": False,
            }
            link["excerpt"] = ""
        evidence.append(link)
    data["evidence"] = evidence
    return data


# What the public edition page reads of its data (apps.vlr.selectors.section_facts and the
# "numbers as approved" line); the evidence list is counted in the goal summaries, not shown.
_PAGE_KEYS = (
    "frozen",
    "goals",
    "targets",
    "goal_summaries",
    "initiatives",
    "reviews",
    "participation_records",
)


def public_page_data(data: dict) -> dict:
    """What the public edition page shows of an edition's public view (:func:`public_view`):
    the keys its facts read, each indicator with its progress but without its values (their
    number kept as ``observation_count``), no evidence list. Stored on an approved edition
    (``Edition.public_summary``, by ``apps.vlr.services.edition_transition`` and the
    ``fill_public_summaries`` command) so that an anonymous request never decodes the snapshot;
    a test renders the page from it and from the whole view and finds them equal."""
    indicators = data.get("indicators", [])
    return {
        **{key: data[key] for key in _PAGE_KEYS if key in data},
        "indicators": [
            {
                **{key: value for key, value in ind.items() if key != "observations"},
                "series": [
                    {key: value for key, value in series.items() if key != "points"}
                    for series in ind.get("series", [])
                ],
            }
            for ind in indicators
        ],
        "observation_count": data.get("observation_count")
        or sum(len(ind.get("observations", [])) for ind in indicators),
    }


FROZEN_STATUSES = (EditionStatus.APPROVED, EditionStatus.PUBLISHED)


def within_period(data: dict) -> dict:
    """An approved edition's data without any value after its period (its end, else its year):
    the review reports up to that year, and a snapshot of a later approval may hold more."""
    edition = data.get("edition") or {}
    cutoff = min(edition.get("period_end") or data["year"], data["year"])
    indicators = []
    for ind in data.get("indicators", []):
        ind = dict(ind)
        ind["observations"] = [o for o in ind.get("observations", []) if o["year"] <= cutoff]
        ind["series"] = [
            {**series, "points": [p for p in series["points"] if p[0] <= cutoff]}
            for series in ind.get("series", [])
        ]
        indicators.append(ind)
    return {**data, "indicators": indicators}


def export_data(
    *, municipality, year: int | None = None, edition: Edition | None = None, user=None, annex: bool = True
) -> dict:
    """The data an export renders: the frozen snapshot of an approved/published edition, else
    live data. Starts from ``for_user`` when a user is given. ``annex=False``: live data
    without the values themselves (:func:`municipality_report_data`), for pages.

    A snapshot keeps the numbers as approved; the edition's current status is read live. A user
    outside the municipality's scope reads the snapshot whole, less the review's internals
    (:func:`public_view`).
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
        edition = (
            _scoped(Edition.objects, user)
            .reading("snapshot")  # what an export reads
            .filter(municipality=municipality, year=year, kind=ReportKind.VLR)
            .first()
        )

    # Read only when frozen: a draft's page may have left it unloaded (apps.vlr.views).
    frozen = edition is not None and edition.status in FROZEN_STATUSES
    snapshot = edition.snapshot if frozen else None
    if frozen and isinstance(snapshot, dict) and snapshot.get("schema") == SCHEMA_VERSION:
        data = dict(snapshot)
        data["edition"] = {
            **(data.get("edition") or _edition_dict(edition)),
            "status": edition.status,
            "status_label": edition.get_status_display(),
        }
        data["frozen"] = True
        data = within_period(data)
        if user is not None and not sees_work_in_progress(user, municipality.pk):
            data = public_view(data)
        return data
    data = municipality_report_data(
        municipality=municipality, year=year, user=user, edition=edition, annex=annex
    )
    data["frozen"] = False
    return data

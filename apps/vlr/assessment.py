"""The indicator assessment of a 지속가능성 평가 (Act Art. 15): panels of citizens, experts and
departments score each local indicator on the edition's criteria; ``assessment_results``
aggregates them per indicator and flags indicators whose target value needs revision.

Writes (``panel_create``, ``panel_ratings_save``, ``panel_ratings_import``,
``department_response_set``) follow the services' rules: the city's planners, a draft edition,
``full_clean``, atomic; a batch of ratings is saved whole or not at all, every error named
``row N, column C: reason``."""

from __future__ import annotations

from collections import defaultdict
from statistics import mean

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.core.exceptions import ApplicationError
from apps.core.layout import Column
from apps.core.permissions import Action, require_scope
from apps.core.spreadsheets import read_table, shown
from apps.indicators.models import LocalIndicator

from .choices import SCORE_MAX, SCORE_MIN, ReportKind
from .models import AssessmentPanel, DepartmentResponse, Edition, IndicatorRating
from .services import _require_editable


def _require_assessment(edition: Edition, actor) -> None:
    require_scope(actor, Action.EDIT, edition.municipality_id)
    if edition.kind != ReportKind.ASSESSMENT:
        raise ApplicationError(
            "지표 평가는 지속가능성 평가에서만 합니다 / indicators are assessed in a sustainability assessment",
            code="not_assessment",
        )
    _require_editable(edition)


@transaction.atomic
def panel_create(
    *, edition: Edition, group: str, participants: int, actor, name: str = ""
) -> AssessmentPanel:
    _require_assessment(edition, actor)
    panel = AssessmentPanel(edition=edition, group=group, participants=participants, name=name.strip())
    panel.full_clean()
    panel._history_user = actor
    panel.save()
    return panel


def _score(raw, where: str, errors: list[str]):
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = float(str(raw).strip())
    except ValueError:
        errors.append(f"{where}: 숫자가 아닙니다 / not a number: {shown(raw)}")
        return None
    if value != int(value) or not SCORE_MIN <= value <= SCORE_MAX:
        errors.append(
            f"{where}: {SCORE_MIN}–{SCORE_MAX} 사이의 정수여야 합니다 / must be a whole number "
            f"from {SCORE_MIN} to {SCORE_MAX}: {shown(raw)}"
        )
        return None
    return int(value)


@transaction.atomic
def panel_ratings_save(*, panel: AssessmentPanel, rows: list[dict], actor) -> int:
    """Save a panel's ratings: each row ``{"where": "row 3", "indicator": code, "scores":
    {criterion code: raw value}, "comment": str, "columns": {criterion code or "indicator":
    label}}``. A row without scores or comment removes that indicator's rating. All or nothing:
    every bad cell is reported and nothing is saved. Returns the number of ratings kept."""
    edition = panel.edition
    _require_assessment(edition, actor)
    criteria = list(edition.criteria.values_list("code", flat=True))
    indicators = {
        i.code: i
        for i in LocalIndicator.objects.filter(
            municipality_id=edition.municipality_id, retired_at__isnull=True
        )
    }
    errors: list[str] = []
    parsed: dict[int, tuple[dict, str]] = {}
    for row in rows:
        columns = row.get("columns", {})
        code = str(row.get("indicator") or "").strip()
        indicator = indicators.get(code)
        if indicator is None:
            errors.append(
                f"{row['where']}, column {columns.get('indicator', 'indicator')}: "
                f"이 지자체의 지표가 아닙니다 / not a local indicator of this municipality: {shown(code)}"
            )
            continue
        if indicator.pk in parsed:
            errors.append(f"{row['where']}: 같은 지표가 두 번 나옵니다 / indicator listed twice: {code}")
            continue
        scores = {}
        for criterion in criteria:
            value = _score(
                row.get("scores", {}).get(criterion),
                f"{row['where']}, column {columns.get(criterion, criterion)}",
                errors,
            )
            if value is not None:
                scores[criterion] = value
        parsed[indicator.pk] = (scores, str(row.get("comment") or "").strip())
    if errors:
        raise ValidationError(errors)
    existing = {r.local_indicator_id: r for r in panel.ratings.all()}
    kept = 0
    for indicator_id, (scores, comment) in parsed.items():
        rating = existing.get(indicator_id)
        if not scores and not comment:
            if rating is not None:
                rating.delete()
            continue
        rating = rating or IndicatorRating(panel=panel, local_indicator_id=indicator_id)
        rating.scores, rating.comment = scores, comment
        rating.full_clean()
        rating._history_user = actor
        rating.save()
        kept += 1
    return kept


def rating_columns(edition: Edition) -> tuple[Column, ...]:
    """The columns of a panel's spreadsheet: indicator code, one per criterion, comment."""
    return (
        Column(
            "indicator",
            "지표 코드",
            "Indicator code",
            required=True,
            aliases=("code", "코드", "indicator_code", "지표코드"),
        ),
        *(Column(c.code, c.name_ko, c.name_en) for c in edition.criteria.all()),
        Column("comment", "의견", "Comment"),
    )


def panel_ratings_import(*, panel: AssessmentPanel, file, actor) -> int:
    """A panel's ratings from an xlsx or csv (apps.core.spreadsheets), all or nothing."""
    _require_assessment(panel.edition, actor)
    table, _name = read_table(file, rating_columns(panel.edition))

    def cell(values, key):
        index = table.columns.get(key)
        return values[index] if index is not None and index < len(values) else None

    rows = [
        {
            "where": f"row {number}",
            "indicator": cell(values, "indicator"),
            "scores": {
                key: cell(values, key) for key in table.columns if key not in ("indicator", "comment")
            },
            "comment": cell(values, "comment"),
            "columns": dict(table.letters),
        }
        for number, values in table.rows
        if any(v not in (None, "") for v in values)
    ]
    return panel_ratings_save(panel=panel, rows=rows, actor=actor)


@transaction.atomic
def department_response_set(*, edition: Edition, local_indicator, department: str, response: str, actor):
    """Record (or replace) the responsible department's response on one indicator."""
    _require_assessment(edition, actor)
    if local_indicator.municipality_id != edition.municipality_id:
        raise ApplicationError("다른 지자체의 지표입니다 / indicator belongs to another municipality")
    row = DepartmentResponse.objects.filter(edition=edition, local_indicator=local_indicator).first()
    row = row or DepartmentResponse(edition=edition, local_indicator=local_indicator)
    row.department, row.response = department.strip(), response.strip()
    row.full_clean()
    row._history_user = actor
    row.save()
    return row


def assessment_results(edition: Edition, user=None) -> dict:
    """Per local indicator: the mean score per criterion over the panels that rated it (and how
    many did), the criteria that flag it, the panels' comments and the department's response.
    Queries: criteria, panels, ratings, indicators, responses (5)."""
    criteria = list(edition.criteria.all())
    panels = {p.pk: p for p in AssessmentPanel.objects.filter(edition=edition)}
    scores: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    comments: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for rating in IndicatorRating.objects.filter(panel__edition=edition):
        for code, value in rating.scores.items():
            scores[rating.local_indicator_id][code].append(value)
        if rating.comment:
            comments[rating.local_indicator_id].append((panels[rating.panel_id].group, rating.comment))
    indicators = LocalIndicator.objects.filter(
        municipality_id=edition.municipality_id, retired_at__isnull=True
    )
    if user is not None:
        indicators = indicators.for_user(user)
    responses = {r.local_indicator_id: r for r in DepartmentResponse.objects.filter(edition=edition)}
    rows = []
    for indicator in indicators.order_by("code"):
        means = {}
        for c in criteria:
            values = scores[indicator.pk].get(c.code, [])
            means[c.code] = {"mean": round(mean(values), 2) if values else None, "n": len(values)}
        flags = [
            c.code
            for c in criteria
            if c.flag_below is not None
            and means[c.code]["mean"] is not None
            and means[c.code]["mean"] < c.flag_below
        ]
        rows.append(
            {
                "indicator": indicator,
                "means": means,
                "flags": flags,
                "comments": comments.get(indicator.pk, []),
                "response": responses.get(indicator.pk),
            }
        )
    return {
        "criteria": criteria,
        "panels": list(panels.values()),
        "participants": sum(p.participants for p in panels.values()),
        "rows": rows,
        "flagged": [r for r in rows if r["flags"]],
    }

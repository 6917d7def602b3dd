"""Loading the reference data (SDG framework and Korean local governments) from ``fixtures/``,
and the city profile a municipality's planners keep."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from apps.core.permissions import Action, require_scope
from apps.sdg.models import Goal, Indicator, Target, code_sort_key

from .choices import Level
from .models import Municipality

FIXTURES = Path(settings.BASE_DIR) / "fixtures"

# Steps that apps above this one add to the load (apps.frameworks: the UN SDG and K-SDG
# frameworks), registered in their AppConfig.ready(); each is called as
# ``step(directory=..., report=...)`` inside the same transaction, after the tables here.
_STEPS: list = []


def register_reference_step(step) -> None:
    if step not in _STEPS:
        _STEPS.append(step)


@dataclass
class LoadReport:
    """What one load changed, per table: created / updated / unchanged counts."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, table: str, outcome: str) -> None:
        self.counts.setdefault(table, {"created": 0, "updated": 0, "unchanged": 0})[outcome] += 1

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] for c in self.counts.values())

    def lines(self) -> list[str]:
        return [
            f"{table}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged "
            f"({c['created'] + c['updated'] + c['unchanged']} rows)"
            for table, c in self.counts.items()
        ]


def _read(name: str, directory: Path) -> list[dict[str, str]]:
    with open(directory / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _upsert(model, key: str, rows: list[dict], report: LoadReport, table: str) -> dict:
    """Create or update ``rows`` (dicts of field values) keyed on ``key``; returns key -> object."""
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    to_create, to_update, fields = [], [], set()
    for values in rows:
        obj = existing.get(values[key])
        if obj is None:
            obj = model(**values)
            obj.full_clean(validate_unique=False, validate_constraints=False)
            to_create.append(obj)
            report.add(table, "created")
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            fields.update(changed)
            to_update.append(obj)
            report.add(table, "updated")
        else:
            report.add(table, "unchanged")
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, sorted(fields))
    return {getattr(obj, key): obj for obj in model.objects.all()}


@transaction.atomic
def reference_load(*, directory: Path = FIXTURES) -> LoadReport:
    """Load goals, targets, global indicators and local governments; idempotent."""
    report = LoadReport()
    goals = _upsert(
        Goal,
        "number",
        [
            {
                "number": int(r["code"]),
                "title_en": r["title_en"],
                "title_ko": r["title_ko"],
                "short_en": r["short_en"],
                "short_ko": r["short_ko"],
                "colour": r["colour"].upper(),
            }
            for r in _read("sdg_goals.csv", directory)
        ],
        report,
        "goals",
    )
    targets = _upsert(
        Target,
        "code",
        [
            {
                "code": r["code"],
                "goal_id": goals[int(r["goal"])].pk,
                "title_en": r["title_en"],
                "title_ko": r["title_ko"],
                "sort_key": code_sort_key(r["code"]),
            }
            for r in _read("sdg_targets.csv", directory)
        ],
        report,
        "targets",
    )
    _upsert(
        Indicator,
        "code",
        [
            {
                "code": r["code"],
                "target_id": targets[r["target"]].pk,
                "title_en": r["title_en"],
                "title_ko": r["title_ko"],
                "title_ko_older_wording": r["title_ko_older_wording"],
                "tier": r["tier"],
                "unsd_code": r["unsd_code"],
                "sort_key": code_sort_key(r["code"]),
            }
            for r in _read("sdg_indicators.csv", directory)
        ],
        report,
        "indicators",
    )
    governments = _read("kr_local_governments.csv", directory)
    # Provinces first so that municipalities can point at them.
    for level in (Level.PROVINCE, Level.MUNICIPALITY):
        parents = {m.code: m.pk for m in Municipality.objects.filter(level=Level.PROVINCE)}
        _upsert(
            Municipality,
            "code",
            [
                {
                    "code": r["code"],
                    "name_ko": r["name_ko"],
                    "name_en": r["name_en"],
                    "level": r["level"],
                    "kind": r["kind"],
                    "parent_id": parents.get(r["parent_code"]) if r["parent_code"] else None,
                    "country": "KR",
                }
                for r in governments
                if r["level"] == level
            ],
            report,
            "local governments" if level == Level.MUNICIPALITY else "provinces",
        )
    for step in _STEPS:
        step(directory=directory, report=report)
    return report


@transaction.atomic
def municipality_profile_update(*, municipality: Municipality, actor, **fields) -> Municipality:
    """Set the city profile a VLR submission carries (``Municipality.PROFILE_FIELDS``:
    population, area, annual budget, languages, the figures' year), by a planner of the
    municipality (or an admin). Fields not given stay as they are; the history row names the
    actor."""
    require_scope(actor, Action.EDIT, municipality.pk)
    unknown = set(fields) - set(Municipality.PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(municipality, name, value)
    municipality.full_clean()
    municipality._history_user = actor
    municipality._change_reason = "profile"
    municipality.save(update_fields=list(fields))
    return municipality

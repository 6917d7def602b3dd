"""The edition page's "what changed" reads the few figures stored on the last approved edition
(``changes_basis``), not its snapshot: the same output as the diff of the whole snapshots it
replaced, without decoding megabytes; and editions frozen before it got the figures from their
snapshot in the migration."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.indicators.models import Observation
from apps.indicators.services import progress_refresh
from apps.vlr.models import Edition
from apps.vlr.selectors import change_basis, edition_changes
from apps.vlr.services import edition_create, edition_transition
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db


def _snapshot_diff(previous: dict, current: dict) -> dict:
    """The diff as the edition page computed it before the figures were stored: from the whole
    snapshot of the last approved edition (kept here as the reference the output must equal)."""

    def latest(ind):
        for series in ind.get("series", []):
            if not any((series.get("key") or {}).values()):
                progress = series.get("progress") or {}
                return progress.get("t"), progress.get("xt")
        return None, None

    old = {ind["code"]: ind for ind in previous.get("indicators", [])}
    new = {ind["code"]: ind for ind in current.get("indicators", [])}
    moved = [
        {
            "code": code,
            "name_ko": new[code]["name_ko"],
            "name_en": new[code]["name_en"],
            "old_status": old[code]["status"]["status"],
            "new_status": new[code]["status"]["status"],
            "old_latest": latest(old[code]),
            "new_latest": latest(new[code]),
        }
        for code in sorted(set(old) & set(new))
        if old[code]["status"]["status"] != new[code]["status"]["status"]
        or latest(old[code]) != latest(new[code])
    ]
    old_ini = {i["id"]: i for i in previous.get("initiatives", [])}
    new_ini = {i["id"]: i for i in current.get("initiatives", [])}
    return {
        "year": previous.get("year"),
        "moved": moved,
        # What the template shows of each (codes; titles in both languages).
        "added_indicators": sorted(set(new) - set(old)),
        "removed_indicators": sorted(set(old) - set(new)),
        "added_initiatives": sorted((i, new_ini[i]["title_ko"]) for i in new_ini.keys() - old_ini.keys()),
        "removed_initiatives": sorted((i, old_ini[i]["title_ko"]) for i in old_ini.keys() - new_ini.keys()),
        "evidence": (len(previous.get("evidence", [])), len(current.get("evidence", []))),
    }


def _shown(changes: dict) -> dict:
    return {
        **changes,
        "added_indicators": [i["code"] for i in changes["added_indicators"]],
        "removed_indicators": [i["code"] for i in changes["removed_indicators"]],
        "added_initiatives": sorted((i["id"], i["title_ko"]) for i in changes["added_initiatives"]),
        "removed_initiatives": sorted((i["id"], i["title_ko"]) for i in changes["removed_initiatives"]),
    }


def test_what_changed_equals_the_diff_of_the_snapshots_without_reading_one(
    ui, planner_a, coordinator, city, muni_a
):
    previous = edition_create(municipality=muni_a, year=2023, actor=planner_a)
    edition_transition(edition=previous, action="submit", actor=planner_a)
    edition_transition(edition=previous, action="approve", actor=coordinator)
    previous.refresh_from_db()
    assert previous.changes_basis == change_basis(previous.snapshot)
    # Since the approval: a value moves, an indicator and an initiative go, one initiative comes.
    Observation.objects.create(local_indicator=city["indicators"][0], year=2024, value=14.0)
    progress_refresh(indicator_ids=[city["indicators"][0].pk])  # what the value services do
    city["indicators"][-1].delete()
    previous_initiative = previous.snapshot["initiatives"][0]["id"]
    city["edition"].municipality.initiatives.filter(pk=previous_initiative).delete()
    make_initiative(muni_a, "새 사업", targets=("3.9",))

    with CaptureQueriesContext(connection) as captured:
        response = ui(planner_a).get(reverse("vlr:edition", args=[city["edition"].pk]))
    assert response.status_code == 200
    changes = response.context["changes"]
    assert _shown(changes) == _snapshot_diff(previous.snapshot, response.context["data"])
    assert changes["moved"] and changes["removed_indicators"] and changes["added_initiatives"]
    # The snapshot column is read only with the draft's own row (null), never the previous one's.
    draft = city["edition"].pk
    reads = [q["sql"] for q in captured if '"vlr_edition"."snapshot"' in q["sql"]]
    assert reads and all(f'"vlr_edition"."id" = {draft}' in sql for sql in reads), reads


def test_an_edition_sent_back_to_draft_loses_its_figures_with_its_snapshot(planner_a, coordinator, muni_a):
    edition = edition_create(municipality=muni_a, year=2023, actor=planner_a)
    edition_transition(edition=edition, action="submit", actor=planner_a)
    edition_transition(edition=edition, action="approve", actor=coordinator)
    edition_transition(edition=edition, action="reopen", actor=coordinator, comment="수치를 고칩니다")
    edition.refresh_from_db()
    assert edition.snapshot is None and edition.changes_basis is None


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_each_frozen_edition_its_figures(muni_a):
    """Slow (~10 s): the vlr migrations backwards and forwards, the only real test of a data
    migration."""
    before, after = [("vlr", "0006_merge_kinds_narratives")], [("vlr", "0007_edition_changes_basis")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    Old = executor.loader.project_state(before).apps.get_model("vlr", "Edition")
    snapshot = {
        "year": 2023,
        "indicators": [
            {
                "code": "L1",
                "name_ko": "지표",
                "name_en": "Indicator",
                "status": {"status": "achieved"},
                "series": [{"key": {}, "progress": {"t": 2023, "xt": 4.0}}],
            }
        ],
        "initiatives": [{"id": 7, "title_ko": "사업", "title_en": ""}],
        "evidence": [{"id": 1}, {"id": 2}],
    }
    frozen = Old.objects.create(
        municipality_id=muni_a.pk,
        year=2023,
        period_start=2023,
        period_end=2023,
        status="approved",
        snapshot=snapshot,
    )
    draft = Old.objects.create(municipality_id=muni_a.pk, year=2024, period_start=2024, period_end=2024)
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    New = executor.loader.project_state(after).apps.get_model("vlr", "Edition")
    assert New.objects.get(pk=frozen.pk).changes_basis == {
        "year": 2023,
        "indicators": [
            {
                "code": "L1",
                "name_ko": "지표",
                "name_en": "Indicator",
                "status": "achieved",
                "latest": [2023, 4.0],
            }
        ],
        "initiatives": [{"id": 7, "title_ko": "사업", "title_en": ""}],
        "evidence": 2,
    }
    assert New.objects.get(pk=draft.pk).changes_basis is None
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert edition_changes(Edition.objects.get(pk=frozen.pk).changes_basis, snapshot)["moved"] == []

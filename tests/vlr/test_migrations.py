"""The migration to report kinds: editions made before it become VLRs, nothing lost.

Slow (~10 s idle): it runs the vlr migrations backwards and forwards on a transactional
database, which is the only way to test a data migration for real."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("vlr", "0001_initial")]
AFTER = [("vlr", "0002_edition_kinds")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_editions_become_vlrs_with_their_period_and_nothing_lost(muni_a, muni_b):
    old = _migrate(BEFORE)
    Edition = old.get_model("vlr", "Edition")
    Section = old.get_model("vlr", "EditionSection")
    Goal = old.get_model("sdg", "Goal")
    without_period = Edition.objects.create(
        municipality_id=muni_a.pk,
        year=2024,
        title_ko="중랑 VLR 2024",
        participation="시민",
        status="approved",
        snapshot={"schema": 1, "indicators": [{"code": "L1"}]},
    )
    without_period.focus_goals.set(Goal.objects.filter(number__in=[3, 11]))
    Section.objects.create(
        edition=without_period, code="progress", title_ko="이행", title_en="Progress", body_ko="본문"
    )
    with_period = Edition.objects.create(
        municipality_id=muni_a.pk, year=2025, title_ko="중랑 VLR 2025", period_start=2015, period_end=2024
    )
    half = Edition.objects.create(municipality_id=muni_b.pk, year=2025, period_start=2020)

    new = _migrate(AFTER)
    Edition = new.get_model("vlr", "Edition")
    rows = {
        e.pk: (e.kind, e.year, e.period_start, e.period_end, e.title_ko, e.status)
        for e in Edition.objects.all()
    }
    assert rows == {
        without_period.pk: ("vlr", 2024, 2024, 2024, "중랑 VLR 2024", "approved"),
        with_period.pk: ("vlr", 2025, 2015, 2024, "중랑 VLR 2025", "draft"),
        half.pk: ("vlr", 2025, 2020, 2025, "", "draft"),
    }
    migrated = Edition.objects.get(pk=without_period.pk)
    assert migrated.snapshot == {"schema": 1, "indicators": [{"code": "L1"}]}
    assert migrated.participation == "시민"
    assert sorted(migrated.focus_goals.values_list("number", flat=True)) == [3, 11]
    assert list(migrated.sections.values_list("code", "body_ko")) == [("progress", "본문")]
    # Back to the present schema for the tests after this one.
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

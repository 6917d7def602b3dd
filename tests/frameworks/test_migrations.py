"""Existing data survives the framework migrations: demo-shaped indicators, alignments,
initiatives and their targets written before them are all there after, their direct UN targets
stay their alignment, and nothing is aligned to a framework node until someone says so.

Slow (~8 s): it migrates the schema back and forth on a transactional database, which is what
it is about."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from apps.frameworks.selectors import effective_targets
from apps.indicators.models import IndicatorAlignment, LocalIndicator
from apps.initiatives.models import Initiative, InitiativeTarget
from apps.portal.demo import INDICATORS, INITIATIVES

BEFORE = [
    ("indicators", "0003_local_indicator_public_index"),
    ("initiatives", "0003_public_index"),
    ("frameworks", None),
]


@pytest.mark.django_db(transaction=True)
def test_old_demo_data_migrates_without_loss():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE[:2]).apps
    Municipality = old.get_model("municipalities", "Municipality")
    Target = old.get_model("sdg", "Target")
    Indicator = old.get_model("indicators", "LocalIndicator")
    Alignment = old.get_model("indicators", "IndicatorAlignment")
    OldInitiative = old.get_model("initiatives", "Initiative")
    OldInitiativeTarget = old.get_model("initiatives", "InitiativeTarget")
    city = Municipality.objects.get(code="44270")
    for row in INDICATORS:
        code, name_ko, name_en, unit, target_code = row[0], row[1], row[2], row[3], row[7]
        indicator = Indicator.objects.create(
            municipality=city, code=code, name_ko=name_ko, name_en=name_en, unit=unit
        )
        Alignment.objects.create(local_indicator=indicator, target=Target.objects.get(code=target_code))
    for title_ko, title_en, kind, status, target_code, _groups, budget in INITIATIVES:
        initiative = OldInitiative.objects.create(
            municipality=city,
            title_ko=title_ko,
            title_en=title_en,
            kind=kind,
            status=status,
            budget_krw=budget,
        )
        OldInitiativeTarget.objects.create(
            initiative=initiative, target=Target.objects.get(code=target_code), is_primary=True
        )
    before = sorted(Alignment.objects.values_list("local_indicator__code", "target__code"))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # To the newest schema, not just the framework migrations: the checks below read with today's
    # models, which a later migration (e.g. an indicator's owner) may have given more columns.
    executor.migrate(executor.loader.graph.leaf_nodes())
    call_command("load_reference", stdout=io.StringIO())  # adds the UN SDG and K-SDG frameworks

    after = sorted(IndicatorAlignment.objects.values_list("local_indicator__code", "target__code"))
    assert after == before and len(after) == len(INDICATORS)
    assert InitiativeTarget.objects.count() == len(INITIATIVES)
    indicators = list(LocalIndicator.objects.filter(municipality__code="44270"))
    assert not LocalIndicator.framework_nodes.through.objects.exists()
    direct = {i.pk: {a.target_id for a in i.alignments.all()} for i in indicators}
    assert effective_targets(indicators) == direct
    initiatives = list(Initiative.objects.all())
    assert effective_targets(initiatives) == {
        i.pk: {link.target_id for link in i.target_links.all()} for i in initiatives
    }
    # Back to the present schema for the transactional tests after this one (they need every table).
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

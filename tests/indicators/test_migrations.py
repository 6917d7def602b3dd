"""The migration of provenance from text to fields (indicators 0008/0009): nothing lost.

Slow (~10 s): it runs the indicators migrations backwards and forwards on a transactional
database, the only way to test a data migration for real (as tests/vlr/test_migrations.py)."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from apps.indicators.models import CITED_FIELDS, cite
from tests.factories import make_indicator

BEFORE = [("indicators", "0007_merge_frameworks_progress")]
AFTER = [("indicators", "0009_observation_provenance_from_text")]
KOSIS_TEXT = "KOSIS 106 DT_106N_99_TEST T10 2021 (최종 수정 / last changed 20230410)"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_text_provenance_becomes_fields_cited_as_before_and_back(muni_a, planner_a):
    indicator = make_indicator(muni_a, "ENV-PM25", {})
    old = _migrate(BEFORE)
    Observation = old.get_model("indicators", "Observation")
    History = old.get_model("indicators", "HistoricalObservation")
    when = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)

    def stored(year, source, reason):
        obs = Observation.objects.create(local_indicator_id=indicator.pk, year=year, value=1.5, source=source)
        History.objects.create(
            id=obs.pk,
            local_indicator_id=indicator.pk,
            year=year,
            quarter=0,
            value=1.5,
            source=source,
            history_date=when,
            history_type="+",
            history_user_id=planner_a.pk,
            history_change_reason=reason,
        )
        return obs.pk

    kosis = stored(2021, KOSIS_TEXT, "import KOSIS 106/DT_106N_99_TEST/T10")
    cell = stored(2022, "kosis.xlsx · 데이터 · E6", "import kosis.xlsx")
    csv_cell = stored(2023, "kosis.csv · C7", "import kosis.csv")
    annex = stored(2019, "통계청 인구총조사", "import annex.xlsx")
    typed = stored(2018, "환경부 · 2024 · A1", "")  # a person's text shaped like a cell: kept as typed
    bare = Observation.objects.create(local_indicator_id=indicator.pk, year=2017, value=2).pk  # no history

    new = _migrate(AFTER)
    Observation = new.get_model("indicators", "Observation")
    rows = {o.pk: o for o in Observation.objects.all()}
    fields = ("origin_kind", "origin_file", "origin_sheet", "origin_cell", "source")
    kosis_fields = ("kosis_org_id", "kosis_tbl_id", "kosis_itm_id", "kosis_period", "kosis_last_change")
    assert tuple(getattr(rows[kosis], f) for f in (*fields, *kosis_fields)) == (
        ("kosis", "", "", "", "", "106", "DT_106N_99_TEST", "T10", "2021", "20230410")
    )
    assert tuple(getattr(rows[cell], f) for f in fields) == ("file", "kosis.xlsx", "데이터", "E6", "")
    assert tuple(getattr(rows[csv_cell], f) for f in fields) == ("file", "kosis.csv", "", "C7", "")
    assert tuple(getattr(rows[annex], f) for f in fields) == (
        "file",
        "annex.xlsx",
        "",
        "",
        "통계청 인구총조사",
    )
    assert tuple(getattr(rows[typed], f) for f in fields) == ("", "", "", "", "환경부 · 2024 · A1")
    assert tuple(getattr(rows[bare], f) for f in fields) == ("", "", "", "", "")
    # Who stored each value and when, from its newest history entry.
    assert (rows[cell].imported_by_id, rows[cell].imported_at) == (planner_a.pk, when)
    assert (rows[bare].imported_by_id, rows[bare].imported_at) == (None, None)
    # Each value is cited exactly as its text said.
    cited = {pk: cite({f: getattr(o, f) for f in CITED_FIELDS}) for pk, o in rows.items()}
    assert cited == {
        kosis: KOSIS_TEXT,
        cell: "kosis.xlsx · 데이터 · E6",
        csv_cell: "kosis.csv · C7",
        annex: "통계청 인구총조사",
        typed: "환경부 · 2024 · A1",
        bare: "",
    }

    # Backwards, the texts come back.
    old = _migrate(BEFORE)
    texts = dict(old.get_model("indicators", "Observation").objects.values_list("pk", "source"))
    assert texts == cited
    # Back to the present schema for the tests after this one.
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

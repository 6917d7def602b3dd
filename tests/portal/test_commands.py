"""seed_demo and generate_scale_data."""

from __future__ import annotations

import io
from io import StringIO

import openpyxl
import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from apps.indicators.models import LocalIndicator, Observation
from apps.initiatives.models import Initiative
from apps.municipalities.models import Municipality
from apps.vlr.models import Edition


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_creates_users_data_and_prints_working_passwords_once():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "fictional" in text
    logins = {}
    for line in text.splitlines():
        parts = line.split()
        if parts and parts[0] in {
            "admin",
            "coordinator",
            "planner_jungnang",
            "planner_gwangmyeong",
            "planner_hanam",
            "planner_dangjin",
        }:
            logins[parts[0]] = parts[1]
    assert len(logins) == 6
    for username, password in logins.items():
        assert authenticate(username=username, password=password) is not None, username
    cities = Municipality.objects.filter(code__in=["11260", "41210", "41450", "44270"])
    assert all(city.is_sample_data for city in cities)
    assert Edition.objects.filter(municipality__in=cities, status="draft").count() == 4
    assert LocalIndicator.objects.filter(municipality__in=cities).count() == 24
    assert Initiative.objects.filter(municipality__in=cities).count() == 16
    counts = (Observation.objects.count(), Initiative.objects.count())

    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert "unchanged" in again.getvalue()
    assert (Observation.objects.count(), Initiative.objects.count()) == counts
    assert authenticate(username="coordinator", password=logins["coordinator"]) is not None


def test_generate_scale_data_creates_sample_municipalities(db, tmp_path):
    out = run(
        "generate_scale_data",
        "--municipalities",
        "2",
        "--indicators",
        "4",
        "--years",
        "3",
        "--series",
        "2",
        "--initiatives",
        "3",
        "--documents",
        "2",
        "--evidence",
        "5",
        "--code-prefix",
        "T",
    )
    assert "T001, T002" in out
    munis = Municipality.objects.filter(code__in=["T001", "T002"])
    assert all(m.is_sample_data for m in munis)
    assert LocalIndicator.objects.filter(municipality__code="T001").count() == 4
    assert Observation.objects.filter(local_indicator__municipality__code="T001").count() == 4 * 3 * 2
    with pytest.raises(CommandError, match="--replace"):
        run("generate_scale_data", "--municipalities", "1", "--indicators", "1", "--code-prefix", "T")
    run(
        "generate_scale_data",
        "--municipalities",
        "1",
        "--indicators",
        "1",
        "--years",
        "2",
        "--initiatives",
        "0",
        "--evidence",
        "0",
        "--code-prefix",
        "T",
        "--replace",
    )
    assert LocalIndicator.objects.filter(municipality__code="T001").count() == 1
    # the exported cover says the values are fictional
    path = tmp_path / "t.xlsx"
    run("export_vlr", "--municipality", "T002", "--year", "2024", "--output", str(path))
    cover = list(openpyxl.load_workbook(path)["표지 Cover"].iter_rows(values_only=True))
    assert any("Sample data" in str(r[0]) for r in cover)

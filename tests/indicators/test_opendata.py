"""Open data in Open SDG's layout: the per-indicator CSV, the city's bulk zip with its
Frictionless descriptor (validated with the frictionless library), read back."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from frictionless import Package, system

from apps.indicators.models import Observation
from apps.indicators.opendata import indicator_csv, opendata_read, opendata_zip
from tests.api.conftest import client_for
from tests.factories import make_indicator, populate

FIELDS = (
    "local_indicator__code",
    "year",
    "quarter",
    "sex",
    "age_group",
    "district",
    "income_group",
    "disability",
    "value",
)


def test_the_csv_is_tidy_with_blank_as_total_and_exact_values(muni_a):
    ind = make_indicator(
        muni_a,
        "L-3.4",
        {2015: 0.1 + 0.2, 2016: 27.0},
        series={("sex", "female"): {2015: 12.5}},
        is_public=True,
    )
    rows = list(csv.reader(io.StringIO(indicator_csv(ind))))
    assert rows == [
        ["Year", "Sex", "Value"],
        ["2015", "", "0.30000000000000004"],
        ["2016", "", "27.0"],
        ["2015", "female", "12.5"],
    ]


def test_only_public_indicators_have_open_data(muni_a, planner_a):
    private = make_indicator(muni_a, "SECRET", {2020: 1.0}, is_public=False)
    with pytest.raises(ValueError):
        indicator_csv(private)
    assert Client().get(reverse("indicators:opendata_csv", args=[muni_a.code, private.pk])).status_code == 404
    # Not even its own planner gets it as open data.
    assert client_for(planner_a).get(f"/api/v1/local-indicators/{private.pk}/opendata/").status_code == 404
    assert b"SECRET" not in opendata_zip(muni_a)


def test_public_indicator_page_offers_the_csv_and_the_api_serves_it(muni_a):
    ind = make_indicator(muni_a, "PUB", {2020: 1.5, 2021: 2.5}, is_public=True)
    page = Client().get(reverse("indicators:detail", args=[muni_a.code, ind.pk]))
    assert page.status_code == 200
    url = reverse("indicators:opendata_csv", args=[muni_a.code, ind.pk])
    assert f'href="{url}"' in page.content.decode()
    response = Client().get(url)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode().splitlines() == ["Year,Value", "2020,1.5", "2021,2.5"]
    api = client_for(None).get(f"/api/v1/local-indicators/{ind.pk}/opendata/")
    assert api.status_code == 200 and api.content == response.content


def test_the_bulk_zip_is_an_open_sdg_repository_that_validates_and_reads_back(muni_a, tmp_path):
    populate(muni_a, 4)  # L000 and L002 public, L001 and L003 not
    Observation.objects.create(
        local_indicator=muni_a.local_indicators.get(code="L000"), year=2022, quarter=2, value=3.25
    )
    content = (
        client_for(None).get("/api/v1/local-indicators/opendata/", {"municipality": muni_a.code}).content
    )
    assert content == opendata_zip(muni_a)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = sorted(archive.namelist())
        archive.extractall(tmp_path)
    assert names == [
        "data/indicator_l000.csv",
        "data/indicator_l002.csv",
        "datapackage.json",
        "meta/l000.md",
        "meta/l002.md",
    ]
    meta = (tmp_path / "meta/l000.md").read_text()
    assert meta.startswith('---\nindicator_number: "L000"\n') and 'sdg_goal: "11"' in meta
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert [f["name"] for f in package["resources"][0]["schema"]["fields"]] == [
        "Year",
        "Quarter",
        "Sex",
        "Value",
    ]

    with system.use_context(trusted=True):
        report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

    public = sorted(
        Observation.objects.filter(
            local_indicator__municipality=muni_a, local_indicator__is_public=True
        ).values_list(*FIELDS)
    )
    assert sorted(opendata_read(content)) == public


def test_an_unknown_city_is_a_clear_404(db):
    response = client_for(None).get("/api/v1/local-indicators/opendata/", {"municipality": "00000"})
    assert response.status_code == 404 and "찾을 수 없습니다 / not found" in response.content.decode()

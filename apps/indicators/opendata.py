"""Open data of public local indicators, in Open SDG's layout (open-sdg/sdg-build).

- :func:`indicator_csv`: one indicator as Open SDG's tidy CSV: ``Year``, a column per
  disaggregation the indicator uses (``Quarter`` only when it has quarterly values), ``Value``;
  a blank disaggregation cell is the total (Open SDG's convention).
- :func:`indicator_meta`: its metadata as an Open SDG ``meta/*.md`` file (YAML front matter).
- :func:`opendata_zip`: a city's public indicators as an Open SDG *data repository*
  (``data/indicator_<id>.csv``, ``meta/<id>.md``) with a Frictionless ``datapackage.json``
  describing every CSV, so a city can build an Open SDG site from it.
- :func:`opendata_read`: the zip back into observation tuples (the round trip the tests check).

Only public data leaves this way: every writer takes its indicators from
``LocalIndicator.objects.published()`` (``is_public``), whoever asks.

SDMX-ML is not written: no well-kept Python library writes SDMX-ML 2.1/3.0 data messages
(``sdmx1`` reads them; writing is partial), and a local indicator matches a UN SDG series
only through an alignment that is rarely exact (README "Open data").
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

from .choices import DISAGGREGATIONS
from .models import LocalIndicator, Observation

COLUMN_TITLES = {
    "sex": "Sex",
    "age_group": "Age group",
    "district": "District",
    "income_group": "Income group",
    "disability": "Disability",
}
FIELDS_BY_TITLE = {title: name for name, title in COLUMN_TITLES.items()}
ORDER = ("year", "quarter", *DISAGGREGATIONS)


def open_sdg_id(code: str) -> str:
    """Open SDG's file id of a local indicator code: ``L-3.4`` → ``l-3-4``."""
    return re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-") or "indicator"


def public_indicators(municipality):
    return (
        LocalIndicator.objects.published()
        .filter(municipality=municipality)
        .select_related("municipality")
        .prefetch_related("alignments__target__goal")
        .order_by("code")
    )


def _rows(indicator: LocalIndicator) -> list[dict]:
    return list(
        Observation.objects.filter(local_indicator=indicator)
        .order_by(*DISAGGREGATIONS, "year", "quarter")  # the totals first, then each group
        .values(*ORDER, "value")
    )


def _columns(rows: list[dict]) -> list[str]:
    used = [name for name in DISAGGREGATIONS if any(row[name] for row in rows)]
    return (["quarter"] if any(row["quarter"] for row in rows) else []) + used


def indicator_csv(indicator: LocalIndicator, rows: list[dict] | None = None) -> str:
    """The tidy CSV of one public indicator (UTF-8 text, header row first)."""
    if not indicator.is_public:
        raise ValueError("only public indicators are published as open data")
    rows = _rows(indicator) if rows is None else rows
    columns = _columns(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Year", *[COLUMN_TITLES.get(c, "Quarter") for c in columns], "Value"])
    for row in rows:
        if row["value"] is None:
            continue
        cells = [row["year"], *[row[column] or "" for column in columns]]
        writer.writerow([*cells, repr(float(row["value"]))])  # repr: the exact value reads back
    return out.getvalue()


def _yaml(value) -> str:
    # JSON scalars are valid YAML: strings quoted and escaped, numbers and booleans as they are.
    return json.dumps(value, ensure_ascii=False)


def indicator_meta(indicator: LocalIndicator) -> str:
    """Open SDG metadata (``meta/<id>.md``): YAML front matter of the fields an Open SDG site
    reads, the definition as the page body."""
    alignments = list(indicator.alignments.all())
    goals = sorted({a.target.goal.number for a in alignments})
    fields = {
        "indicator_number": indicator.code,
        "indicator_name": indicator.name_en or indicator.name_ko,
        "indicator_name_ko": indicator.name_ko,
        "graph_title": indicator.name_en or indicator.name_ko,
        "graph_type": "line",
        "reporting_status": "complete",
        "data_non_statistical": False,
        "sdg_goal": ",".join(str(g) for g in goals),
        "target_id": ",".join(sorted({a.target.code for a in alignments})),
        "computation_units": indicator.unit,
        "source_active_1": bool(indicator.data_source),
        "source_organisation_1": indicator.data_source,
        "national_geographical_coverage": indicator.municipality.name_en or indicator.municipality.name_ko,
        "baseline_year": indicator.baseline_year,
        "baseline_value": indicator.baseline_value,
        "target_year": indicator.target_year,
        "target_value": indicator.target_value,
    }
    lines = ["---", *[f"{key}: {_yaml(value)}" for key, value in fields.items()], "---", ""]
    return "\n".join(lines) + (indicator.definition or "") + "\n"


def _schema(columns: list[str]) -> dict:
    return {
        "fields": [
            {"name": "Year", "type": "integer"},
            *[
                {"name": COLUMN_TITLES.get(c, "Quarter"), "type": "integer" if c == "quarter" else "string"}
                for c in columns
            ],
            {"name": "Value", "type": "number"},
        ],
        "missingValues": [""],
    }


def _member(name: str) -> zipfile.ZipInfo:
    # A fixed timestamp: the same data gives the same bytes (a mirror can compare downloads).
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def opendata_zip(municipality) -> bytes:
    """The Open SDG data repository of ``municipality``'s public indicators, zipped
    (byte-for-byte the same for the same data)."""
    resources = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for indicator in public_indicators(municipality):
            rows = _rows(indicator)
            slug = open_sdg_id(indicator.code)
            archive.writestr(_member(f"data/indicator_{slug}.csv"), indicator_csv(indicator, rows))
            archive.writestr(_member(f"meta/{slug}.md"), indicator_meta(indicator))
            resources.append(
                {
                    "name": f"indicator_{slug}",
                    "path": f"data/indicator_{slug}.csv",
                    "title": f"{indicator.code} {indicator.name_en or indicator.name_ko}",
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": _schema(_columns(rows)),
                }
            )
        package = {
            "profile": "tabular-data-package",
            "name": f"vlrtracker-{municipality.code}",
            "title": f"{municipality.name_ko} / {municipality.name_en} — SDG local indicators",
            "resources": resources,
        }
        archive.writestr(_member("datapackage.json"), json.dumps(package, ensure_ascii=False, indent=2))
    return buffer.getvalue()


def opendata_read(content: bytes) -> list[tuple]:
    """The observations of an Open SDG zip: ``(code, year, quarter, sex, age_group, district,
    income_group, disability, value)`` tuples, blanks as "" (total) and quarter 0."""
    out = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        package = json.loads(archive.read("datapackage.json"))
        for resource in package["resources"]:
            slug = resource["path"].removeprefix("data/indicator_").removesuffix(".csv")
            meta = archive.read(f"meta/{slug}.md").decode()
            code = json.loads(re.search(r"^indicator_number: (.*)$", meta, re.M).group(1))
            reader = csv.DictReader(io.StringIO(archive.read(resource["path"]).decode()))
            for row in reader:
                values = {FIELDS_BY_TITLE.get(k, k.lower()): v for k, v in row.items()}
                out.append(
                    (
                        code,
                        int(values["year"]),
                        int(values.get("quarter") or 0),
                        *[values.get(name, "") for name in DISAGGREGATIONS],
                        float(values["value"]),
                    )
                )
    return out

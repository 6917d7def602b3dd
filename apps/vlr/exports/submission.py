"""The submission pack of a VLR: what UN DESA's VLR database and the IGES VLR Lab ask a city to
send, in one zip:

- ``VLR_<code>_<year>_en.pdf``: the report in English (:mod:`.report`);
- ``registration_card.csv``: the fields both registries list for a VLR (local government,
  country, region, year, title, languages, SDGs reviewed, population, area, budget, type,
  reporting period, contact point left for the city to fill), as Field,Value rows;
- ``annex/indicators.csv`` (one row per local indicator: code, names, unit, SDG targets,
  baseline, latest, target, status) and ``annex/observations.csv`` (every value, long format).

All of it from :func:`export_data`: an approved edition's frozen numbers, without anything after
its period.
"""

from __future__ import annotations

import csv
import io
import zipfile

from apps.vlr.selectors.report import export_data

from .report_content import report_content
from .report_pdf import report_pdf

COUNTRIES = {"KR": "Republic of Korea"}
ANNEX_OBSERVATION_FIELDS = (
    "year",
    "quarter",
    "sex",
    "age_group",
    "district",
    "income_group",
    "disability",
    "value",
    "source",
)


def _csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()  # BOM: Excel opens UTF-8 Korean text correctly


def registration_card(data: dict) -> list[list[str]]:
    """Field, value rows of the VLR registration card."""
    m = data["municipality"]
    profile = m.get("profile") or {}
    edition = data.get("edition") or {}
    content = report_content(data, lang="en")
    goals = sorted(
        int(c.anchor.removeprefix("goal-")) for c in content.walk() if c.anchor.startswith("goal-")
    )
    period = f"{edition.get('period_start') or ''}-{edition.get('period_end') or ''}".strip("-")
    return [
        ["Field", "Value"],
        ["Local government", m.get("name_en") or m["name_ko"]],
        ["Local government (Korean)", m["name_ko"]],
        ["Country", COUNTRIES.get(m.get("country"), m.get("country") or "")],
        ["Region", "Asia and the Pacific" if m.get("country") == "KR" else ""],
        ["Type of review", "Voluntary Local Review (VLR)"],
        ["Title", edition.get("title_en") or edition.get("title_ko") or content.title],
        ["Year of publication", str(data["year"])],
        ["Reporting period", period],
        ["Languages", profile.get("languages") or "ko"],
        ["SDGs reviewed", ", ".join(str(g) for g in goals)],
        ["Focus SDGs", ", ".join(str(g) for g in edition.get("focus_goals") or [])],
        ["Population", "" if profile.get("population") is None else str(profile["population"])],
        ["Area (km2)", "" if profile.get("area_km2") is None else f"{profile['area_km2']:g}"],
        ["Annual budget (KRW)", "" if profile.get("budget_krw") is None else str(profile["budget_krw"])],
        ["Profile year", "" if profile.get("profile_year") is None else str(profile["profile_year"])],
        ["Local indicators", str(len(data.get("indicators", [])))],
        ["Status", "approved" if data.get("frozen") else "draft (not yet approved)"],
        ["Contact point", ""],
        ["Link to the review", ""],
    ]


def _annex(data: dict) -> tuple[list[list], list[list]]:
    cutoff = data["year"]
    indicators = [
        [
            "code",
            "name_ko",
            "name_en",
            "unit",
            "sdg_targets",
            "baseline_year",
            "baseline_value",
            "target_year",
            "target_value",
            "status",
        ]
    ]
    observations = [["code", *ANNEX_OBSERVATION_FIELDS]]
    for ind in data.get("indicators", []):
        indicators.append(
            [
                ind["code"],
                ind["name_ko"],
                ind["name_en"],
                ind.get("unit") or "",
                " ".join(a["target"] for a in ind.get("alignments", [])),
                ind.get("baseline_year") or "",
                "" if ind.get("baseline_value") is None else ind["baseline_value"],
                ind.get("target_year") or "",
                "" if ind.get("target_value") is None else ind["target_value"],
                ind["status"]["status"],
            ]
        )
        for obs in ind.get("observations", []):
            if obs["year"] <= cutoff:
                observations.append(
                    [ind["code"], *["" if obs[f] is None else obs[f] for f in ANNEX_OBSERVATION_FIELDS]]
                )
    return indicators, observations


def submission_zip(*, municipality, edition, user=None) -> bytes:
    """The submission pack of ``edition`` as ``user`` may see it."""
    data = export_data(municipality=municipality, edition=edition, user=user)
    stem = f"VLR_{municipality.code}_{data['year']}"
    indicators, observations = _annex(data)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}_en.pdf", report_pdf(report_content(data, lang="en")))
        archive.writestr("registration_card.csv", _csv(registration_card(data)))
        archive.writestr("annex/indicators.csv", _csv(indicators))
        archive.writestr("annex/observations.csv", _csv(observations))
    return buffer.getvalue()


def submission_filename(municipality, year: int) -> str:
    return f"VLR_{municipality.code}_{year}_submission.zip"

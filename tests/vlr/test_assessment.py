"""Indicator assessment in a 지속가능성 평가: 3 panels × 30 indicators, two entered on the panel
screen and one imported from a spreadsheet; aggregates, flags and department responses."""

from io import BytesIO
from statistics import mean

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from apps.core.exceptions import ApplicationError
from apps.vlr.assessment import assessment_results, department_response_set, panel_create, panel_ratings_save
from apps.vlr.choices import PanelGroup, ReportKind
from apps.vlr.models import AssessmentPanel, IndicatorRating
from apps.vlr.services import edition_create
from tests.factories import make_edition, make_indicator

CODES = [f"D{i:02d}" for i in range(30)]


def score(criterion: str, i: int, p: int) -> int:
    """Panel ``p``'s score of indicator ``i``: spread over 1–5 so that some means fall below 3."""
    return {
        "sdg_link": 1 + (i + p) % 5,
        "difficulty": 1 + (2 * i + p) % 5,
        "target": 1 + (i * (p + 1)) % 5,
    }[criterion]


@pytest.fixture
def assessment(muni_a, planner_a):
    for code in CODES:
        make_indicator(muni_a, code, {2020: 1.0})
    return edition_create(municipality=muni_a, year=2026, kind=ReportKind.ASSESSMENT, actor=planner_a)


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_three_panels_rate_thirty_indicators_on_screen_and_by_import_and_the_results_aggregate(
    assessment, planner_a
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(planner_a)
    page = client.get(f"/vlr/{assessment.pk}/assessment/")
    assert page.status_code == 200
    token = page.context["csrf_token"]
    panels = []
    for group, people in ((PanelGroup.CITIZENS, 30), (PanelGroup.EXPERTS, 7), (PanelGroup.DEPARTMENTS, 12)):
        made = client.post(
            f"/vlr/{assessment.pk}/assessment/",
            {"group": group, "participants": people, "csrfmiddlewaretoken": token},
        )
        assert made.status_code == 302
        panels.append(AssessmentPanel.objects.get(group=group))
    # Panels 0 and 1 on the screen: one POST each with every row.
    for p, panel in enumerate(panels[:2]):
        screen = client.get(f"/vlr/{assessment.pk}/assessment/panels/{panel.pk}/")
        assert screen.status_code == 200 and screen.content.decode().count('type="number"') == 90
        data = {"csrfmiddlewaretoken": token}
        for i, code in enumerate(CODES):
            for criterion in ("sdg_link", "difficulty", "target"):
                data[f"{code}:{criterion}"] = str(score(criterion, i, p))
            data[f"{code}:comment"] = f"의견 {p}-{i}" if i % 10 == 0 else ""
        saved = client.post(f"/vlr/{assessment.pk}/assessment/panels/{panel.pk}/", data)
        assert saved.status_code == 302
    # Panel 2 from a spreadsheet, headers in Korean.
    content = _xlsx(
        [["지표 코드", "SDGs 연계성", "달성 난이도 (쉬울수록 높음)", "목표값 적정성", "의견"]]
        + [
            [code, score("sdg_link", i, 2), score("difficulty", i, 2), score("target", i, 2), ""]
            for i, code in enumerate(CODES)
        ]
    )
    imported = client.post(
        f"/vlr/{assessment.pk}/assessment/panels/{panels[2].pk}/",
        {"file": SimpleUploadedFile("panel.xlsx", content), "csrfmiddlewaretoken": token},
    )
    assert imported.status_code == 302
    assert IndicatorRating.objects.count() == 90

    results = assessment_results(assessment)
    assert results["participants"] == 49
    for i, row in enumerate(results["rows"]):
        assert row["indicator"].code == CODES[i]
        for criterion in ("sdg_link", "difficulty", "target"):
            expected = round(mean(score(criterion, i, p) for p in range(3)), 2)
            assert row["means"][criterion] == {"mean": expected, "n": 3}
        expected_flag = mean(score("target", i, p) for p in range(3)) < 3
        assert row["flags"] == (["target"] if expected_flag else [])
    flagged = [r["indicator"].code for r in results["flagged"]]
    assert flagged == [c for i, c in enumerate(CODES) if mean(score("target", i, p) for p in range(3)) < 3]
    assert 0 < len(flagged) < 30
    assert results["rows"][0]["comments"] == [("citizens", "의견 0-0"), ("experts", "의견 1-0")]
    html = client.get(f"/vlr/{assessment.pk}/assessment/").content.decode()
    assert html.count("data-flagged=") == len(flagged)


@pytest.mark.django_db
def test_a_bad_import_saves_nothing_and_names_row_and_column(assessment, planner_a):
    panel = panel_create(edition=assessment, group=PanelGroup.EXPERTS, participants=5, actor=planner_a)
    content = _xlsx(
        [
            ["Indicator code", "Link to the SDGs", "Adequacy of the target value"],
            ["D00", 4, 5],
            ["D01", 9, 2],
            ["X99", 3, 3],
        ]
    )
    from django.core.files.base import ContentFile

    from apps.vlr.assessment import panel_ratings_import

    with pytest.raises(ValidationError) as error:
        panel_ratings_import(panel=panel, file=ContentFile(content, name="p.xlsx"), actor=planner_a)
    messages = error.value.messages
    assert any(
        m.startswith("row 3, column B: 1–5 사이의 정수여야 합니다") and "from 1 to 5" in m for m in messages
    )
    assert any(m.startswith("row 4, column A: 이 지자체의 지표가 아닙니다") for m in messages)
    assert not IndicatorRating.objects.exists()


@pytest.mark.django_db
def test_department_responses_are_recorded_and_shown(assessment, planner_a):
    indicator = assessment.municipality.local_indicators.get(code="D03")
    department_response_set(
        edition=assessment,
        local_indicator=indicator,
        department="환경과",
        response="목표값을 2027년에 조정",
        actor=planner_a,
    )
    row = next(r for r in assessment_results(assessment)["rows"] if r["indicator"].code == "D03")
    assert (row["response"].department, row["response"].response) == ("환경과", "목표값을 2027년에 조정")


@pytest.mark.django_db
def test_panels_belong_to_an_assessment_of_the_citys_planners(muni_a, planner_a, planner_b, assessment):
    vlr = make_edition(muni_a, 2026)
    with pytest.raises(ApplicationError, match="sustainability assessment"):
        panel_create(edition=vlr, group=PanelGroup.CITIZENS, participants=3, actor=planner_a)
    from apps.core.exceptions import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        panel_create(edition=assessment, group=PanelGroup.CITIZENS, participants=3, actor=planner_b)
    panel = panel_create(edition=assessment, group=PanelGroup.CITIZENS, participants=3, actor=planner_a)
    with pytest.raises(ValidationError):
        panel_ratings_save(
            panel=panel,
            rows=[{"where": "row 1", "indicator": "D00", "scores": {"target": "0"}}],
            actor=planner_a,
        )
    assert Client().get(f"/vlr/{assessment.pk}/assessment/").status_code in (302, 404)

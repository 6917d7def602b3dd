"""Report kinds: the statutory documents and the VLR side by side, each with its outline, period,
due date and recipients; approval freezes one; a new edition starts from another kind's."""

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from openpyxl import load_workbook

from apps.core.exceptions import ApplicationError
from apps.indicators.models import Observation
from apps.indicators.services import progress_refresh
from apps.vlr.choices import EditionStatus, ReportKind
from apps.vlr.exports.vlr_workbook import vlr_workbook_bytes
from apps.vlr.models import CycleSettings, Edition
from apps.vlr.outlines import OUTLINES
from apps.vlr.selectors import export_data
from apps.vlr.services import (
    edition_create,
    edition_start_from,
    edition_transition,
    section_update,
)
from tests.api.conftest import client_for
from tests.factories import make_edition, populate

K = ReportKind


def _codes(edition):
    return list(edition.sections.order_by("order").values_list("code", flat=True))


@pytest.fixture
def three_2026(muni_a, planner_a):
    CycleSettings.objects.create(municipality=muni_a, strategy_start=2022)
    return {
        kind: edition_create(municipality=muni_a, year=2026, kind=kind, actor=planner_a)
        for kind in (K.LOCAL_REPORT, K.CHECK, K.VLR)
    }


@pytest.mark.django_db
def test_a_city_holds_a_local_report_a_check_and_a_vlr_of_2026_each_with_its_outline_due_date_and_recipients(
    three_2026,
):
    report, check, vlr = three_2026[K.LOCAL_REPORT], three_2026[K.CHECK], three_2026[K.VLR]
    assert _codes(report) == [c for c, _, _ in OUTLINES[K.LOCAL_REPORT].sections]
    assert _codes(report)[:3] == ["overview", "check", "assessment"]
    assert _codes(check) == [c for c, _, _ in OUTLINES[K.CHECK].sections]
    assert _codes(vlr)[0] == "opening" and "enabling.lnob" in _codes(vlr)  # the GuideON outline
    assert report.sections.get(code="check").title_ko == "추진상황 점검 결과"
    assert report.sections.get(code="check").title_en == "Results of the progress check"
    # Strategy from 2022: the 2-yearly reports fall in 2024, 2026, ... (31 December by default).
    assert report.due_date == check.due_date == date(2026, 12, 31)
    assert vlr.due_date is None  # voluntary
    assert (
        "국가지속가능발전위원회",
        "National Commission on Sustainable Development",
    ) in report.outline.recipients
    assert ("지방의회", "local council") in check.outline.recipients
    assert [en for _ko, en in vlr.outline.recipients] == ["UN DESA (HLPF)", "IGES VLR Lab", "UN-Habitat"]
    assert report.period_start == report.period_end == 2026
    assert "지방보고서" in report.title_ko and "Voluntary Local Review" in vlr.title_en


@pytest.mark.django_db
def test_approving_one_kind_freezes_only_it(three_2026, planner_a, coordinator):
    report = three_2026[K.LOCAL_REPORT]
    edition_transition(edition=report, action="submit", actor=planner_a)
    edition_transition(edition=report, action="approve", actor=coordinator)
    frozen = {e.kind: (e.status, e.snapshot is not None) for e in Edition.objects.all()}
    assert frozen == {
        K.LOCAL_REPORT: (EditionStatus.APPROVED, True),
        K.CHECK: (EditionStatus.DRAFT, False),
        K.VLR: (EditionStatus.DRAFT, False),
    }
    # The others are still written; the approved one is locked.
    section_update(section=three_2026[K.VLR].sections.first(), actor=planner_a, body_ko="계속 작성")
    with pytest.raises(ApplicationError):
        section_update(section=report.sections.first(), actor=planner_a, body_ko="바꿈")


@pytest.mark.django_db
def test_a_second_edition_of_the_same_kind_and_period_is_refused_in_both_languages(
    three_2026, muni_a, planner_a
):
    with pytest.raises(ValidationError) as error:
        edition_create(municipality=muni_a, year=2026, kind=K.CHECK, actor=planner_a)
    assert "같은 종류" in str(error.value) and "of that kind for that period" in str(error.value)
    # Same kind, another period: allowed.
    edition_create(
        municipality=muni_a, year=2026, kind=K.CHECK, period_start=2024, period_end=2025, actor=planner_a
    )


@pytest.mark.django_db
def test_an_unknown_kind_is_refused(muni_a, planner_a):
    with pytest.raises(ApplicationError, match="unknown kind"):
        edition_create(municipality=muni_a, year=2026, kind="poem", actor=planner_a)


@pytest.mark.django_db
def test_changes_are_shown_since_the_last_approved_edition_of_the_same_kind(muni_a, planner_a, coordinator):
    [indicator, *_], _vlr_2023 = populate(muni_a, 2)  # a VLR 2023 draft
    make_edition(muni_a, 2024, kind=K.VLR, state="approved", period_start=2024)
    make_edition(muni_a, 2025, kind=K.LOCAL_REPORT, state="approved", period_start=2024)
    current = make_edition(muni_a, 2026, kind=K.VLR, period_start=2026)
    Observation.objects.filter(local_indicator=indicator).delete()
    progress_refresh(indicator_ids=[indicator.pk])  # what the value services do
    client = Client()
    client.force_login(planner_a)
    page = client.get(f"/vlr/{current.pk}/")
    assert page.status_code == 200
    assert page.context["previous"].kind == K.VLR and page.context["previous"].year == 2024
    assert "지난 승인 보고서(2024) 이후 달라진 점" in page.content.decode()
    assert page.context["changes"]["moved"][0]["code"] == indicator.code


@pytest.mark.django_db
def test_a_vlr_started_from_an_approved_local_report_carries_its_narrative_and_numbers(
    muni_a, planner_a, coordinator
):
    [indicator, *_], _draft = populate(muni_a, 2, year=2025)
    source = make_edition(
        muni_a, 2025, kind=K.LOCAL_REPORT, state="approved", period_start=2024, participation="시민 30명"
    )
    vlr, left_out = edition_start_from(source=source, kind=K.VLR, year=2026, actor=planner_a)
    assert vlr.kind == K.VLR and vlr.based_on == source and vlr.status == EditionStatus.DRAFT
    assert (vlr.period_start, vlr.period_end) == (2024, 2025)
    assert left_out == []
    sections = {s.code: s for s in vlr.sections.all()}
    assert sections["introduction"].body_ko == "개요 본문"
    # The check and the assessment both land in "progress", each under its old heading.
    assert (
        sections["progress"].body_ko
        == "■ 추진상황 점검 결과\n추진상황 점검 결과 본문\n\n■ 지속가능성 평가 결과\n지속가능성 평가 결과 본문"
    )
    assert sections["enabling.ownership"].body_en == "Participation and deliberation (Art. 29) text"
    assert sections["opening"].body_ko == ""  # nothing mapped there
    assert vlr.participation == "시민 30명" and list(vlr.focus_goals.values_list("number", flat=True)) == [11]
    # Numbers: the same data set, so the VLR's values are the report's frozen ones.
    frozen = {i["code"]: i["observations"] for i in source.snapshot["indicators"]}
    live = {i["code"]: i["observations"] for i in export_data(municipality=muni_a, edition=vlr)["indicators"]}
    assert live == frozen and frozen[indicator.code]
    # The diff view works across kinds: the first VLR compares with the report it came from.
    Observation.objects.filter(local_indicator=indicator, year=2025).update(value=999)
    progress_refresh(indicator_ids=[indicator.pk])  # what the value services do
    client = Client()
    client.force_login(planner_a)
    page = client.get(f"/vlr/{vlr.pk}/")
    assert page.context["previous"].pk == source.pk
    assert "이 보고서를 시작한 승인 보고서(" in page.content.decode()
    assert [m["code"] for m in page.context["changes"]["moved"]] == [indicator.code]


@pytest.mark.django_db
def test_the_edition_page_starts_a_new_edition_from_an_approved_one_with_csrf(muni_a, planner_a):
    source = make_edition(muni_a, 2025, kind=K.CHECK, state="approved")
    client = Client(enforce_csrf_checks=True)
    client.force_login(planner_a)
    page = client.get(f"/vlr/{source.pk}/")
    token = page.context["csrf_token"]
    response = client.post(
        f"/vlr/{source.pk}/start-from/", {"kind": K.LOCAL_REPORT, "year": 2026, "csrfmiddlewaretoken": token}
    )
    new = Edition.objects.get(kind=K.LOCAL_REPORT)
    assert response.status_code == 302 and response["Location"] == f"/vlr/{new.pk}/"
    # The check's method, progress, sectors and opinions all land in the report's "check".
    assert new.sections.get(code="check").body_ko.startswith(
        "■ 점검 방법\n점검 방법 본문\n\n■ 지방추진계획 이행 현황"
    )
    assert new.sections.get(code="next_steps").body_ko == "추진계획 보완 사항 본문"


@pytest.mark.django_db
def test_only_an_approved_edition_can_be_started_from(muni_a, planner_a):
    draft = make_edition(muni_a, 2025, kind=K.LOCAL_REPORT)
    with pytest.raises(ApplicationError, match="approved"):
        edition_start_from(source=draft, kind=K.VLR, year=2026, actor=planner_a)
    assert Edition.objects.count() == 1


@pytest.mark.django_db
def test_the_workbook_of_a_local_report_follows_its_outline(muni_a):
    populate(muni_a, 1)
    report = make_edition(muni_a, 2026, kind=K.LOCAL_REPORT, period_start=2024, period_end=2025)
    wb = load_workbook(BytesIO(vlr_workbook_bytes(municipality=muni_a, edition=report)))
    assert "본문 Narrative" in wb.sheetnames and "서론 Introduction" not in wb.sheetnames
    rows = [list(row) for row in wb["본문 Narrative"].iter_rows(values_only=True)]
    titles = [
        row[2] for row in rows if row and row[1] in {c for c, _, _ in OUTLINES[K.LOCAL_REPORT].sections}
    ]
    assert titles == [ko for _c, ko, _en in OUTLINES[K.LOCAL_REPORT].sections]
    cover = {r[0]: r[1] for r in wb["표지 Cover"].iter_rows(values_only=True) if r and r[0]}
    assert "지방보고서" in cover["보고서 종류 / Kind"]
    assert "국가지속가능발전위원회" in cover["받는 곳 / Recipients"]


@pytest.mark.django_db
def test_the_api_creates_editions_of_each_kind_and_starts_one_from_another(muni_a, planner_a):
    client = client_for(planner_a)
    headers = {}
    made = client.post(
        "/api/v1/editions/",
        {
            "municipality": "11260",
            "year": 2026,
            "kind": "local_report",
            "period_start": 2024,
            "period_end": 2025,
        },
        format="json",
        **headers,
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["kind"] == "local_report" and body["rule"]["article"].startswith("법 제16조")
    assert {"ko": "지방의회", "en": "local council"} in body["recipients"]
    assert [s["code"] for s in body["sections"]][:2] == ["overview", "check"]
    listed = client.get("/api/v1/editions/?kind=local_report", **headers).json()
    assert [e["id"] for e in listed["results"]] == [body["id"]]
    Edition.objects.filter(pk=body["id"]).update(status=EditionStatus.APPROVED, snapshot={})
    started = client.post(
        f"/api/v1/editions/{body['id']}/start-from/",
        {"kind": "vlr", "year": 2026},
        format="json",
        **headers,
    )
    assert started.status_code == 201, started.content
    assert started.json()["kind"] == "vlr" and started.json()["based_on"] == body["id"]
    draft = make_edition(muni_a, 2020, kind=K.CHECK)
    refused = client.post(
        f"/api/v1/editions/{draft.pk}/start-from/", {"kind": "vlr", "year": 2026}, format="json", **headers
    )
    assert refused.status_code == 400 and "approved" in refused.content.decode()

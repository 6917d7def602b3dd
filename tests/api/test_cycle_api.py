"""The statutory cycle over the API: a submission with its file, the calendar, a panel's ratings
and the assessment results (the permission matrix covers who may; this covers what it does)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.vlr.choices import PanelGroup, ReportKind
from apps.vlr.models import AssessmentPanel, CycleSettings
from tests.factories import make_edition, make_indicator

API = "/api/v1"


@pytest.mark.django_db
def test_a_submission_is_posted_with_its_file_and_read_back_byte_for_byte(muni_a, planner_a, api):
    edition = make_edition(muni_a, 2026, kind=ReportKind.LOCAL_REPORT, state="approved")
    client = api(planner_a)
    made = client.post(
        f"{API}/submissions/",
        {
            "edition": edition.pk,
            "recipient": "국가지속가능발전위원회",
            "sent_on": "2026-12-28",
            "reference": "NCSD-2026-88",
            "file": SimpleUploadedFile("report.pdf", b"%PDF-1.7 exact bytes"),
        },
        format="multipart",
    )
    assert made.status_code == 201, made.content
    assert made.json()["reference"] == "NCSD-2026-88" and len(made.json()["file_sha256"]) == 64
    download = client.get(f"{API}/submissions/{made.json()['id']}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.7 exact bytes"
    settings = CycleSettings.objects.create(municipality=muni_a, strategy_start=2022)
    items = client.get(f"{API}/cycle-settings/{settings.pk}/calendar/").json()
    report_2026 = next(i for i in items if i["kind"] == "local_report" and i["year"] == 2026)
    assert report_2026 == {
        **report_2026,
        "due": "2026-12-31",
        "standing": "submitted",
        "edition_id": edition.pk,
    }


@pytest.mark.django_db
def test_a_panel_saves_ratings_and_the_edition_returns_the_results(muni_a, planner_a, api):
    for code in ("A1", "A2"):
        make_indicator(muni_a, code, {2020: 1.0})
    edition = make_edition(muni_a, 2026, kind=ReportKind.ASSESSMENT)
    from apps.vlr.choices import DEFAULT_CRITERIA
    from apps.vlr.models import AssessmentCriterion

    for i, (code, ko, en, flag) in enumerate(DEFAULT_CRITERIA):
        AssessmentCriterion.objects.create(
            edition=edition, code=code, name_ko=ko, name_en=en, order=i, flag_below=flag
        )
    client = api(planner_a)
    panels = [
        client.post(
            f"{API}/assessment-panels/",
            {"edition": edition.pk, "group": group, "participants": 9},
            format="json",
        ).json()["id"]
        for group in (PanelGroup.CITIZENS, PanelGroup.EXPERTS)
    ]
    for panel, target in zip(panels, ("2", "3"), strict=True):
        saved = client.post(
            f"{API}/assessment-panels/{panel}/ratings/",
            {"rows": [{"indicator": "A1", "scores": {"target": target, "sdg_link": "5"}, "comment": "ok"}]},
            format="json",
        )
        assert saved.json() == {"saved": 1}
    bad = client.post(
        f"{API}/assessment-panels/{panels[0]}/ratings/",
        {"rows": [{"indicator": "ZZ", "scores": {}}]},
        format="json",
    )
    assert bad.status_code == 400 and "rows[0]" in bad.content.decode()
    results = {r["indicator"]: r for r in client.get(f"{API}/editions/{edition.pk}/assessment/").json()}
    assert results["A1"]["means"]["target"] == {"mean": 2.5, "n": 2} and results["A1"]["flags"] == ["target"]
    assert results["A2"]["means"]["target"] == {"mean": None, "n": 0} and results["A2"]["flags"] == []
    assert AssessmentPanel.objects.count() == 2

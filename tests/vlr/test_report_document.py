"""The VLR report document: one content model (apps.vlr.exports.report_content) rendered as a
PDF (WeasyPrint) and a DOCX (python-docx), read back with pypdf and python-docx."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from apps.indicators.models import Observation
from apps.vlr.exports.report import report_bytes
from apps.vlr.exports.report_content import Chart, Table, report_content
from apps.vlr.models import EditionSection
from apps.vlr.selectors.report import export_data
from apps.vlr.services import edition_transition, edition_update
from tests.api.conftest import client_for
from tests.factories import make_edition, populate

NARRATIVE_KO = "중랑구는 대기질 개선에 힘썼습니다."
NARRATIVE_EN = "Jungnang worked on air quality."


@pytest.fixture
def edition(muni_a, planner_a):
    _indicators, edition = populate(muni_a, 4)
    return edition_update(
        edition=edition, actor=planner_a, goal_narratives={"11": {"ko": NARRATIVE_KO, "en": NARRATIVE_EN}}
    )


def content_of(muni, lang="ko", **kwargs):
    return report_content(export_data(municipality=muni, year=2023, **kwargs), lang=lang)


def blocks(chapter, kind):
    return [b for b in chapter.blocks if b.kind == kind]


def text_of(chapter) -> str:
    out = []
    for b in chapter.blocks:
        if b.kind == "paragraph":
            out.append(b.text)
        elif b.kind == "table":
            out.extend(" ".join(row) for row in [b.header, *b.rows])
        elif b.kind == "bullets":
            out.extend(b.items)
    return "\n".join(out)


# ----------------------------------------------------------------------------- content


def test_goal_chapters_carry_the_narrative_numbers_best_worst_and_charts(edition, muni_a):
    doc = content_of(muni_a, lang="both")
    progress = next(c for c in doc.chapters if c.title.startswith("목표·세부목표별 이행 현황"))
    goals = {c.anchor: c for c in progress.children}
    assert set(goals) == {"goal-3", "goal-11", "goal-13"}
    goal11 = goals["goal-11"]
    paragraphs = [(b.lang, b.text) for b in blocks(goal11, "paragraph") if b.lang]
    assert paragraphs == [("ko", NARRATIVE_KO), ("en", NARRATIVE_EN)]
    captions = [t.caption for t in blocks(goal11, "table")]
    assert captions[:2] == ["가장 앞선 지표 / Best indicators", "가장 뒤처진 지표 / Worst indicators"]
    best, worst = blocks(goal11, "table")[:2]
    assert not {r[0] for r in best.rows} & {r[0] for r in worst.rows}
    # Each budget once, under its primary target's goal (11.6): 4 initiatives × 1,000,000 KRW.
    assert "예산 4,000,000원" in text_of(goal11)
    assert "예산 0원" in text_of(goals["goal-13"]) and "함께 기여하는 사업 4개" in text_of(goals["goal-13"])
    charts = blocks(goal11, "chart")
    assert len(charts) == 4
    chart = charts[0]
    assert isinstance(chart.data, Table) and chart.data.rows[-1][0].startswith("2030")
    assert 'role="img"' in chart.svg and "stroke-dasharray" in chart.svg  # the target line
    assert "#FD9D24" in chart.svg.upper()  # goal 11's colour
    assert chart.alt.startswith("L000") and "2023" in chart.alt


def test_lnob_means_annex_and_references_come_from_the_data(edition, muni_a):
    doc = content_of(muni_a, lang="en")
    by_title = {c.title: c for c in doc.chapters}
    lnob = by_title["Leaving no one behind"]
    groups = blocks(lnob, "table")[0]
    assert [row[:3] for row in groups.rows[:2]] == [
        ["L000", "Indicator L000", "sex: female"],
        ["L000", "Indicator L000", "sex: male"],
    ]
    assert len(groups.rows) == 8  # 4 indicators × 2 groups; the totals are not a group
    means = by_title["Means of implementation"]
    assert blocks(means, "table")[0].rows == [
        ["SDG 11 Sustainable cities and communities", "4,000,000", "0"],
        ["SDG 13 Climate action", "0", "4"],
    ]
    assert isinstance(blocks(means, "chart")[0], Chart)
    annex = by_title["Statistical annex"]
    assert [row[0] for row in blocks(annex, "table")[0].rows] == ["L000", "L001", "L002", "L003"]
    references = by_title["References"]
    assert len(blocks(references, "bullets")[0].items) == 4


def test_any_outline_renders_and_goal_chapters_and_annex_are_never_lost(muni_a):
    edition = make_edition(muni_a, 2023)
    EditionSection.objects.filter(edition=edition).exclude(code="opening").delete()
    EditionSection.objects.create(
        edition=edition,
        code="council.summary",
        title_ko="의회 보고 요약",
        title_en="Council summary",
        order=2,
        body_ko="요약 본문",
    )
    doc = content_of(muni_a)
    assert [c.title for c in doc.chapters] == ["발간사", "의회 보고 요약", "목표별 이행 현황", "지표 부록"]
    assert "요약 본문" in text_of(doc.chapters[1])


def test_a_report_never_shows_data_after_its_year(edition, muni_a):
    ind = muni_a.local_indicators.get(code="L000")
    Observation.objects.create(local_indicator=ind, year=2025, value=999.0)
    doc = content_of(muni_a)
    text = "\n".join(text_of(c) + "".join(b.svg + b.alt for b in blocks(c, "chart")) for c in doc.walk())
    assert "999" not in text and "2025" not in text


def test_an_approved_edition_renders_its_frozen_snapshot(edition, muni_a, planner_a, coordinator):
    edition_transition(edition=edition, action="submit", actor=planner_a)
    edition_transition(edition=edition, action="approve", actor=coordinator)
    Observation.objects.filter(local_indicator__municipality=muni_a, year=2023).update(value=777.0)
    doc = content_of(muni_a, edition=edition)
    assert doc.frozen and not doc.draft_notice
    assert "777" not in "\n".join(text_of(c) for c in doc.walk())


# ------------------------------------------------------------------------------- files


def test_the_pdf_has_contents_bookmarks_page_numbers_and_embedded_korean_fonts(edition, muni_a):
    reader = PdfReader(io.BytesIO(report_bytes(municipality=muni_a, year=2023, fmt="pdf", lang="ko")))
    pages = [page.extract_text() for page in reader.pages]
    n = len(pages)
    assert pages[0].startswith("중랑구")  # the cover
    assert pages[1].startswith("목차") and re.search(r"발간사 \.+ 3", pages[1])  # TOC with page numbers
    assert all(pages[i - 1].rstrip().endswith(f"\n{i}") for i in range(2, n + 1))  # footer: page number
    # laid out in parts (one per chapter) and joined: every contents entry links to its heading,
    # on the page the contents print
    links = [a.get_object() for a in reader.pages[1]["/Annots"]]
    named = reader.named_destinations
    assert len(links) >= 5
    for link in links:
        target = named[str(link["/A"]["/D"])]
        assert link["/A"]["/S"] == "/GoTo"
        number = reader.get_destination_page_number(target) + 1
        assert re.search(rf"\.+ {number}\n", pages[1])
    assert reader.get_destination_page_number(named[str(links[0]["/A"]["/D"])]) == 2  # 발간사, page 3
    assert "중랑구 · VLR 2023" in pages[2]  # running header
    titles = [item["/Title"] for item in reader.outline if isinstance(item, dict)]
    assert titles[:3] == ["목차", "발간사", "주요 내용"] and "참고 자료" in titles
    assert NARRATIVE_KO in "".join(pages)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font[
                "/BaseFont"
            ]
            fonts.add(str(font["/BaseFont"]).split("+", 1)[1])
    assert "Noto-Sans-CJK-KR" in fonts
    assert "\ufffd" not in "".join(pages)  # no missing glyph
    assert reader.metadata.title == "중랑구 VLR 2023"


def test_the_docx_opens_with_headings_repeated_table_headers_and_page_numbers(edition, muni_a):
    doc = Document(io.BytesIO(report_bytes(municipality=muni_a, year=2023, fmt="docx", lang="en")))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["Contents", "Opening statement", "Highlights"]
    assert "■ SDG 11 Sustainable cities and communities" in [
        p.text for p in doc.paragraphs if p.style.name == "Heading 2"
    ]
    assert NARRATIVE_EN in [p.text for p in doc.paragraphs]
    xml = doc.element.xml
    assert 'TOC \\o "1-2"' in xml
    for table in doc.tables:
        assert table.rows[0]._tr.trPr.xpath("./w:tblHeader") and all(
            row._tr.trPr.xpath("./w:cantSplit") for row in table.rows
        )
    footer = doc.sections[0].footer._element.xml
    assert " PAGE " in footer and " NUMPAGES " in footer
    assert doc.sections[0].page_width.mm == pytest.approx(210, abs=0.5)


def test_the_docx_converts_in_libreoffice_without_error(edition, muni_a, tmp_path):
    """Slow (LibreOffice starts, about 10 s): the one check that an office suite opens the DOCX."""
    from tests.vlr.test_libreoffice import OFFICE, convert

    if OFFICE is None:
        pytest.fail(
            "LibreOffice (soffice) is needed for this check: apt-get install -y libreoffice-writer-nogui"
        )
    path = tmp_path / "report.docx"
    path.write_bytes(report_bytes(municipality=muni_a, year=2023, fmt="docx", lang="both"))
    result = convert(path, "pdf", tmp_path)
    assert result.returncode == 0, result.stderr
    reader = PdfReader(tmp_path / "report.pdf")
    text = "".join(page.extract_text() for page in reader.pages)
    assert NARRATIVE_KO in text and NARRATIVE_EN in text
    assert len(reader.pages) > 5


# ------------------------------------------------------------- API, page, command


API = "/api/v1/editions"


@pytest.fixture
def api():
    return client_for


def test_api_serves_pdf_and_docx_to_the_city_and_refuses_bad_choices(edition, api, planner_a):
    client = api(planner_a)
    response = client.get(f"{API}/{edition.pk}/report/", {"format": "docx", "lang": "en"})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert 'filename="VLR_11260_2023_en.docx"' in response["Content-Disposition"]
    Document(io.BytesIO(response.content))
    response = client.get(f"{API}/{edition.pk}/report/", {"format": "docx", "lang": "fr"})
    assert response.status_code == 400
    assert "언어는 ko, en, both" in response.content.decode() and "lang must be" in response.content.decode()
    assert client.get(f"{API}/{edition.pk}/report/").status_code == 400  # no format


def test_api_hides_a_draft_report_from_other_cities_and_the_public(edition, api, planner_b):
    assert api(planner_b).get(f"{API}/{edition.pk}/report/", {"format": "docx"}).status_code == 404
    assert api(None).get(f"{API}/{edition.pk}/report/", {"format": "docx"}).status_code == 404


def test_the_public_reads_a_published_report_from_its_snapshot(edition, muni_a, api, planner_a, coordinator):
    for verb, actor in (("submit", planner_a), ("approve", coordinator), ("publish", coordinator)):
        edition_transition(edition=edition, action=verb, actor=actor)
    Observation.objects.filter(local_indicator__municipality=muni_a, year=2023).update(value=777.0)
    response = api(None).get(f"{API}/{edition.pk}/report/", {"format": "pdf", "lang": "ko"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert NARRATIVE_KO in text and "777" not in text
    assert "기사 11260" not in text  # evidence from a non-public document is not cited to the public


def test_edition_page_links_the_report_and_serves_it(edition, planner_a):
    client = Client()
    client.force_login(planner_a)
    page = client.get(reverse("vlr:edition", args=[edition.pk])).content.decode()
    url = reverse("vlr:report", args=[edition.pk, "docx"])
    assert f'href="{url}?lang=both"' in page
    response = client.get(url, {"lang": "both"})
    assert response.status_code == 200
    assert any(p.text == NARRATIVE_KO for p in Document(io.BytesIO(response.content)).paragraphs)
    bad = client.get(reverse("vlr:report", args=[edition.pk, "odt"]))
    assert bad.status_code == 400 and "format must be pdf or docx" in bad.content.decode()


def test_export_report_command_writes_the_file_and_refuses_bad_names(edition, tmp_path):
    out = StringIO()
    path = tmp_path / "vlr.docx"
    call_command("export_report", municipality="11260", year=2023, lang="en", output=str(path), stdout=out)
    assert "VLR report written" in out.getvalue()
    assert "Opening statement" in [p.text for p in Document(path).paragraphs]
    with pytest.raises(CommandError, match=r"must end in \.pdf or \.docx"):
        call_command("export_report", municipality="11260", year=2023, output=str(tmp_path / "vlr.txt"))
    with pytest.raises(CommandError, match="unknown municipality code"):
        call_command("export_report", municipality="99999", year=2023, output=str(path))


# ---------------------------------------------------------------- goal narratives


def test_goal_narratives_are_validated_and_tidied(edition, planner_a):
    with pytest.raises(ValidationError, match="unknown goal number: 18"):
        edition_update(edition=edition, actor=planner_a, goal_narratives={"18": {"ko": "x"}})
    with pytest.raises(ValidationError, match="only 'ko' and 'en'"):
        edition_update(edition=edition, actor=planner_a, goal_narratives={"3": {"fr": "x"}})
    edition = edition_update(
        edition=edition,
        actor=planner_a,
        goal_narratives={"3": {"ko": "  건강  ", "en": ""}, "4": {"ko": " "}},
    )
    assert edition.goal_narratives == {"3": {"ko": "건강"}}
    assert edition.goal_narrative(3) == {"ko": "건강", "en": ""}


def test_goal_narratives_form_saves_with_csrf(edition, planner_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(planner_a)
    page = client.get(reverse("vlr:edition", args=[edition.pk]))
    token = page.cookies["csrftoken"].value
    assert 'id="goal-narratives-form"' in page.content.decode() and NARRATIVE_KO in page.content.decode()
    response = client.post(
        reverse("vlr:goal_narratives", args=[edition.pk]),
        {"csrfmiddlewaretoken": token, "goal_3_ko": "보건소 확충", "goal_3_en": "More clinics"},
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.goal_narratives == {
        "3": {"ko": "보건소 확충", "en": "More clinics"}
    }  # 11 cleared: all 17 posted


def test_goal_narratives_through_the_api(edition, api, planner_a):
    response = api(planner_a).patch(
        f"{API}/{edition.pk}/", {"goal_narratives": {"13": {"en": "Heat plan"}}}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["goal_narratives"] == {"13": {"en": "Heat plan"}}
    bad = api(planner_a).patch(f"{API}/{edition.pk}/", {"goal_narratives": {"0": {}}}, format="json")
    assert bad.status_code == 400 and "unknown goal number" in bad.content.decode()


# ---------------------------------------------------------------- submission pack


def test_the_submission_pack_has_the_english_pdf_card_and_annex(edition, muni_a, api, planner_a):
    muni_a.population = 385_349
    muni_a.area_km2 = 18.5
    muni_a.budget_krw = 1_234_000_000_000
    muni_a.languages = "ko, en"
    muni_a.profile_year = 2023
    muni_a.full_clean()
    muni_a.save()
    Observation.objects.create(local_indicator=muni_a.local_indicators.get(code="L000"), year=2026, value=1.0)
    response = api(planner_a).get(f"{API}/{edition.pk}/submission/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == [
            "VLR_11260_2023_en.pdf",
            "annex/indicators.csv",
            "annex/observations.csv",
            "registration_card.csv",
        ]
        card = dict(csv.reader(io.StringIO(archive.read("registration_card.csv").decode("utf-8-sig"))))
        pdf = PdfReader(io.BytesIO(archive.read("VLR_11260_2023_en.pdf")))
        observations = list(
            csv.reader(io.StringIO(archive.read("annex/observations.csv").decode("utf-8-sig")))
        )
    assert card["Local government"] == "Jungnang-gu" and card["Country"] == "Republic of Korea"
    assert card["Population"] == "385349" and card["Area (km2)"] == "18.5" and card["Languages"] == "ko, en"
    assert card["SDGs reviewed"] == "3, 11, 13" and card["Year of publication"] == "2023"
    assert pdf.pages[1].extract_text().startswith("Contents")
    assert {row[1] for row in observations[1:]} <= {str(y) for y in range(2015, 2024)}  # nothing after 2023
    page = Client()
    page.force_login(planner_a)
    assert page.get(reverse("vlr:submission", args=[edition.pk])).content[:2] == b"PK"


# ------------------------------------------------------------------------ public site


def test_the_public_index_links_every_published_city_its_goals_and_indicators(
    edition, muni_a, planner_a, coordinator, django_assert_num_queries
):
    for verb, actor in (("submit", planner_a), ("approve", coordinator), ("publish", coordinator)):
        edition_transition(edition=edition, action=verb, actor=actor)
    client = Client()
    # editions with their cities, goals, public indicators by goal (anonymous: no session read)
    with django_assert_num_queries(3):
        page = client.get(reverse("vlr:public_list")).content.decode()
    l000 = muni_a.local_indicators.get(code="L000")
    assert f'href="{reverse("sdg:goal", args=[muni_a.code, 11])}"' in page
    assert f'href="{reverse("indicators:detail", args=[muni_a.code, l000.pk])}"' in page
    assert f'href="{reverse("indicators:opendata_csv", args=[muni_a.code, l000.pk])}"' in page
    assert "L001" not in page  # not public
    assert "/api/v1/local-indicators/opendata/?municipality=11260" in page
    for url in (
        reverse("sdg:goal", args=[muni_a.code, 11]),
        reverse("indicators:detail", args=[muni_a.code, l000.pk]),
    ):
        assert client.get(url).status_code == 200, url

"""Pages render what their users need, in Korean by default and English on request."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.indicators.models import Observation
from apps.initiatives.models import Initiative
from apps.sdg.models import Target
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_login_page_logs_a_planner_in(client, planner_a):
    response = client.post(reverse("login"), {"username": "planner_a", "password": "pw-planner_a"})
    assert response.status_code == 302
    assert client.get("/m/11260/").context["user"] == planner_a


def test_logout_is_a_post_button(ui, planner_a):
    page = html(ui(planner_a).get("/m/11260/"))
    assert f'action="{reverse("logout")}"' in page


def test_english_switch_shows_english_labels(ui, planner_a, city):
    client = ui(planner_a)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/m/11260/"})
    assert response.status_code == 302
    page = html(client.get("/m/11260/"))
    assert "Dashboard" in page and "Initiatives" in page and "대시보드" not in page
    # Names the framework has in both languages stay bilingual.
    assert "지속가능한 도시와 주거지 / Sustainable cities and communities" in page


def test_indicator_page_draws_the_trend_and_shows_the_numbers(ui, planner_a, city):
    indicator = city["indicators"][0]
    page = html(ui(planner_a).get(reverse("indicators:detail", args=["11260", indicator.pk])))
    assert "<svg" in page and "polyline" in page
    assert "목표 2030: 15" in page  # target line label
    assert "기준값 2015: 26" in page  # baseline marker
    for header in ("관측 연평균 증가율", "필요 연평균 증가율", ">R<", "ESCAP"):
        assert header in page
    assert "2023" in page and "19" in page


def test_planner_adds_a_value_and_the_status_is_recomputed(ui, planner_a, city):
    indicator = city["indicators"][0]
    url = reverse("indicators:detail", args=["11260", indicator.pk])
    response = ui(planner_a).post(
        url, {"year": 2024, "quarter": 0, "value": "16.5", "sex": "", "disability": ""}
    )
    assert response.status_code == 302
    assert Observation.objects.filter(local_indicator=indicator, year=2024, value=16.5).exists()


def test_a_second_value_for_the_same_period_is_refused_in_both_languages(ui, planner_a, city):
    indicator = city["indicators"][0]
    url = reverse("indicators:detail", args=["11260", indicator.pk])
    response = ui(planner_a).post(
        url, {"year": 2023, "quarter": 0, "value": "1", "sex": "", "disability": ""}
    )
    assert response.status_code == 200
    page = html(response)
    assert "같은 지표·기간·세분류의 값이 이미 있습니다" in page and "already exists" in page


def test_planner_edits_a_value_inline(ui, planner_a, city):
    indicator = city["indicators"][0]
    obs = Observation.objects.get(local_indicator=indicator, year=2020)
    url = reverse("indicators:detail", args=["11260", indicator.pk])
    client = ui(planner_a)
    form_page = html(client.get(url + f"?edit={obs.pk}"))
    assert 'name="edit-value"' in form_page
    response = client.post(
        url,
        {
            "observation": obs.pk,
            "edit-year": 2020,
            "edit-quarter": 0,
            "edit-value": "21.5",
            "edit-sex": "",
            "edit-disability": "",
        },
    )
    assert response.status_code == 302
    obs.refresh_from_db()
    assert obs.value == 21.5


def test_viewer_sees_values_but_no_edit_controls(ui, viewer_a, city):
    url = reverse("indicators:detail", args=["11260", city["indicators"][0].pk])
    response = ui(viewer_a).get(url)
    assert response.status_code == 200 and "add-observation" not in html(response)
    assert ui(viewer_a).post(url, {"year": 2024, "value": "1"}).status_code == 404


def test_initiative_list_uses_the_shared_filters(ui, planner_a, city, muni_a):
    make_initiative(
        muni_a, "태양광 보급", title_en="Solar rollout", targets=("7.2",), groups=("older_people",)
    )
    client = ui(planner_a)
    url = reverse("initiatives:list", args=["11260"])
    assert len(client.get(url).context["initiatives"]) == 2
    assert [i.title_en for i in client.get(url, {"q": "Solar"}).context["initiatives"]] == ["Solar rollout"]
    assert [i.title_en for i in client.get(url, {"q": "태양광"}).context["initiatives"]] == ["Solar rollout"]
    assert [i.title_en for i in client.get(url, {"goal": 11}).context["initiatives"]] == [
        "Fine dust reduction"
    ]


def test_planner_creates_an_initiative_with_a_primary_and_other_targets(ui, planner_a, muni_a):
    other = Target.objects.get(code="3.9")
    response = ui(planner_a).post(
        reverse("initiatives:create", args=["11260"]),
        {
            "title_ko": "전기버스 도입",
            "title_en": "Electric buses",
            "kind": "project",
            "status": "ongoing",
            "primary_target": "11.6",
            "targets": [other.pk],
            "budget_krw": "500000000",
        },
    )
    assert response.status_code == 302
    initiative = Initiative.objects.get(title_en="Electric buses")
    links = {(link.target.code, link.is_primary) for link in initiative.target_links.all()}
    assert links == {("11.6", True), ("3.9", False)}
    assert initiative.municipality == muni_a


def test_initiative_form_errors_are_in_both_languages(ui, planner_a, muni_a):
    response = ui(planner_a).post(
        reverse("initiatives:create", args=["11260"]),
        {
            "kind": "project",
            "status": "ongoing",
            "primary_target": "99.9",
            "start_date": "2024-05-01",
            "end_date": "2024-01-01",
        },
    )
    page = html(response)
    assert response.status_code == 200
    assert (
        "목록에 없는 세부목표입니다. 목록에서 고르세요 / not an SDG target: choose one from the list" in page
    )
    assert "국문 또는 영문 제목이 필요합니다 / a Korean or English title is required" in page
    assert "종료일은 시작일 이후여야 합니다 / end date must not be before start date" in page


def test_other_city_cannot_open_the_initiative_form(ui, planner_b, city):
    assert ui(planner_b).get(reverse("initiatives:create", args=["11260"])).status_code == 404
    edit = reverse("initiatives:edit", args=["11260", city["initiative"].pk])
    assert ui(planner_b).post(edit, {"title_ko": "x", "primary_target": "11.6"}).status_code == 404


def test_inbox_lists_documents_with_waiting_suggestions(ui, planner_a, city):
    response = ui(planner_a).get(reverse("evidence:inbox", args=["11260"]))
    assert [d.pk for d in response.context["documents"]] == [city["document"].pk]


def test_document_page_highlights_the_matched_terms(ui, planner_a, city):
    page = html(ui(planner_a).get(reverse("evidence:document", args=[city["document"].pk])))
    assert "<mark>미세먼지</mark>" in page

"""Pages render what their users need, in Korean by default and English on request."""
from __future__ import annotations

import pytest
from django.urls import reverse

from apps.evidence.choices import LinkStatus
from apps.indicators.models import Observation
from apps.initiatives.models import Initiative
from apps.sdg.models import Target

from .conftest import make_indicator, make_initiative

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_home_sends_a_planner_to_their_dashboard(ui, planner_a):
    response = ui(planner_a).get("/")
    assert response.status_code == 302 and response["Location"] == "/m/11260/"


def test_home_sends_a_network_coordinator_to_the_network_view(ui, coordinator):
    response = ui(coordinator).get("/")
    assert response["Location"] == reverse("municipalities:network")


def test_home_sends_anonymous_visitors_to_the_published_reviews(ui, anon):
    assert ui(anon).get("/")["Location"] == reverse("vlr:public_list")


def test_login_page_logs_a_planner_in(client, planner_a):
    response = client.post(reverse("login"), {"username": "planner_a", "password": "pw-planner_a"})
    assert response.status_code == 302
    assert client.get("/m/11260/").context["user"] == planner_a


def test_logout_is_a_post_button(ui, planner_a):
    page = html(ui(planner_a).get("/m/11260/"))
    assert f'action="{reverse("logout")}"' in page


def test_dashboard_shows_17_goal_tiles_with_bilingual_names_and_status_text(ui, planner_a, city):
    response = ui(planner_a).get("/m/11260/")
    page = html(response)
    assert page.count('class="goal-tile"') == 17
    assert "지속가능한 도시와 주거지 / Sustainable cities and communities" in page
    assert "중랑구 / Jungnang-gu" in page
    # Colour is never alone: a badge carries its label and weather word.
    assert "순항" in page or "가속 필요" in page or "악화" in page
    assert "(맑음)" in page or "(흐림)" in page or "(뇌우)" in page or "(맑거나 흐림)" in page
    cells = {c.goal.number: c for c in response.context["cells"]}
    assert cells[11].initiatives == 1 and cells[11].summary.total == 1


def test_dashboard_counts_confirmed_evidence_per_goal(ui, planner_a, city):
    city["suggestion"].status = LinkStatus.CONFIRMED
    city["suggestion"].save()
    cells = {c.goal.number: c for c in ui(planner_a).get("/m/11260/").context["cells"]}
    assert cells[11].evidence == 1 and cells[7].evidence == 0


def test_dashboard_says_when_data_are_sample_data(ui, planner_a, muni_a):
    muni_a.is_sample_data = True
    muni_a.save()
    assert "시연용 자료" in html(ui(planner_a).get("/m/11260/"))


def test_english_switch_shows_english_labels(ui, planner_a, city):
    client = ui(planner_a)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/m/11260/"})
    assert response.status_code == 302
    page = html(client.get("/m/11260/"))
    assert "Dashboard" in page and "Initiatives" in page and "대시보드" not in page
    # Names the framework has in both languages stay bilingual.
    assert "지속가능한 도시와 주거지 / Sustainable cities and communities" in page


def test_municipality_switcher_lists_only_the_users_municipalities(ui, coordinator, muni_a, muni_b):
    client = ui(coordinator)
    page = html(client.get("/m/11260/"))
    assert 'value="11260"' in page and 'value="41210"' in page and 'value="41450"' not in page
    assert client.post(reverse("core:switch_municipality"), {"municipality": "41210"})["Location"] == "/m/41210/"
    assert client.post(reverse("core:switch_municipality"), {"municipality": "41450"})["Location"] == "/"


def test_network_view_is_a_municipalities_by_goals_grid(ui, coordinator, city):
    response = ui(coordinator).get(reverse("municipalities:network"))
    assert response.status_code == 200
    names = [m.code for m, _ in response.context["rows"]]
    assert names == ["11260", "41210"]
    assert len(response.context["rows"][0][1]) == 17


def test_network_view_is_for_coordinators_only(ui, planner_a):
    assert ui(planner_a).get(reverse("municipalities:network")).status_code == 404


def test_goal_page_lists_targets_with_local_indicators_and_initiatives(ui, planner_a, city):
    response = ui(planner_a).get(reverse("sdg:goal", args=["11260", 11]))
    page = html(response)
    assert "11.6" in page and "L-1" in page and "미세먼지 저감 사업 / Fine dust reduction" in page
    assert "L-2" not in page  # aligned to goal 7


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
    response = ui(planner_a).post(url, {"year": 2024, "quarter": 0, "value": "16.5", "sex": "", "disability": ""})
    assert response.status_code == 302
    assert Observation.objects.filter(local_indicator=indicator, year=2024, value=16.5).exists()


def test_a_second_value_for_the_same_period_is_refused_in_both_languages(ui, planner_a, city):
    indicator = city["indicators"][0]
    url = reverse("indicators:detail", args=["11260", indicator.pk])
    response = ui(planner_a).post(url, {"year": 2023, "quarter": 0, "value": "1", "sex": "", "disability": ""})
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
    response = client.post(url, {"observation": obs.pk, "edit-year": 2020, "edit-quarter": 0, "edit-value": "21.5",
                                 "edit-sex": "", "edit-disability": ""})
    assert response.status_code == 302
    obs.refresh_from_db()
    assert obs.value == 21.5


def test_viewer_sees_values_but_no_edit_controls(ui, viewer_a, city):
    url = reverse("indicators:detail", args=["11260", city["indicators"][0].pk])
    response = ui(viewer_a).get(url)
    assert response.status_code == 200 and "add-observation" not in html(response)
    assert ui(viewer_a).post(url, {"year": 2024, "value": "1"}).status_code == 404


def test_initiative_list_uses_the_shared_filters(ui, planner_a, city, muni_a):
    make_initiative(muni_a, "태양광 보급", "Solar rollout", target="7.2")
    client = ui(planner_a)
    url = reverse("initiatives:list", args=["11260"])
    assert len(client.get(url).context["initiatives"]) == 2
    assert [i.title_en for i in client.get(url, {"q": "Solar"}).context["initiatives"]] == ["Solar rollout"]
    assert [i.title_en for i in client.get(url, {"q": "태양광"}).context["initiatives"]] == ["Solar rollout"]
    assert [i.title_en for i in client.get(url, {"goal": 11}).context["initiatives"]] == ["Fine dust reduction"]


def test_planner_creates_an_initiative_with_a_primary_and_other_targets(ui, planner_a, muni_a):
    other = Target.objects.get(code="3.9")
    response = ui(planner_a).post(reverse("initiatives:create", args=["11260"]), {
        "title_ko": "전기버스 도입", "title_en": "Electric buses", "kind": "project", "status": "ongoing",
        "primary_target": "11.6", "targets": [other.pk], "budget_krw": "500000000",
    })
    assert response.status_code == 302
    initiative = Initiative.objects.get(title_en="Electric buses")
    links = {(link.target.code, link.is_primary) for link in initiative.target_links.all()}
    assert links == {("11.6", True), ("3.9", False)}
    assert initiative.municipality == muni_a


def test_initiative_form_errors_are_in_both_languages(ui, planner_a, muni_a):
    response = ui(planner_a).post(reverse("initiatives:create", args=["11260"]), {
        "kind": "project", "status": "ongoing", "primary_target": "99.9",
        "start_date": "2024-05-01", "end_date": "2024-01-01",
    })
    page = html(response)
    assert response.status_code == 200
    assert "목록에 없는 세부목표입니다. 목록에서 고르세요 / not an SDG target: choose one from the list" in page
    assert "국문 또는 영문 제목이 필요합니다 / a Korean or English title is required" in page
    assert "종료일은 시작일 이후여야 합니다 / end date must not be before start date" in page


def test_target_picker_searches_korean_and_english_titles(ui, planner_a):
    client = ui(planner_a)
    korean = client.get(reverse("sdg:target_search"), {"q": "대기"}).context["results"]
    english = client.get(reverse("sdg:target_search"), {"q": "air quality"}).context["results"]
    assert "11.6" in {t.code for t in korean}
    assert "11.6" in {t.code for t in english}
    assert [t.code for t in client.get(reverse("sdg:target_search"), {"q": "16.b"}).context["results"]] == ["16.b"]


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


def test_gap_matrix_flags_targets_without_measurement_or_initiative(ui, planner_a, city, muni_a):
    make_initiative(muni_a, "기후 교육", "Climate education", target="13.3")
    make_indicator(muni_a, "L-3", target="3.6", direction=-1, values=((2015, 9.1), (2019, 9.3), (2023, 9.8)),
                   target_value=4.55)
    response = ui(planner_a).get(reverse("reports:gap_matrix", args=["11260"]))
    rows = {r.target.code: r for r in response.context["rows"]}
    assert rows["13.3"].unmeasured and not rows["11.6"].unmeasured
    assert rows["3.6"].deteriorating_unaddressed
    assert rows["11.6"].budget == 1_000_000 and [g.code for g in rows["11.6"].groups] == ["older_people"]
    flagged = ui(planner_a).get(reverse("reports:gap_matrix", args=["11260"]), {"only": "flags"}).context["rows"]
    assert {r.target.code for r in flagged} == {"13.3", "3.6", "7.2"}  # L-2 (7.2) falls too

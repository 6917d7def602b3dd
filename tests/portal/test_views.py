"""The cross-app pages: where "/" leads, the switcher, the dashboard, the network grid, the
goal page and the gap matrix."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.evidence.choices import LinkStatus
from tests.factories import make_initiative
from tests.ui.conftest import pm25

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


def test_municipality_switcher_lists_only_the_users_municipalities(ui, coordinator, muni_a, muni_b):
    client = ui(coordinator)
    page = html(client.get("/m/11260/"))
    assert 'value="11260"' in page and 'value="41210"' in page and 'value="41450"' not in page
    assert (
        client.post(reverse("core:switch_municipality"), {"municipality": "41210"})["Location"] == "/m/41210/"
    )
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


def test_gap_matrix_flags_targets_without_measurement_or_initiative(ui, planner_a, city, muni_a):
    make_initiative(
        muni_a, "기후 교육", title_en="Climate education", targets=("13.3",), groups=("older_people",)
    )
    pm25(muni_a, "L-3", {2015: 9.1, 2019: 9.3, 2023: 9.8}, targets=("3.6",), target_value=4.55)
    response = ui(planner_a).get(reverse("reports:gap_matrix", args=["11260"]))
    rows = {r.target.code: r for r in response.context["rows"]}
    assert rows["13.3"].unmeasured and not rows["11.6"].unmeasured
    assert rows["3.6"].deteriorating_unaddressed
    assert rows["11.6"].budget == 1_000_000 and [g.code for g in rows["11.6"].groups] == ["older_people"]
    flagged = (
        ui(planner_a).get(reverse("reports:gap_matrix", args=["11260"]), {"only": "flags"}).context["rows"]
    )
    assert {r.target.code for r in flagged} == {"13.3", "3.6", "7.2"}  # L-2 (7.2) falls too


def test_network_grid_pages_through_100_municipalities_and_filters_by_province(
    ui, coordinator_all, muni_a, muni_b
):
    from apps.portal.scale import scale_data_generate
    from tests.factories import make_indicator

    scale_data_generate(
        municipalities=100, indicators=1, years=2, series=1, initiatives=0, documents=0, evidence=0
    )
    make_indicator(muni_a, "N1", {2015: 1.0, 2020: 2.0})
    make_indicator(muni_b, "N2", {2015: 1.0, 2020: 2.0})
    client = ui(coordinator_all)
    first = client.get(reverse("municipalities:network"))
    second = client.get(reverse("municipalities:network"), {"page": 2})
    shown = [m.code for m, _ in first.context["rows"]] + [m.code for m, _ in second.context["rows"]]
    assert len(first.context["rows"]) == 100 and len(shown) == len(set(shown)) == 102
    assert "2쪽 중 1쪽 (지자체 102곳)" in html(first)  # Korean is the working language
    # 100 cities side by side are no comparison: it waits for a province (at national scale it
    # listed thousands of rows, 7 s and 2.6 MB a page).
    assert first.context["comparisons"] is None and "시·도를 고르면" in html(first)
    province = muni_a.parent
    filtered = client.get(reverse("municipalities:network"), {"province": province.code})
    assert [m.code for m, _ in filtered.context["rows"]] == ["11260"]
    assert filtered.context["comparisons"] == []
    assert f'<option value="{province.code}" selected>' in html(filtered)


def test_network_cells_are_coloured_by_the_status_most_indicators_have_and_say_it_in_words(
    ui, coordinator, muni_a
):
    from tests.factories import make_indicator

    for code in ("W1", "W2"):  # deteriorating: falling against a rising target
        make_indicator(muni_a, code, {2015: 10.0, 2020: 8.0}, target_year=2030, target_value=20.0)
    make_indicator(muni_a, "W3", {2015: 10.0, 2020: 15.0}, target_year=2030, target_value=20.0)
    response = ui(coordinator).get(reverse("municipalities:network"))
    cells = dict(response.context["rows"])[muni_a]
    assert cells[10].headline == "deterioration" and cells[0].headline is None
    page = html(response)
    assert 'data-status="deterioration"' in page
    assert "SDG 11: 악화; 평가된 3개 중 1개 순항 또는 달성 (지표 3개)" in page

"""Indicator pages over real HTTP with CSRF enforced, as a browser posts them: create, edit and
retire an indicator (every field, SDG alignment from the shared picker), add, warn, delete and
restore values, the history, and who may do what (404 unseen city, 403 seen but not editable)."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from apps.indicators.choices import Alignment
from apps.indicators.models import IndicatorAlignment, LocalIndicator, Observation
from apps.indicators.services import indicator_retire, observation_create, observation_update
from apps.sdg.models import Target

from .conftest import pm25

pytestmark = pytest.mark.django_db


class Browser:
    """A logged-in client that refuses posts without the CSRF token, and takes the token from
    the form page it fetched first, as a browser does."""

    def __init__(self, user):
        self.client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="ko")
        self.client.force_login(user)
        self.token = None

    def get(self, url, data=None):
        response = self.client.get(url, data)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content)
        if match:
            self.token = match.group(1).decode()
        return response

    def post(self, url, data, **extra):
        return self.client.post(url, {**data, "csrfmiddlewaretoken": self.token}, **extra)

    def submit(self, url, data, **extra):
        """Fetch the page at ``url`` (for its token), then post ``data`` to it."""
        self.get(url)
        return self.post(url, data, **extra)


def page(response) -> str:
    return html.unescape(response.content.decode())


def indicator_data(**overrides) -> dict:
    return {
        "code": "L-11.2.1",
        "name_ko": "대중교통 이용률",
        "name_en": "Public transport share",
        "unit": "%",
        "direction": "1",
        "baseline_year": "2015",
        "baseline_value": "6",
        "target_year": "2030",
        "target_value": "9",
        "target_note": "지속 확대",
        "data_source": "교통 통계",
        "department": "교통과",
        "definition": "대중교통 통행 / 전체 통행",
        "is_public": "on",
        **overrides,
    }


@pytest.fixture
def indicator(muni_a):
    """L-7: a 'higher is better' share with values 6, 6.5, 7 (2015, 2019, 2023), in %."""
    ind = pm25(
        muni_a, "L-7", {2015: 6.0, 2019: 6.5, 2023: 7.0}, targets=("11.6",), direction=1, target_value=9.0
    )
    ind.unit = "%"
    ind.save()
    return ind


def detail(ind) -> str:
    return reverse("indicators:detail", args=[ind.municipality.code, ind.pk])


# ------------------------------------------------------------------------------ create / edit


def test_planner_creates_an_indicator_with_every_field_and_two_targets(planner_a, muni_a):
    t1, t2 = Target.objects.get(code="11.2"), Target.objects.get(code="3.6")
    response = Browser(planner_a).submit(
        reverse("indicators:create", args=["11260"]), {**indicator_data(), "targets": [t1.pk, t2.pk]}
    )
    ind = LocalIndicator.objects.get(municipality=muni_a, code="L-11.2.1")
    assert response.status_code == 302 and response["Location"] == detail(ind)
    assert (ind.name_ko, ind.name_en, ind.unit, ind.direction) == (
        "대중교통 이용률",
        "Public transport share",
        "%",
        1,
    )
    assert (ind.baseline_year, ind.baseline_value, ind.target_year, ind.target_value) == (
        2015,
        6.0,
        2030,
        9.0,
    )
    assert (ind.target_note, ind.data_source, ind.department, ind.is_public) == (
        "지속 확대",
        "교통 통계",
        "교통과",
        True,
    )
    assert sorted(a.target.code for a in ind.alignments.all()) == ["11.2", "3.6"]
    assert ind.history.get().history_user == planner_a
    assert IndicatorAlignment.history.filter(local_indicator_id=ind.pk, history_user=planner_a).count() == 2


def test_a_post_without_the_csrf_token_is_refused(planner_a, muni_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(planner_a)
    response = client.post(reverse("indicators:create", args=["11260"]), indicator_data())
    assert response.status_code == 403
    assert not LocalIndicator.objects.filter(code="L-11.2.1").exists()


def test_indicator_form_errors_are_bilingual_and_nothing_is_saved(planner_a, muni_a, indicator):
    response = Browser(planner_a).submit(
        reverse("indicators:create", args=["11260"]),
        indicator_data(code="L-7", target_year="2010", name_ko="", name_en=""),
    )
    text = page(response)
    assert response.status_code == 200
    assert (
        "이 지자체에 같은 코드의 지표가 있습니다 / indicator code already used in this municipality" in text
    )
    assert "목표 연도는 기준 연도 이후여야 합니다 / target year must be after baseline year" in text
    assert "국문 또는 영문 지표명이 필요합니다 / a Korean or English name is required" in text
    assert LocalIndicator.objects.filter(municipality=muni_a).count() == 1


def test_editing_keeps_the_kind_of_a_kept_target_and_adds_new_ones_as_proxy(planner_a, indicator):
    IndicatorAlignment.objects.filter(local_indicator=indicator).update(alignment=Alignment.EXACT)
    browser = Browser(planner_a)
    url = reverse("indicators:edit", args=["11260", indicator.pk])
    form = browser.get(url)
    assert form.context["form"]["targets"].value() == [Target.objects.get(code="11.6").pk]
    data = indicator_data(
        code="L-7",
        unit="%",
        department="환경과",
        targets=[Target.objects.get(code="11.6").pk, Target.objects.get(code="3.9").pk],
    )
    assert browser.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert indicator.department == "환경과"
    assert {a.target.code: a.alignment for a in indicator.alignments.all()} == {
        "11.6": "exact",
        "3.9": "proxy",
    }


def test_picker_offers_every_target_as_a_plain_select_without_javascript(planner_a):
    text = page(Browser(planner_a).get(reverse("indicators:create", args=["11260"])))
    select = re.search(
        r'<select name="targets"[^>]*data-picker="multiple"[^>]*>(.*?)</select>', text, re.DOTALL
    )
    assert select, "the picker is a native multi-select"
    assert select.group(1).count("<option") == Target.objects.count()
    assert "11.6 " in select.group(
        1
    ) and "reduce the adverse per capita environmental impact" in select.group(1)
    assert 'src="/static/js/picker.js"' in text


def test_the_goal_page_offers_to_add_an_indicator_for_each_target_preselected(planner_a):
    browser = Browser(planner_a)
    goal = page(browser.get(reverse("sdg:goal", args=["11260", 11])))
    link = reverse("indicators:create", args=["11260"]) + "?target=11.6"
    assert f'href="{link}"' in goal
    form = browser.get(link).context["form"]
    assert form["targets"].value() == [Target.objects.get(code="11.6").pk]


def test_dashboard_and_list_lead_planners_to_the_indicator_form(planner_a, indicator):
    browser = Browser(planner_a)
    create = reverse("indicators:create", args=["11260"])
    assert f'href="{create}"' in page(browser.get(reverse("municipalities:dashboard", args=["11260"])))
    listing = browser.get(reverse("indicators:list", args=["11260"]))
    assert f'href="{create}"' in page(listing)
    assert f'href="{reverse("indicators:edit", args=["11260", indicator.pk])}"' in page(listing)
    assert [r.indicator.code for r in listing.context["active"]] == ["L-7"]


def test_the_list_filters_by_korean_and_english_words(planner_a, indicator, muni_a):
    pm25(muni_a, "L-2", targets=("7.2",))
    url = reverse("indicators:list", args=["11260"])
    browser = Browser(planner_a)
    assert [r.indicator.code for r in browser.get(url, {"q": "PM2.5 L-2"}).context["active"]] == ["L-2"]
    assert [r.indicator.code for r in browser.get(url, {"q": "초미세먼지 농도 L-7"}).context["active"]] == [
        "L-7"
    ]


# ------------------------------------------------------------------------------ retire


def test_retire_asks_for_confirmation_then_keeps_values_and_history(planner_a, indicator):
    browser = Browser(planner_a)
    url = reverse("indicators:retire", args=["11260", indicator.pk])
    confirm = page(browser.get(url))
    assert "값 3건과 변경 이력은 남지만" in confirm and "예, 이 지표를 폐지합니다" in confirm
    indicator.refresh_from_db()
    assert indicator.retired_at is None, "a GET retires nothing"
    assert browser.post(url, {})["Location"] == detail(indicator)
    indicator.refresh_from_db()
    assert indicator.is_retired and indicator.observations.count() == 3
    assert indicator.history.first().history_change_reason == "retired"
    shown = browser.get(detail(indicator))
    assert "폐지됨" in page(shown) and "지표를 폐지했습니다." in page(shown)
    assert shown.context["add_form"] is None, "a retired indicator takes no new values"
    listing = browser.get(reverse("indicators:list", args=["11260"])).context
    assert listing["active"] == [] and [r.indicator.pk for r in listing["retired"]] == [indicator.pk]
    dashboard = browser.get(reverse("municipalities:dashboard", args=["11260"])).context
    assert dashboard["indicator_count"] == 0
    edit = browser.get(reverse("indicators:edit", args=["11260", indicator.pk]))
    assert edit.status_code == 302 and edit["Location"] == detail(indicator)


def test_a_retired_indicator_can_be_reinstated(planner_a, indicator):
    browser = Browser(planner_a)
    url = reverse("indicators:retire", args=["11260", indicator.pk])
    browser.submit(url, {})
    assert "지표 복원" in page(browser.get(url))
    browser.post(url, {"reinstate": "1"})
    indicator.refresh_from_db()
    assert not indicator.is_retired


# ------------------------------------------------------------------------------ values


def test_adding_a_value_shows_the_new_status_in_header_and_table_and_says_saved(planner_a, muni_a):
    ind = pm25(muni_a, "L-9", {2015: 10.0}, direction=1, target_value=20.0)
    browser = Browser(planner_a)
    before = browser.get(detail(ind))
    assert before.context["result"].status == "insufficient_data"
    response = browser.post(
        detail(ind),
        {"year": "2023", "quarter": "0", "value": "8", "sex": "", "disability": ""},
        HTTP_HX_REQUEST="true",
        follow=True,
    )
    text = page(response)
    status = response.context["result"].status
    assert status == "deterioration"
    header = re.search(r'<dl class="facts-list">.*?</dl>', text, re.DOTALL).group(0)
    table = re.search(r'<table class="numbers">.*?</table>', text, re.DOTALL).group(0)
    label = "악화"
    assert label in header and label in table
    # The message is rendered inside <main>, which is what the page's htmx swaps in.
    main = re.search(r'<main id="main".*?</main>', text, re.DOTALL).group(0)
    assert "값을 저장했습니다: 2023 = 8" in main
    assert 'hx-target="#main" hx-select="#main"' in text


def test_a_value_far_outside_the_series_is_saved_only_when_confirmed(planner_a, indicator):
    browser = Browser(planner_a)
    browser.get(detail(indicator))
    data = {"year": "2024", "quarter": "0", "value": "1,234", "sex": "", "disability": ""}
    warned = browser.post(detail(indicator), data)
    assert warned.status_code == 200
    assert "1,234 is far outside the other values of this series (6–7)" in page(warned)
    assert "확인했습니다: 이 값 그대로 저장" in page(warned)
    assert not Observation.objects.filter(local_indicator=indicator, year=2024).exists()
    assert browser.post(detail(indicator), {**data, "confirm": "on"}).status_code == 302
    assert Observation.objects.get(local_indicator=indicator, year=2024).value == 1234


def test_a_corrected_value_needs_no_confirmation(planner_a, indicator):
    browser = Browser(planner_a)
    browser.get(detail(indicator))
    data = {"year": "2024", "quarter": "0", "value": "1,234", "sex": "", "disability": ""}
    browser.post(detail(indicator), data)
    assert browser.post(detail(indicator), {**data, "value": "7.2"}).status_code == 302
    assert Observation.objects.get(local_indicator=indicator, year=2024).value == 7.2


def test_a_year_before_the_baseline_and_a_different_unit_are_questioned(planner_a, indicator):
    browser = Browser(planner_a)
    browser.get(detail(indicator))
    text = page(
        browser.post(
            detail(indicator),
            {"year": "2012", "quarter": "0", "value": "6.2 명", "sex": "", "disability": ""},
        )
    )
    assert "2012 is before the baseline year (2015)" in text
    assert "the unit typed, '명', is not the indicator's unit, '%'" in text
    assert not Observation.objects.filter(local_indicator=indicator, year=2012).exists()
    assert (
        browser.post(
            detail(indicator), {"year": "2024", "quarter": "0", "value": "7.1 %", "sex": "", "disability": ""}
        ).status_code
        == 302
    )


def test_a_value_of_a_retired_indicator_is_not_deleted_from_its_page(planner_a, indicator):
    obs = indicator.observations.get(year=2019)
    url = reverse("indicators:observation_delete", args=["11260", indicator.pk, obs.pk])
    browser = Browser(planner_a)
    browser.get(url)  # the confirm page, opened before the indicator was retired
    indicator_retire(indicator=indicator, actor=planner_a)
    response = browser.post(url, {})
    assert response.status_code == 302 and response["Location"] == detail(indicator) + "#history"
    assert Observation.objects.filter(pk=obs.pk).exists()
    assert "폐지된 지표에는 값을 넣거나 그 값을 바꿀 수 없습니다" in page(browser.get(detail(indicator)))


def test_delete_asks_for_confirmation_and_history_restores_the_value(planner_a, indicator):
    browser = Browser(planner_a)
    obs = indicator.observations.get(year=2019)
    url = reverse("indicators:observation_delete", args=["11260", indicator.pk, obs.pk])
    assert "2019년 값 6.5을(를) 삭제할까요?" in page(browser.get(url))
    assert Observation.objects.filter(pk=obs.pk).exists(), "a GET deletes nothing"
    browser.post(url, {})
    assert not Observation.objects.filter(pk=obs.pk).exists()
    shown = browser.get(detail(indicator))
    deleted = next(h for h in shown.context["history"] if h.kind == "observation" and h.action == "-")
    assert deleted.who == "planner_a" and deleted.subject == "2019" and deleted.restorable
    assert "이 버전으로 복원" in page(shown)
    browser.post(
        reverse("indicators:history_restore", args=["11260", indicator.pk]),
        {"kind": "observation", "history_id": deleted.history_id},
    )
    restored = Observation.objects.get(pk=obs.pk)
    assert restored.value == 6.5 and restored.year == 2019


def test_history_shows_who_changed_a_value_and_restores_the_previous_one(planner_a, indicator):
    obs = observation_create(indicator=indicator, fields={"year": 2024, "value": 7.0}, actor=planner_a)
    observation_update(observation=obs, fields={"value": 7.4}, actor=planner_a)
    browser = Browser(planner_a)
    history = browser.get(detail(indicator)).context["history"]
    changed = next(h for h in history if h.kind == "observation" and h.action == "~")
    assert changed.who == "planner_a" and ("value", 7.0, 7.4) in changed.changes
    assert "값: 7 → 7.4" in page(browser.get(detail(indicator)))
    original = next(h for h in history if h.kind == "observation" and h.action == "+")
    assert original.restorable and not changed.restorable, "the newest version is what the table shows"
    browser.post(
        reverse("indicators:history_restore", args=["11260", indicator.pk]),
        {"kind": "observation", "history_id": original.history_id},
    )
    obs.refresh_from_db()
    assert obs.value == 7.0
    assert Observation.history.filter(id=obs.pk).first().history_change_reason.startswith("restored ")


def test_history_restores_an_earlier_version_of_the_indicator(planner_a, indicator):
    browser = Browser(planner_a)
    browser.submit(
        reverse("indicators:edit", args=["11260", indicator.pk]),
        {
            **indicator_data(code="L-7", unit="%", department="환경과"),
            "targets": [Target.objects.get(code="11.6").pk],
        },
    )
    history = browser.get(detail(indicator)).context["history"]
    edited, before_edit = [h for h in history if h.kind == "indicator"][:2]
    assert ("department", "", "환경과") in edited.changes and not edited.restorable and before_edit.restorable
    assert "담당 부서: – → 환경과" in page(browser.get(detail(indicator)))
    browser.post(
        reverse("indicators:history_restore", args=["11260", indicator.pk]),
        {"kind": "indicator", "history_id": before_edit.history_id},
    )
    indicator.refresh_from_db()
    assert indicator.department == "" and indicator.name_en == "PM2.5 L-7"


def test_the_unit_of_an_indicator_with_values_is_not_relabelled(planner_a, indicator):
    response = Browser(planner_a).submit(
        reverse("indicators:edit", args=["11260", indicator.pk]),
        {**indicator_data(code="L-7", unit="천명"), "targets": [Target.objects.get(code="11.6").pk]},
    )
    assert response.status_code == 200
    assert "3 stored value(s) are in '%'; the unit of an indicator with values is not changed" in page(
        response
    )
    indicator.refresh_from_db()
    assert indicator.unit == "%"


def test_restoring_a_version_of_another_indicator_is_refused(planner_a, indicator, muni_a):
    other = pm25(muni_a, "L-8")
    observation_update(observation=other.observations.first(), fields={"value": 30.0}, actor=planner_a)
    foreign = Observation.history.filter(local_indicator_id=other.pk).first()
    browser = Browser(planner_a)
    browser.get(detail(indicator))
    response = browser.post(
        reverse("indicators:history_restore", args=["11260", indicator.pk]),
        {"kind": "observation", "history_id": foreign.history_id},
        follow=True,
    )
    assert "not a version of a value of this indicator" in page(response)


# ------------------------------------------------------------------------------ who may


def _write_urls(ind, obs) -> list[str]:
    code = ind.municipality.code
    return [
        reverse("indicators:create", args=[code]),
        reverse("indicators:edit", args=[code, ind.pk]),
        reverse("indicators:retire", args=[code, ind.pk]),
        reverse("indicators:observation_delete", args=[code, ind.pk, obs.pk]),
    ]


def test_another_citys_planner_finds_nothing(planner_b, indicator):
    """Unpublished indicators of another city do not exist for them (404); creating in a city
    they do not plan for is refused (403), as in the API."""
    obs = indicator.observations.first()
    browser = Browser(planner_b)
    browser.get(reverse("indicators:list", args=["41210"]))  # their own city: a token to post with
    listing = browser.get(reverse("indicators:list", args=["11260"]))  # public indicators only: none
    assert listing.context["active"] == [] and "새 지표" not in page(listing)
    assert browser.get(detail(indicator)).status_code == 404
    create, *others = _write_urls(indicator, obs)
    assert (
        browser.get(create).status_code == 403 and browser.post(create, indicator_data()).status_code == 403
    )
    for url in others:
        assert browser.get(url).status_code == 404, url
        assert browser.post(url, {}).status_code == 404, url
    restore = reverse("indicators:history_restore", args=["11260", indicator.pk])
    assert browser.post(restore, {"kind": "indicator", "history_id": "1"}).status_code == 404
    indicator.refresh_from_db()
    assert not indicator.is_retired and indicator.observations.count() == 3


def test_a_coordinator_reads_but_may_not_write(coordinator, indicator):
    obs = indicator.observations.first()
    browser = Browser(coordinator)
    shown = browser.get(detail(indicator))
    assert shown.status_code == 200 and shown.context["add_form"] is None and shown.context["history"] == []
    assert "지표 편집" not in page(shown) and "지표 폐지" not in page(shown)
    listing = browser.get(reverse("indicators:list", args=["11260"]))
    assert listing.status_code == 200 and "새 지표" not in page(listing)
    for url in _write_urls(indicator, obs):
        assert browser.get(url).status_code == 403, url
        assert browser.post(url, {}).status_code == 403, url
    restore = reverse("indicators:history_restore", args=["11260", indicator.pk])
    assert browser.post(restore, {"kind": "indicator", "history_id": "1"}).status_code == 403
    assert browser.post(detail(indicator), {"year": "2024", "value": "7"}).status_code == 404
    indicator.refresh_from_db()
    assert not indicator.is_retired and indicator.observations.count() == 3


def test_anonymous_visitors_see_public_indicators_only_and_may_not_write(indicator, muni_a):
    public = pm25(muni_a, "L-P", is_public=True)
    client = Client(enforce_csrf_checks=True)
    listing = client.get(reverse("indicators:list", args=["11260"]))
    assert [r.indicator.pk for r in listing.context["active"]] == [public.pk]
    assert client.get(detail(indicator)).status_code == 404
    assert client.get(reverse("indicators:create", args=["11260"])).status_code == 403


def test_the_indicator_pages_speak_english_on_request(planner_a, indicator):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(planner_a)
    form = page(client.get(reverse("indicators:create", args=["11260"])))
    for label in (
        "Indicator code",
        "Name (Korean)",
        "Baseline year",
        "Aligned SDG targets",
        'data-label-search="Search by code, Korean or English words"',
        'data-label-remove="Remove"',
    ):
        assert label in form, label
    assert "지표 코드" not in form and "선택한 항목" not in form
    shown = page(client.get(detail(indicator)))
    for label in ("Edit indicator", "Retire indicator", "History", "Add value"):
        assert label in shown, label
    assert "지표 편집" not in shown and "변경 이력" not in shown

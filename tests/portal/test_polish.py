"""Issue 15, items 6-7 and the review queue: every label in the active language, times in the
user's time zone, bilingual error pages, absolute e-mail links, favicon and print stylesheet."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from apps.core.filtersets import localize_filter_form
from apps.indicators.templatetags.progress import progress_note, status_badge
from apps.initiatives.filtersets import InitiativeFilterSet
from apps.initiatives.models import Initiative, PopulationGroup
from apps.sdg.models import Target
from apps.vlr.models import EditionTransition
from apps.vlr.services import edition_create, edition_transition

pytestmark = pytest.mark.django_db

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def english(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


# ------------------------------------------------------------------ review queue


def test_network_page_lists_editions_waiting_for_review_with_waiting_since(
    ui, coordinator, planner_a, planner_b, muni_a, muni_b, muni_c, planner_c
):
    submitted = edition_create(municipality=muni_a, year=2025, actor=planner_a)
    edition_transition(edition=submitted, action="submit", actor=planner_a)
    sent_back = edition_create(municipality=muni_b, year=2025, actor=planner_b)
    edition_transition(edition=sent_back, action="submit", actor=planner_b)
    edition_transition(edition=sent_back, action="request_changes", actor=coordinator, comment="보완")
    draft = edition_create(municipality=muni_a, year=2024, actor=planner_a)
    out_of_scope = edition_create(municipality=muni_c, year=2025, actor=planner_c)
    edition_transition(edition=out_of_scope, action="submit", actor=planner_c)
    # The submission waited since 2026-12-01 09:30 UTC = 18:30 in Seoul.
    EditionTransition.objects.filter(edition=submitted, to_status="submitted").update(
        at=datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)
    )

    html = ui(coordinator).get(reverse("municipalities:network")).content.decode()
    queue = html.split('id="review-queue-title"')[1].split("</section>")[0]
    assert reverse("vlr:edition", args=[submitted.pk]) in queue
    assert reverse("vlr:edition", args=[sent_back.pk]) in queue
    assert reverse("vlr:edition", args=[draft.pk]) not in queue
    assert reverse("vlr:edition", args=[out_of_scope.pk]) not in queue
    assert "제출됨" in queue and "수정 요청" in queue
    assert "2026-12-01 18:30 KST" in queue
    # Oldest wait first.
    assert queue.index(reverse("vlr:edition", args=[submitted.pk])) < queue.index(
        reverse("vlr:edition", args=[sent_back.pk])
    )


def test_review_queue_query_count_does_not_grow_with_the_queue(
    ui, coordinator, planner_a, planner_b, muni_a, muni_b
):
    client = ui(coordinator)
    url = reverse("municipalities:network")
    client.get(url)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    edition_transition(
        edition=edition_create(municipality=muni_a, year=2025, actor=planner_a),
        action="submit",
        actor=planner_a,
    )
    one = queries()
    for year in (2021, 2022, 2023):
        edition_transition(
            edition=edition_create(municipality=muni_b, year=year, actor=planner_b),
            action="submit",
            actor=planner_b,
        )
    assert queries() == one


# ------------------------------------------------------------------ labels in the active language


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_filter_form_labels_and_ordering_choices_are_in_one_language(lang):
    with translation.override(lang):
        filterset = InitiativeFilterSet({})
        localize_filter_form(filterset)
        texts = []
        for field in filterset.form.fields.values():
            texts.append(str(field.label))
            texts += [str(label) for _, label in getattr(field, "choices", [])]
    joined = " | ".join(texts)
    assert " / " not in joined
    assert "Title ko" not in joined and "Status" not in joined if lang == "ko" else True
    if lang == "ko":
        assert "제목 (국문) (내림차순)" in texts and "상태" in texts and "추진 중" in texts
        assert "descending" not in joined
    else:
        assert not HANGUL.search(joined), [t for t in texts if HANGUL.search(t)]
        assert "Title (Korean) (descending)" in texts and "Municipality (descending)" in texts


def test_initiative_list_page_in_english_has_no_korean_filter_labels(planner_a, city):
    html = english(planner_a).get(reverse("initiatives:list", args=["11260"])).content.decode()
    form = html.split('class="filters"', 1)[1].split("</form>")[0]
    labels = re.findall(r"<label[^>]*>(.*?)</label>", form, re.DOTALL)
    options = re.findall(r"<option[^>]*>(.*?)</option>", form, re.DOTALL)
    assert labels and options
    assert not [t for t in labels + options if HANGUL.search(t)]


def test_groups_served_filter_finds_korean_and_english_names(muni_a):
    women = PopulationGroup.objects.get(code="women")
    served = Initiative.objects.create(municipality=muni_a, title_ko="여성 일자리", title_en="Jobs for women")
    served.groups_served.add(women)
    Initiative.objects.create(municipality=muni_a, title_ko="도로", title_en="Roads")
    for value in ("여성", "women", "Women", "WOMEN"):
        filterset = InitiativeFilterSet({"group": value}, queryset=Initiative.objects.all())
        assert filterset.is_valid(), value
        assert list(filterset.qs) == [served], value


def test_weather_words_follow_the_language():
    with translation.override("en"):
        badge = status_badge("deterioration")
        assert "thunderstorm" in badge and "뇌우" not in badge
    with translation.override("ko"):
        assert "뇌우" in status_badge("deterioration")


def test_engine_notes_are_shown_in_korean_on_korean_pages():
    note = "target year 2020 has passed: evaluated up to 2020; x0 = 0 replaced by 0.001 in CAGR; fewer than two data points"
    with translation.override("ko"):
        shown = progress_note(note)
    assert (
        shown
        == "목표 연도 2020년이 지났습니다: 2020년까지로 평가; CAGR 계산에서 x0 = 0을 0.001(으)로 대체; 값이 두 개 미만"
    )
    with translation.override("en"):
        assert progress_note(note) == note


NOTE_SAMPLES = [
    "target year 2020 has passed: evaluated up to 2020",
    "no value for 2015: base is the first year after it (2016)",
    "fewer than two points from 2015: base is the first point (2012)",
    "1 point(s) up to the target year 2015: target year not after the base year",
    "fewer than two data points",
    "target equals base value: p undefined",
    "target equals base value: ratio undefined, growth method used",
    "growth from a base this close to zero overflows: ratio undefined, growth method used",
    "base and latest values differ in sign: growth (CAGR) method does not apply",
    "base and target values differ in sign: growth (CAGR) method does not apply",
    "xT = 0 replaced by 0.001 in CAGR",
    "all values negative: magnitudes used with direction flipped",
    "no data point",
    "binary: condition met earlier, no longer met",
    "binary: not achieved (shown as limited progress)",
]


def test_every_engine_note_has_a_korean_translation():
    """One sample per note the engine writes; a new note in progress.py fails the count."""
    from pathlib import Path

    import apps.indicators.progress as engine

    assert Path(engine.__file__).read_text().count("notes.append(") == 14  # "which" gives two notes
    with translation.override("ko"):
        for sample in NOTE_SAMPLES:
            shown = progress_note(sample)
            assert HANGUL.search(shown) and shown != sample, sample


def test_times_are_shown_in_seoul_time(ui, planner_a, coordinator, city):
    edition = city["edition"]
    edition_transition(edition=edition, action="submit", actor=planner_a)
    edition_transition(edition=edition, action="approve", actor=coordinator)
    edition.refresh_from_db()
    frozen = datetime.datetime.fromisoformat(edition.snapshot["frozen_at"])
    seoul = timezone.localtime(frozen).strftime("%Y-%m-%d %H:%M")
    html = ui(planner_a).get(reverse("vlr:edition", args=[edition.pk])).content.decode()
    assert f"{seoul} KST" in html
    assert edition.snapshot["frozen_at"][:16] not in html or frozen.utcoffset() == datetime.timedelta(hours=9)


def test_a_target_without_korean_text_is_shown_in_english_with_a_marker(ui, planner_a, city):
    target = Target.objects.get(code="11.c")
    assert target.title_ko == ""  # the UN/KOSTAT reference has no Korean for 11.c
    html = ui(planner_a).get(reverse("sdg:goal", args=["11260", 11])).content.decode()
    assert f"{target.title_en} (국문 없음)" in html
    html_en = english(planner_a).get(reverse("sdg:goal", args=["11260", 11])).content.decode()
    assert target.title_en in html_en and "국문 없음" not in html_en


# ------------------------------------------------------------------ error pages, e-mail, favicon, print


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_404_page_is_bilingual_with_navigation(settings, lang):
    settings.DEBUG = False
    response = Client(HTTP_ACCEPT_LANGUAGE=lang).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "페이지를 찾을 수 없습니다" in html and "Page not found" in html
    assert 'href="/public/"' in html and "<nav" in html


def test_500_page_is_bilingual_and_needs_no_database(settings, django_assert_num_queries):
    from django.test import RequestFactory
    from django.views.defaults import server_error

    settings.DEBUG = False
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "서버 오류" in html and "Server error" in html and 'href="/public/"' in html


def test_pages_have_a_favicon_and_a_print_stylesheet(ui, planner_a, city):
    html = ui(planner_a).get(reverse("municipalities:dashboard", args=["11260"])).content.decode()
    assert re.search(r'<link rel="icon" href="/static/favicon\.svg"', html)
    assert re.search(r'<link rel="stylesheet" href="/static/css/print\.css" media="print">', html)


def test_chart_baseline_label_never_sits_on_the_x_axis(ui, planner_a, muni_a):
    """A rising indicator: the baseline is the lowest point, at the bottom of the plot, where a
    label below it overprinted the year labels."""
    from tests.ui.conftest import pm25

    indicator = pm25(muni_a, "L-up", {2015: 10.0, 2019: 15.0, 2023: 20.0}, direction=1, target_value=30.0)
    html = ui(planner_a).get(reverse("indicators:detail", args=["11260", indicator.pk])).content.decode()
    axis_y = float(re.search(r'<line x1="64" x2="696" y1="([\d.]+)" y2="\1" stroke="#6b7280"', html).group(1))
    label_y = float(
        re.search(r'<text x="[\d.]+" y="([\d.-]+)" font-size="12" fill="#111827">기준', html).group(1)
    )
    assert label_y < axis_y - 4


def test_value_form_disaggregation_choices_are_in_one_language(planner_a, city, ui):
    url = reverse("indicators:detail", args=["11260", city["indicators"][0].pk])
    form_en = (
        english(planner_a).get(url).content.decode().split('id="add-observation"', 1)[1].split("</form>")[0]
    )
    options = re.findall(r"<option[^>]*>(.*?)</option>", form_en)
    assert "Female" in options and "Total" in options
    assert not [o for o in options if HANGUL.search(o)]
    form_ko = ui(planner_a).get(url).content.decode().split('id="add-observation"', 1)[1].split("</form>")[0]
    options = re.findall(r"<option[^>]*>(.*?)</option>", form_ko)
    assert "여성" in options and not [o for o in options if " / " in o]


def test_initiative_form_kind_and_status_choices_are_in_one_language(planner_a, city):
    html = english(planner_a).get(reverse("initiatives:create", args=["11260"])).content.decode()
    for name in ("kind", "status"):
        select = html.split(f'name="{name}"', 1)[1].split("</select>")[0]
        options = re.findall(r"<option[^>]*>(.*?)</option>", select)
        assert options and not [o for o in options if HANGUL.search(o) or " / " in o], options

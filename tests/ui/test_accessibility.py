"""Accessibility basics on every page: each form field has a label, actions are real buttons or
links (keyboard-reachable), and colour never carries a status alone (a text label beside it)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from .test_query_counts import PAGES

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields, self.labels_for, self.label_depth = [], set(), 0
        self.clickables, self.badges, self._badge = [], [], None
        self.stack = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "label":
            self.label_depth += 1
            if a.get("for"):
                self.labels_for.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit", "button"):
            self.fields.append((tag, a, self.label_depth > 0))
        if "onclick" in a and tag not in ("button", "a"):
            self.clickables.append((tag, a))
        if tag == "span" and "badge" in (a.get("class") or "").split():
            self._badge = {"attrs": a, "text": ""}
            self.stack.append("badge")
        elif tag == "span" and self._badge is not None:
            self.stack.append("inner")

    def handle_endtag(self, tag):
        if tag == "label":
            self.label_depth -= 1
        if tag == "span" and self.stack:
            kind = self.stack.pop()
            if kind == "badge":
                self.badges.append(self._badge)
                self._badge = None

    def handle_data(self, data):
        if self._badge is not None:
            self._badge["text"] += data


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


@pytest.mark.parametrize("page", [*sorted(PAGES), "initiative_form", "login", "edition_reviewer"])
def test_every_field_is_labelled_and_status_colours_carry_text(ui, planner_a, coordinator, anon, city, page):
    if page == "initiative_form":
        client, url = ui(planner_a), reverse("initiatives:create", args=["11260"])
    elif page == "login":
        client, url = ui(anon), reverse("login")
    elif page == "edition_reviewer":
        from apps.vlr.services import edition_transition

        edition_transition(edition=city["edition"], action="submit", actor=planner_a)
        client, url = ui(coordinator), reverse("vlr:edition", args=[city["edition"].pk])
    else:
        client, url = ui(coordinator if page == "network" else planner_a), PAGES[page](city)
    parsed = parse(client.get(url).content.decode())
    unlabelled = [
        (tag, a.get("name"))
        for tag, a, wrapped in parsed.fields
        if not wrapped
        and a.get("id") not in parsed.labels_for
        and not a.get("aria-label")
        and not a.get("aria-labelledby")
    ]
    assert not unlabelled, f"{page}: fields without a label: {unlabelled}"
    assert not parsed.clickables, f"{page}: click handlers on non-interactive elements"
    for badge in parsed.badges:
        assert badge["text"].strip(), f"{page}: a status colour without text: {badge['attrs']}"


def test_dashboard_status_badges_name_the_status_in_words(ui, planner_a, city):
    parsed = parse(ui(planner_a).get(reverse("municipalities:dashboard", args=["11260"])).content.decode())
    texts = {b["text"].strip() for b in parsed.badges}
    assert texts and all(
        any(word in t for word in ("달성", "순항", "가속", "미흡", "악화", "부족")) for t in texts
    )


def test_workflow_actions_are_buttons_in_forms(ui, planner_a, city):
    html = ui(planner_a).get(reverse("vlr:edition", args=[city["edition"].pk])).content.decode()
    assert '<button type="submit" class="" data-action="submit">' in html
    assert f'action="{reverse("vlr:transition", args=[city["edition"].pk])}"' in html


def test_pages_offer_a_skip_link_and_a_main_landmark(ui, planner_a, city):
    html = ui(planner_a).get(reverse("municipalities:dashboard", args=["11260"])).content.decode()
    assert 'href="#main"' in html and '<main id="main"' in html and '<html lang="ko">' in html

"""No page shows or changes another city's drafts: the API permission table
(tests/api/permission_table.py), mapped onto the UI's views.

A read is allowed on a page exactly when the API answers 200 to the same actor; otherwise the page
answers 404 (or sends an anonymous visitor to log in). A write is carried out exactly when the
API answers 2xx; otherwise nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.indicators.models import Observation
from apps.vlr.models import Comment, Edition
from tests.api import factories
from tests.api.permission_table import ACTOR_FIXTURES, ROWS

from .conftest import client_for

pytestmark = pytest.mark.django_db


def _read(resource, public=False):
    def build(muni):
        if resource == "local-indicator":
            obj = factories.local_indicator(muni, public=public)
            return reverse("indicators:detail", args=[muni.code, obj.pk])
        if resource == "initiative":
            obj = factories.initiative(muni, public=public)
            return reverse("initiatives:detail", args=[muni.code, obj.pk])
        if resource == "document":
            obj = factories.document(muni, public=public)
            return reverse("evidence:document", args=[obj.pk])
        if resource == "edition":
            obj = factories.edition(muni, state="published" if public else "draft")
            return reverse("vlr:edition", args=[obj.pk])
        raise KeyError(resource)

    return build


READS = {
    ("local-indicator", "retrieve"): _read("local-indicator"),
    ("local-indicator:public", "retrieve"): _read("local-indicator", public=True),
    ("initiative", "retrieve"): _read("initiative"),
    ("initiative:public", "retrieve"): _read("initiative", public=True),
    ("document", "retrieve"): _read("document"),
    ("document:public", "retrieve"): _read("document", public=True),
    ("edition", "retrieve"): _read("edition"),
    ("edition:published", "retrieve"): _read("edition", public=True),
}


def _observation_create(muni, client):
    indicator = factories.local_indicator(muni)
    client.post(
        reverse("indicators:detail", args=[muni.code, indicator.pk]),
        {"year": 2021, "quarter": 0, "value": "2.5", "sex": "", "disability": ""},
    )
    return Observation.objects.filter(local_indicator=indicator, year=2021).exists()


def _observation_update(muni, client):
    obs = factories.observation(muni)
    client.post(
        reverse("indicators:detail", args=[muni.code, obs.local_indicator_id]),
        {
            "observation": obs.pk,
            "edit-year": obs.year,
            "edit-quarter": 0,
            "edit-value": "9.5",
            "edit-sex": "",
            "edit-disability": "",
        },
    )
    obs.refresh_from_db()
    return obs.value == 9.5


def _initiative_create(muni, client):
    client.post(
        reverse("initiatives:create", args=[muni.code]),
        {"title_ko": "새 사업", "kind": "programme", "status": "planned", "primary_target": "11.6"},
    )
    return muni.initiatives.filter(title_ko="새 사업").exists()


def _initiative_update(muni, client):
    item = factories.initiative(muni)
    client.post(
        reverse("initiatives:edit", args=[muni.code, item.pk]),
        {"title_ko": "바뀐 제목", "kind": "programme", "status": "planned", "primary_target": "11.6"},
    )
    item.refresh_from_db()
    return item.title_ko == "바뀐 제목"


def _transition(state, action, comment=""):
    def run(muni, client):
        edition = factories.edition(muni, state=state)
        client.post(
            reverse("vlr:transition", args=[edition.pk]),
            {"action": action, "confirmed": "yes", f"{action}-comment": "사유" if comment else ""},
        )
        return Edition.objects.get(pk=edition.pk).status != state

    return run


def _section_update(state):
    def run(muni, client):
        edition = factories.edition(muni, state=state)
        section = edition.sections.get(code="opening")
        p = f"s{section.pk}"
        client.post(
            reverse("vlr:section", args=[edition.pk, section.pk]),
            {
                f"{p}-title_ko": "발간사",
                f"{p}-title_en": "Opening",
                f"{p}-included": "on",
                f"{p}-body_ko": "새 글",
                f"{p}-body_en": "",
            },
        )
        section.refresh_from_db()
        return section.body_ko == "새 글"

    return run


def _comment_create(muni, client):
    edition = factories.edition(muni)
    client.post(reverse("vlr:comment", args=[edition.pk]), {"body": "의견"})
    return Comment.objects.filter(edition=edition).exists()


WRITES = {
    ("observation", "create"): _observation_create,
    ("observation", "update"): _observation_update,
    ("initiative", "create"): _initiative_create,
    ("initiative", "update"): _initiative_update,
    ("edition@draft", "submit"): _transition("draft", "submit"),
    ("edition@submitted", "approve"): _transition("submitted", "approve"),
    ("edition@submitted", "request_changes"): _transition("submitted", "request_changes", comment=True),
    ("edition@approved", "publish"): _transition("approved", "publish"),
    ("edition-section", "update"): _section_update("draft"),
    ("edition-section@submitted", "update"): _section_update("submitted"),
    ("comment", "create"): _comment_create,
}


def _actor(request, actor):
    return request.getfixturevalue(ACTOR_FIXTURES[actor])


@pytest.mark.parametrize("row", [r for r in ROWS if (r.resource, r.action) in READS], ids=lambda r: r.id)
def test_page_read_follows_the_permission_table(request, row, muni_a):
    url = READS[(row.resource, row.action)](muni_a)
    response = client_for(_actor(request, row.actor)).get(url)
    if row.status == 200:
        if response.status_code == 302:  # a published edition seen from outside: the public page
            assert response["Location"].startswith("/public/vlr/")
        else:
            assert response.status_code == 200
    else:
        assert response.status_code in (404, 302)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("row", [r for r in ROWS if (r.resource, r.action) in WRITES], ids=lambda r: r.id)
def test_page_write_follows_the_permission_table(request, row, muni_a):
    user = _actor(request, row.actor)
    changed = WRITES[(row.resource, row.action)](muni_a, client_for(user))
    assert changed == (200 <= row.status < 300)


@pytest.mark.parametrize("page", ["dashboard", "initiatives", "goal", "gaps", "vlr", "inbox"])
def test_pages_of_another_city_show_none_of_its_drafts(ui, planner_b, muni_a, page):
    initiative = factories.initiative(muni_a)  # a draft: not public
    indicator = factories.local_indicator(muni_a)
    draft = factories.edition(muni_a)
    url = {
        "dashboard": reverse("municipalities:dashboard", args=["11260"]),
        "initiatives": reverse("initiatives:list", args=["11260"]),
        "goal": reverse("sdg:goal", args=["11260", 11]),
        "gaps": reverse("reports:gap_matrix", args=["11260"]),
        "vlr": reverse("vlr:edition_list", args=["11260"]),
        "inbox": reverse("evidence:inbox", args=["11260"]),
    }[page]
    page_html = ui(planner_b).get(url).content.decode()
    for secret in (
        initiative.title_ko,
        initiative.title_en,
        indicator.name_en,
        indicator.code,
        draft.title_ko,
    ):
        assert secret not in page_html

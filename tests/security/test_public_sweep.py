"""Nothing review-internal or private in anything an anonymous visitor can reach.

One city (중랑구) has a published edition that went through a request for changes, a section
left out of it, review comments, a private indicator (added after the approval, so not part of
what was published) linked to a public initiative and a public one beside it. The sweep then reads, anonymously, every API list endpoint the router
declares with every detail URL of the rows it returns, and every page reachable by following
links from the public entry points (workbooks read back with openpyxl), and looks for the
marked strings of everything that must stay inside.
"""

from __future__ import annotations

import io
import json
import re
from urllib.parse import urldefrag, urlsplit

import openpyxl
import pytest
from django.test import Client
from django.urls import get_resolver, resolve, reverse

from apps.evidence.models import Document, EvidenceLink
from apps.indicators.models import LocalIndicator
from apps.initiatives.models import Initiative, InitiativeTarget
from apps.municipalities.choices import Role
from apps.municipalities.models import CoordinatorScope, Membership
from apps.sdg.models import Target
from apps.vlr.models import Comment, EditionSection
from apps.vlr.services import edition_create, edition_transition
from tests.api.conftest import client_for
from tests.conftest import make_user

SECRETS = {
    "request-changes reason": "SWEEPREASON please redo goal 11",
    "reopen reason": "SWEEPREOPEN",
    "planner username": "sweepplanner",
    "reviewer username": "sweepreviewer",
    "excluded section title": "SWEEPHIDDENTITLE",
    "excluded section body": "SWEEPHIDDENBODY",
    "review comment": "SWEEPCOMMENT",
    "private indicator name": "SWEEPPRIVATENAME",
    "private indicator code": "SWEEPPRIV-1",
    "evidence decision note": "SWEEPDECISIONNOTE",
}


@pytest.fixture
def city(muni_a):
    planner = make_user("sweepplanner")
    Membership.objects.create(user=planner, municipality=muni_a, role=Role.PLANNER)
    reviewer = make_user("sweepreviewer")
    CoordinatorScope.objects.create(user=reviewer, network="sweep").municipalities.set([muni_a])

    public = LocalIndicator.objects.create(
        municipality=muni_a,
        code="SWEEPPUB-1",
        name_ko="공개 지표",
        name_en="Public indicator",
        unit="%",
        is_public=True,
    )
    initiative = Initiative.objects.create(
        municipality=muni_a, title_ko="공개 사업", title_en="Public initiative", is_public=True
    )
    InitiativeTarget.objects.create(
        initiative=initiative, target=Target.objects.get(code="11.6"), is_primary=True
    )
    initiative.local_indicators.set([public])

    # Confirmed evidence on a public document: the decision (who, the note) stays inside.
    document = Document.objects.create(
        municipality=muni_a,
        title="Public news",
        body="공개 기사 본문",
        content_hash="sweep",
        is_public=True,
        created_by=planner,
    )
    EvidenceLink.objects.create(
        document=document,
        municipality=muni_a,
        target=Target.objects.get(code="11.6"),
        status="confirmed",
        decided_by=reviewer,
        note=SECRETS["evidence decision note"],
    )

    edition = edition_create(municipality=muni_a, year=2024, actor=planner)
    section = EditionSection.objects.filter(edition=edition).order_by("order").last()
    section.title_ko = section.title_en = SECRETS["excluded section title"]
    section.body_ko = section.body_en = SECRETS["excluded section body"]
    section.included = False
    section.save()
    Comment.objects.create(edition=edition, author=reviewer, body=SECRETS["review comment"])
    for verb, actor, comment in [
        ("submit", planner, ""),
        ("request_changes", reviewer, SECRETS["request-changes reason"]),
        ("submit", planner, ""),
        ("approve", reviewer, ""),
        ("reopen", reviewer, SECRETS["reopen reason"]),
        ("submit", planner, ""),
        ("approve", reviewer, ""),
        ("publish", reviewer, ""),
    ]:
        edition = edition_transition(edition=edition, action=verb, actor=actor, comment=comment)
    # A published edition shows everything that was approved, whatever the rows' is_public flag
    # (README "Publishing"); ``is_public`` governs the live pages. So the private indicator is one
    # added after the approval, linked to the public initiative: it must stay out of every page.
    private = LocalIndicator.objects.create(
        municipality=muni_a,
        code=SECRETS["private indicator code"],
        name_ko=SECRETS["private indicator name"],
        name_en=SECRETS["private indicator name"],
        unit="%",
        is_public=False,
    )
    initiative.local_indicators.add(private)
    return {"edition": edition, "initiative": initiative, "public_indicator": public, "muni": muni_a}


def _api_list_paths() -> list[str]:
    """Every ``api:<model>-list`` route the router declares (no argument)."""
    api = get_resolver().namespace_dict["api"][1]
    names = sorted(name for name in api.reverse_dict if isinstance(name, str) and name.endswith("-list"))
    return [reverse(f"api:{name}") for name in names]


def _texts(response) -> str:
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return response.content.decode("utf-8", "replace")


def _leaks(text: str) -> list[str]:
    return [what for what, marker in SECRETS.items() if marker in text]


@pytest.mark.django_db
def test_anonymous_api_shows_no_review_internals_or_private_indicators(city):
    client = Client()
    seen: dict[str, list[str]] = {}
    details = 0
    for path in _api_list_paths():
        response = client.get(path, {"page_size": 500})
        assert response.status_code == 200, path
        seen[path] = _leaks(_texts(response))
        for row in response.json().get("results", []):
            key = resolve(path).func.cls.lookup_field
            key = "id" if key == "pk" else key
            detail = client.get(f"{path}{row[key]}/")
            assert detail.status_code == 200, f"{path}{row[key]}/"
            seen[f"{path}{row[key]}/"] = _leaks(_texts(detail))
            details += 1
    edition = city["edition"]
    for extra in (f"/api/v1/editions/{edition.pk}/workbook/",):
        seen[extra] = _leaks(_texts(client.get(extra)))
    assert details >= 5  # the sweep did read the published edition, its sections, the initiative …
    assert {path: leaks for path, leaks in seen.items() if leaks} == {}

    # What the public does read of the edition: the review happened, not who wrote what.
    data = client.get(f"/api/v1/editions/{edition.pk}/").json()
    assert [t["action"] for t in data["transitions"]][-1] == "publish"
    assert all(t["actor"] is None and t["comment"] is None for t in data["transitions"])
    assert data["sections"] and all(s["included"] for s in data["sections"])
    hidden = EditionSection.objects.get(edition=edition, included=False)
    assert client.get(f"/api/v1/edition-sections/{hidden.pk}/").status_code == 404
    assert client.get(f"/api/v1/initiatives/{city['initiative'].pk}/").json()["local_indicators"] == [
        city["public_indicator"].pk
    ]


@pytest.mark.django_db
def test_members_still_read_the_review_internals(city):
    api = client_for
    edition = city["edition"]
    planner = edition.transitions.first().actor
    data = api(planner).get(f"/api/v1/editions/{edition.pk}/").json()
    assert SECRETS["request-changes reason"] in json.dumps(data, ensure_ascii=False)
    assert {t["actor"] for t in data["transitions"]} == {"sweepplanner", "sweepreviewer"}
    assert len(data["sections"]) == EditionSection.objects.filter(edition=edition).count()
    assert (
        len(api(planner).get(f"/api/v1/initiatives/{city['initiative'].pk}/").json()["local_indicators"]) == 2
    )


SKIP = ("/static/", "/admin/", "/accounts/logout/", "/i18n/", "/api/docs/", "/api/redoc/", "/api/schema/")


@pytest.mark.django_db
def test_anonymous_pages_show_no_review_internals_or_private_indicators(city):
    client = Client()
    code = city["muni"].code
    queue = [
        "/",
        "/public/",
        f"/public/vlr/{city['edition'].pk}/",
        f"/m/{code}/",
        f"/m/{code}/initiatives/",
        f"/m/{code}/initiatives/{city['initiative'].pk}/",
        f"/m/{code}/gaps/",
        f"/m/{code}/goals/11/",
        f"/vlr/{city['edition'].pk}/",
    ]
    visited: dict[str, list[str]] = {}
    while queue and len(visited) < 400:
        url = queue.pop(0)
        if url in visited:
            continue
        response = client.get(url, follow=True)
        text = _texts(response)
        visited[url] = _leaks(text) if response.status_code == 200 else []
        if "html" in response.get("Content-Type", ""):
            for href in re.findall(r'href="([^"]+)"', text):
                link = urldefrag(href.replace("&amp;", "&"))[0]
                parts = urlsplit(link)
                if parts.scheme or parts.netloc or not link.startswith("/") or link.startswith(SKIP):
                    continue
                if link not in visited:
                    queue.append(link)
    assert f"/public/vlr/{city['edition'].pk}/" in visited and len(visited) > 20
    assert {url: leaks for url, leaks in visited.items() if leaks} == {}

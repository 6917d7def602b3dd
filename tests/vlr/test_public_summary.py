"""A frozen edition's public page renders from the summary stored at approval
(``Edition.public_summary``, apps.vlr.selectors.public_summary), never from its snapshot
(megabytes at national scale): the same page as from the snapshot, nothing of the review inside
it, a pinned number of queries; an edition frozen before summaries were stored falls back to
the snapshot until ``fill_public_summaries`` stores one."""

from __future__ import annotations

import json
import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.evidence.models import EvidenceLink
from apps.vlr.choices import ReportKind
from apps.vlr.models import Edition, ParticipationRecord
from apps.vlr.services import edition_transition
from tests.factories import make_edition, populate

pytestmark = pytest.mark.django_db


def _frozen(municipality, state, kind=ReportKind.VLR, year=2023):
    """A city with disaggregated indicators, initiatives, private evidence reviewed with an
    internal note, a forum of the period, and its edition moved to ``state``."""
    populate(municipality, 4)
    link = EvidenceLink.objects.filter(municipality=municipality).order_by("pk").first()
    link.note = "내부 검토 메모"
    link.score = 0.123457
    link.save()
    ParticipationRecord.objects.create(
        municipality=municipality,
        kind="forum",
        title="시민 토론회",
        held_on=date(2023, 6, 1),
        participants={"시민": 40, "전문가": 5},
        topics="미세먼지",
    )
    Edition.objects.filter(municipality=municipality).delete()
    return make_edition(municipality, year, kind=kind, state=state)


def _page(client: Client, url: str) -> tuple[str, list[str]]:
    """The page (its per-request CSRF tokens blanked) and the SQL of its queries."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    html = re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*', r"\1", response.content.decode())
    return html, [q["sql"] for q in captured.captured_queries]


def _reads(queries: list[str], column: str) -> int:
    name = connection.ops.quote_name(column)
    return sum(1 for sql in queries if sql.lstrip().upper().startswith("SELECT") and name in sql)


def _reader(request, name: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if name != "anon":
        client.force_login(request.getfixturevalue(name))
    return client


@pytest.mark.parametrize("kind", [ReportKind.VLR, ReportKind.LOCAL_REPORT])
@pytest.mark.parametrize("reader", ["anon", "planner_b", "planner_a", "coordinator"])
def test_the_public_page_from_its_summary_is_the_page_from_its_snapshot(request, reader, kind, muni_a):
    edition = _frozen(muni_a, "published", kind=kind)
    assert Edition.objects.get(pk=edition.pk).public_summary  # stored by the approval
    client = _reader(request, reader)
    url = reverse("vlr:public_edition", args=[edition.pk])
    client.get(url)  # the session and language, as the second request reads them
    stored, queries = _page(client, url)
    assert _reads(queries, "snapshot") == 0 and _reads(queries, "public_summary") == 1
    # The sections' facts are there: the forum and, in a VLR, the indicators with their progress.
    assert "시민 토론회" in stored
    assert kind != ReportKind.VLR or ("L000 " in stored and "L003 " in stored)
    Edition.objects.filter(pk=edition.pk).update(public_summary=None)  # as if frozen before summaries
    from_snapshot, queries = _page(client, url)
    assert _reads(queries, "snapshot") == 1
    assert stored == from_snapshot


def test_the_preview_of_an_approved_edition_reads_its_summary_and_shows_the_same(muni_a, planner_a):
    edition = _frozen(muni_a, "approved")
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    client.force_login(planner_a)
    url = reverse("vlr:preview", args=[edition.pk])
    client.get(url)
    stored, queries = _page(client, url)
    assert _reads(queries, "snapshot") == 0 and 'id="preview-banner"' in stored
    Edition.objects.filter(pk=edition.pk).update(public_summary=None)
    assert _page(client, url)[0] == stored


def test_the_stored_summary_holds_nothing_of_the_review(muni_a):
    edition = _frozen(muni_a, "published")
    summary = Edition.objects.get(pk=edition.pk).public_summary
    text = json.dumps(summary, ensure_ascii=False)
    # No evidence list at all (the goal summaries count the links as approved): no reviewer's
    # note or score, no title, address or excerpt of a private document.
    assert "evidence" not in {key for key in summary if key != "goal_summaries"}
    assert "내부 검토 메모" not in text and "0.123457" not in text
    assert "기사 11260" not in text and "example.org" not in text and "미세먼지를 줄였습니다" not in text
    assert sum(s["evidence"] for s in summary["goal_summaries"]) > 0
    # Nor the values themselves: the page counts them.
    assert all("observations" not in ind for ind in summary["indicators"])
    assert all("points" not in series for ind in summary["indicators"] for series in ind["series"])
    assert summary["observation_count"] > 0


def test_the_public_page_query_count_is_pinned(muni_a, django_assert_num_queries):
    edition = _frozen(muni_a, "published")
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    url = reverse("vlr:public_edition", args=[edition.pk])
    # the edition with its municipality and its stored summary, its included sections
    # (anonymous: no session read)
    with django_assert_num_queries(2):
        client.get(url)
    Edition.objects.filter(pk=edition.pk).update(public_summary=None)
    # + the snapshot, loaded when the summary is missing, and the visibility check of the
    # export data
    with django_assert_num_queries(4):
        client.get(url)


def test_reopening_drops_the_summary_and_approving_again_stores_a_new_one(muni_a, coordinator, planner_a):
    edition = _frozen(muni_a, "published")
    first = Edition.objects.get(pk=edition.pk).public_summary
    edition = edition_transition(edition=edition, action="reopen", actor=coordinator, comment="다시 검토")
    assert Edition.objects.get(pk=edition.pk).public_summary is None
    muni_a.local_indicators.filter(code="L000").update(target_value=99.0)
    for action, actor in (("submit", planner_a), ("approve", coordinator)):
        edition = edition_transition(edition=edition, action=action, actor=actor)
    second = Edition.objects.get(pk=edition.pk).public_summary
    assert second and second != first
    assert second["indicators"][0]["target_value"] == 99.0


def test_fill_public_summaries_stores_what_the_approval_stores_and_names_what_it_leaves(muni_a, muni_b):
    edition = _frozen(muni_a, "published")
    approved = Edition.objects.get(pk=edition.pk).public_summary
    old = make_edition(muni_b, 2023, state="published")
    Edition.objects.filter(pk=edition.pk).update(public_summary=None)
    # An edition frozen before snapshots had their present form: no summary, its page reads
    # the live rows its reader may see.
    Edition.objects.filter(pk=old.pk).update(snapshot={"schema": 0}, public_summary=None)
    out = StringIO()
    call_command("fill_public_summaries", stdout=out)
    assert Edition.objects.get(pk=edition.pk).public_summary == approved
    assert Edition.objects.get(pk=old.pk).public_summary is None
    assert "stored for 1 editions" in out.getvalue()
    assert "1 frozen editions have no snapshot of the present form" in out.getvalue()
    assert Client().get(reverse("vlr:public_edition", args=[old.pk])).status_code == 200

"""Every list endpoint runs a fixed number of queries, whatever the page size.

Each test fills 1 and then 50 rows (or asks for pages of 1 and 50 rows of reference data) and
pins the same count both times with ``django_assert_num_queries``. The requests are made by
``planner_a`` with ``force_authenticate`` (no session or token lookup: add 1 query for a
token, 2 for a session in production).
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.datacalls.models import DataCall
from apps.frameworks.models import FrameworkNode
from apps.indicators.models import LocalIndicator
from apps.initiatives.models import Initiative, PopulationGroup
from apps.sdg.models import Target
from apps.vlr.choices import ReportKind
from apps.vlr.models import (
    AssessmentPanel,
    Comment,
    CycleDate,
    Edition,
    OrdinanceReview,
    ParticipationRecord,
    Submission,
)
from tests.factories import make_data_call

from . import factories as f

API = "/api/v1"


def _fill(kind: str, muni, n: int):
    node = FrameworkNode.objects.get(framework__code="K-SDG", code="11-1")
    if kind == "local-indicators":
        for _ in range(n):
            f.local_indicator(muni).framework_nodes.add(node)
    elif kind == "observations":
        indicator = f.local_indicator(muni)
        for year in range(2000, 2000 + n):
            f.observation(muni, indicator=indicator, year=year)
    elif kind == "initiatives":
        women = PopulationGroup.objects.get(code="women")
        indicator = f.local_indicator(muni)
        for _ in range(n):
            item = f.initiative(muni)
            item.groups_served.add(women)
            item.local_indicators.add(indicator)
            item.framework_nodes.add(node)
    elif kind == "progress-updates":
        for _ in range(n):
            f.progress_update(muni)
    elif kind == "documents":
        for _ in range(n):
            f.document(muni)
    elif kind == "evidence-links":
        for _ in range(n):
            f.evidence_link(muni)
    elif kind == "editions":
        start = 2020 + Edition.objects.count()
        for year in range(start, start + n):
            edition = f.edition(muni, year=year)
            edition.focus_goals.add(11)
    elif kind == "edition-sections":
        # 16 sections per edition: 1 edition ≈ 1 page of 16, 4 editions = 64 rows (page of 50).
        start = 2020 + Edition.objects.count()
        for year in range(start, start + (1 if n == 1 else 4)):
            f.edition(muni, year=year)
    elif kind == "comments":
        edition = f.edition(muni)
        for _ in range(n):
            Comment.objects.create(edition=edition, author=f.owner(), body="의견")
    elif kind == "ordinance-reviews":
        for i in range(n):
            review = OrdinanceReview.objects.create(
                municipality=muni, item_kind="plan", title=f"계획 {i}", submitted_on="2025-01-01"
            )
            review.targets.set(Target.objects.filter(code__in=["13.2", "11.6"]))
    elif kind == "participation-records":
        for i in range(n):
            ParticipationRecord.objects.create(
                municipality=muni,
                kind="forum",
                title=f"포럼 {i}",
                held_on="2025-01-01",
                participants={"시민": i},
            )
    elif kind == "cycle-dates":
        for i in range(n):
            CycleDate.objects.create(municipality=muni, year=2026, due="2026-01-01", title_ko=f"일정 {i}")
    elif kind == "submissions":
        edition = f.edition(muni, state="approved")
        for i in range(n):
            Submission.objects.create(
                edition=edition,
                recipient=f"기관 {i}",
                sent_on="2026-01-01",
                file="submissions/x.pdf",
                recorded_by=f.owner(),
            )
    elif kind == "data-calls":
        for i in range(n):  # one open call per city: the earlier ones are closed
            DataCall.objects.filter(municipality=muni, closed_at__isnull=True).update(
                closed_at=timezone.now()
            )
            make_data_call(muni, 2000 + i)
    elif kind == "assessment-panels":
        edition = f.edition(muni, kind=ReportKind.ASSESSMENT)
        for i in range(n):
            AssessmentPanel.objects.create(edition=edition, group="citizens", name=f"{i}조", participants=10)


# list path → queries, with the list of queries each one makes. The page's rows carry the total
# (a COUNT(*) subquery, see apps.core.api.pagination): no separate COUNT round trip.
TENANT = {
    # scope (one UNION of memberships and coordinator scope), rows+municipality,
    # alignments+target+indicator, framework node ids
    "local-indicators": 4,
    # scope, rows (+ indicator and municipality codes by annotation)
    "observations": 2,
    # scope, rows (+ municipality code), then one UNION of the page's targets (+ code),
    # groups (+ code), local indicator ids and framework node ids
    "initiatives": 3,
    # scope, rows+author
    "progress-updates": 2,
    # scope (all actions at once), rows+municipality+created_by
    "documents": 2,
    # scope, rows+municipality+target+decided_by+document
    "evidence-links": 2,
    # scope (all actions at once, so allowed_actions costs nothing), rows+municipality,
    # focus_goals, sections, transitions+actor
    "editions": 5,
    # scope, rows+edition
    "edition-sections": 2,
    # scope, rows+author
    "comments": 2,
    # scope, rows+municipality, targets (prefetch)
    "ordinance-reviews": 3,
    # scope, rows+municipality
    "participation-records": 2,
    # scope, rows+municipality
    "cycle-dates": 2,
    # scope, rows+recorded_by (cycle-settings: one row per city, nothing to grow)
    "submissions": 2,
    # scope, rows
    "assessment-panels": 2,
    # scope, rows+municipality
    "data-calls": 2,
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(TENANT))
def test_tenant_list_query_count_does_not_grow_with_rows(
    path, muni_a, planner_a, api, django_assert_num_queries
):
    for size in (1, 50):
        _fill(path, muni_a, size if size == 1 else size - 1)
        client = api(planner_a)
        planner_a.__dict__.pop("_vlr_scopes", None)  # each request computes its scopes afresh
        with django_assert_num_queries(TENANT[path]):
            response = client.get(f"{API}/{path}/", {"page_size": 50})
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(response.json()["count"], 50)
        assert response.json()["count"] >= size


REFERENCE = {
    "goals": 1,  # rows (+ total)
    "targets": 1,  # rows+goal
    "indicators": 1,  # rows+target+goal
    "municipalities": 1,  # rows+parent
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(REFERENCE))
def test_reference_list_query_count_does_not_grow_with_page_size(
    path, planner_a, api, django_assert_num_queries
):
    client = api(planner_a)
    for size in (1, 17 if path == "goals" else 50):
        with django_assert_num_queries(REFERENCE[path]):
            response = client.get(f"{API}/{path}/", {"page_size": size})
        assert len(response.json()["results"]) == size


@pytest.mark.django_db
def test_a_data_calls_completeness_is_read_in_four_queries_whatever_its_size(
    muni_a, planner_a, api, django_assert_num_queries
):
    """1 the planner's scopes, 2 the call, 3 its indicators, 4 its initiatives (each with
    "reported" as an EXISTS in the same query)."""
    call = make_data_call(muni_a, 2025)
    client = api(planner_a)
    for size in (1, 30):
        while LocalIndicator.objects.filter(municipality=muni_a).count() < size:
            f.local_indicator(muni_a)
            f.initiative(muni_a)
        Initiative.objects.update(status="ongoing")
        planner_a.__dict__.pop("_vlr_scopes", None)
        with django_assert_num_queries(4):
            response = client.get(f"{API}/data-calls/{call.pk}/completeness/")
        assert response.status_code == 200 and response.json()["total"] == 2 * size


def test_a_job_is_read_in_three_queries_whatever_its_report(
    muni_a, planner_a, viewer_a, api, django_assert_num_queries
):
    """1 running jobs (is any worker dead?), 1 the viewer's scopes, 1 the job with its starter's
    name — the same for a job with a long error list."""
    small = f.job(muni_a, started_by=planner_a)
    large = f.job(muni_a, started_by=planner_a)
    large.errors = [f"row {n}, column value: 숫자가 아닙니다 / not a number" for n in range(2, 1002)]
    large.save()
    for job in (small, large):
        client = api(type(viewer_a).objects.get(pk=viewer_a.pk))  # no scopes cached from the last request
        with django_assert_num_queries(3):
            response = client.get(f"{API}/jobs/{job.pk}/")
        assert response.status_code == 200

"""Page query counts are pinned and do not grow with the number of indicators, values,
initiatives or suggestions (house style: django_assert_num_queries)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.evidence.choices import LinkStatus
from tests.factories import make_document, make_initiative, make_suggestion

from .conftest import pm25

pytestmark = pytest.mark.django_db

# Every logged-in page starts with up to 8 queries: session, user, memberships and coordinator
# scope (the "view" scope), the page's municipality, the switcher's municipalities, the "review"
# scope for the navigation, unread notifications. The rest is listed per page below.


def grow(city, muni, n: int) -> None:
    """Add ``n`` indicators (aligned to goal 11), initiatives, documents with suggestions."""
    for i in range(n):
        pm25(muni, f"X-{i}", {2015: 20.0 + i, 2019: 18.0, 2023: 16.0 + i})
        make_initiative(muni, f"사업 {i}", title_en=f"Initiative {i}", groups=("older_people",))
        doc = make_document(muni, body=f"미세먼지 문서 {i} 본문", title=f"문서 {i}")
        link = make_suggestion(doc)
        if i % 2:
            link.status = LinkStatus.CONFIRMED
            link.save()


PAGES = {
    "dashboard": lambda c: reverse("municipalities:dashboard", args=["11260"]),
    "goal": lambda c: reverse("sdg:goal", args=["11260", 11]),
    "indicator": lambda c: reverse("indicators:detail", args=["11260", c["indicators"][0].pk]),
    "indicators": lambda c: reverse("indicators:list", args=["11260"]),
    "indicator_new": lambda c: reverse("indicators:create", args=["11260"]),
    "indicator_edit": lambda c: reverse("indicators:edit", args=["11260", c["indicators"][0].pk]),
    "indicator_retire": lambda c: reverse("indicators:retire", args=["11260", c["indicators"][0].pk]),
    "observation_delete": lambda c: reverse(
        "indicators:observation_delete",
        args=["11260", c["indicators"][0].pk, c["indicators"][0].observations.first().pk],
    ),
    "inbox": lambda c: reverse("evidence:inbox", args=["11260"]),
    "inbox_no_suggestion": lambda c: reverse("evidence:inbox", args=["11260"]) + "?status=none",
    "inbox_dismissed": lambda c: reverse("evidence:inbox", args=["11260"]) + "?status=dismissed",
    "document": lambda c: reverse("evidence:document", args=[c["document"].pk]),
    "edition": lambda c: reverse("vlr:edition", args=[c["edition"].pk]),
    "preview": lambda c: reverse("vlr:preview", args=[c["edition"].pk]),
    "initiatives": lambda c: reverse("initiatives:list", args=["11260"]),
    "gaps": lambda c: reverse("reports:gap_matrix", args=["11260"]),
    "network": lambda c: reverse("municipalities:network"),
    "data_calls": lambda c: reverse("datacalls:list", args=["11260"]),
    "data_call": lambda c: reverse("datacalls:detail", args=["11260", c["data_call"].pk]),
    "data_call_owed": lambda c: reverse("datacalls:owed", args=["11260", c["data_call"].pk]) + "?department=",
    "profile": lambda c: reverse("municipalities:profile", args=["11260"]),
}

# Pinned counts, as the coordinator (network) or the planner (others). Every page makes 5 fixed
# queries: session, user, the user's scopes (one UNION for view/edit/review), the municipality
# switcher and the unread-notification count. Then:
EXPECTED = {
    # + municipality, goals, stored statuses per goal and overall (counted in the database),
    #   initiatives per goal (counted there too), evidence links with the goals they touch, the
    #   indicators' and the initiatives' framework nodes (none here: no crosswalk hop), the city's
    #   own framework (for the UN / our-framework switch), the calendar (the city's settings, its
    #   own dates, submissions), the open data call and its indicators and initiatives counted per
    #   city (apps.datacalls.selectors.open_call_summaries)
    "dashboard": 20,
    # + municipality, goal, targets, indicators, alignments, stored progress, initiative links,
    #   the indicators' framework nodes (none here: no crosswalk hop), the city's nodes with
    #   crosswalk links
    "goal": 14,
    # + municipality, indicator, alignments, observations (table), stored progress,
    #   history of the indicator, of its alignments and of its values (planners only),
    #   its KOSIS link with who refreshed it (none here)
    "indicator": 14,
    # + municipality, indicators, alignments, stored progress
    "indicators": 9,
    # + municipality, the picker's targets, the framework-node picker's nodes
    "indicator_new": 8,
    # + municipality, indicator, its alignments (initial targets), its framework nodes, the
    #   picker's targets, the framework-node picker's nodes
    "indicator_edit": 11,
    # + municipality, indicator, the count of its values
    "indicator_retire": 8,
    # + municipality, indicator, the value
    "observation_delete": 8,
    # + municipality, documents with their counts, the waiting links, the count of documents
    #   with no link at all (the "no suggestion" group)
    "inbox": 9,
    # + municipality, the documents with no link at all
    "inbox_no_suggestion": 7,
    # + municipality, the dismissed documents
    "inbox_dismissed": 7,
    # + document, links, targets, indicators and initiatives of the manual link form's pickers
    "document": 10,
    # + edition, municipality, visibility check, report data (focus goals, sections, targets,
    #   indicators, alignments, their framework nodes, stored progress (the values only when a
    #   stored figure is not the one as of the edition's year), the count of the values,
    #   initiatives, their targets,
    #   groups, indicators, updates and framework nodes, evidence, the Art. 14 review register and
    #   the forums of the period), sections, comments, previous approved edition of its kind (its
    #   stored figures, not its snapshot), its submissions, comment form choices ×2, the goals of
    #   the checklist form's focus-goal boxes
    "edition": 32,
    # + edition with its municipality, report data as an approval would freeze it (edition focus
    #   goals, sections, targets, indicators, alignments, their framework nodes, stored progress,
    #   the count of the values, initiatives, their targets, groups, indicators, updates and framework nodes, evidence,
    #   review register, forums), the included sections
    "preview": 24,
    # + municipality, initiatives, their target links, groups
    "initiatives": 9,
    # + municipality, indicators, alignments, stored progress, initiative links, initiatives, groups,
    #   the indicators' and the initiatives' framework nodes (none here: no crosswalk hop), the
    #   city's framework nodes that have crosswalk links (shown beside the UN target)
    "gaps": 15,
    # + the count of municipalities with data and their page, the provinces of the filter, goals
    #   (once), stored statuses per municipality and goal, initiatives per municipality and goal
    #   (both counted in the database, for the page's municipalities), the review queue (editions with their municipality and waiting-since in one query), the
    #   indicators' and initiatives' framework nodes (none here: no crosswalk hop), the comparison
    #   of the page's indicators (indicators, their UN global indicators, their shared-framework
    #   nodes; the latest values only when two cities share one), the calendar (settings, dates,
    #   submissions of every city in scope; one more for the names when anything is listed)
    "network": 23,
    # + municipality, the city's data calls
    "data_calls": 7,
    # + municipality, the call, its indicators and its initiatives (each with "reported" as an
    #   EXISTS in the same query)
    "data_call": 9,
    # + the same as the call's page: the department's items are picked from its rows
    "data_call_owed": 9,
    # + municipality (its profile is the form)
    "profile": 6,
}


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_query_count_is_pinned_and_independent_of_data_size(
    ui, planner_a, coordinator, city, muni_a, page, django_assert_num_queries
):
    client = ui(coordinator if page == "network" else planner_a)
    url = PAGES[page](city)
    client.get(url)  # warm the session/language
    small = count(client, url)
    grow(city, muni_a, 6)
    large = count(client, url)
    assert small == large, f"{page}: {small} queries with few rows, {large} with more"
    with django_assert_num_queries(EXPECTED[page]):
        client.get(url)


def test_the_import_and_job_pages_are_pinned(ui, planner_a, muni_a, django_assert_num_queries):
    """Import page: session, user, the page's municipality, the scopes (one query for all three
    actions), the switcher's municipalities and unread notifications. Job page (the htmx poll): session, user,
    running jobs (is a worker dead?), scopes, the job with its starter."""
    from apps.core.models import Job

    client = ui(planner_a)
    job = Job.objects.create(
        kind="observations_import",
        started_by=planner_a,
        municipality_id=muni_a.pk,
        errors=[f"row {n}, column value: x" for n in range(500)],
    )
    client.get(reverse("indicators:import", args=["11260"]))  # the session remembers the municipality
    with django_assert_num_queries(6):
        assert client.get(reverse("indicators:import", args=["11260"])).status_code == 200
    with django_assert_num_queries(5):
        assert client.get(reverse("job", args=[job.pk]), HTTP_HX_REQUEST="true").status_code == 200

"""The dashboard's goal counts and the VLR report data's goal summaries reach the same goals:
an indicator or initiative counts (and so does the confirmed evidence on it) under the goals of
its own targets and of the targets its framework nodes reach through the crosswalk."""

from __future__ import annotations

import pytest

from apps.portal.selectors import goal_overview
from apps.vlr.selectors import municipality_report_data
from tests.factories import make_evidence, make_indicator, make_initiative, make_local_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def crosswalked(muni_a):
    """An initiative on 11.6 whose node reaches 11.6 and 13.2; an indicator on 3.9 whose node
    reaches 13.2; a target link on 6.1; confirmed evidence on each, one link merely suggested."""
    framework = make_local_framework(muni_a, goals=1, links={"G1-S1": ("11.6", "13.2")})
    node = framework.nodes.get(code="G1-S1")
    initiative = make_initiative(muni_a, "직접 11.6 + 노드", targets=("11.6",))
    initiative.framework_nodes.add(node)
    indicator = make_indicator(muni_a, "X", {2015: 1.0, 2020: 2.0}, targets=("3.9",))
    indicator.framework_nodes.add(node)
    from apps.sdg.models import Target

    make_evidence(muni_a, initiative=initiative, url="https://example.org/1", title="사업 근거")
    make_evidence(muni_a, local_indicator=indicator, url="https://example.org/2", title="지표 근거")
    make_evidence(muni_a, target=Target.objects.get(code="6.1"), url="https://example.org/3", title="목표")
    make_evidence(
        muni_a, initiative=initiative, url="https://example.org/4", title="제안", status="suggested"
    )
    return muni_a


def test_evidence_counts_under_the_goals_the_crosswalk_reaches(crosswalked, planner_a):
    grid, _ = goal_overview(planner_a, [crosswalked])
    evidence = {n: c.evidence for n, c in grid[crosswalked.pk].items() if c.evidence}
    # 11 and 13: the initiative's and the indicator's links (the node reaches both goals; the
    # initiative's own 11.6 does not count it twice); 3: the indicator's link; 6: the target
    # link. The suggested link counts nowhere.
    assert evidence == {3: 1, 6: 1, 11: 2, 13: 2}


def test_the_report_data_counts_each_goal_as_the_dashboard_does(crosswalked, planner_a):
    grid, _ = goal_overview(planner_a, [crosswalked])
    data = municipality_report_data(municipality=crosswalked, year=2023, user=planner_a)
    dashboard = {
        n: (c.summary.total, c.initiatives, c.evidence)
        for n, c in grid[crosswalked.pk].items()
        if c.summary.total or c.initiatives or c.evidence
    }
    report = {
        s["goal"]: (s["indicators"], s["initiatives"], s["evidence"])
        for s in data["goal_summaries"]
        if s["indicators"] or s["initiatives"] or s["evidence"]
    }
    assert report == dashboard
    assert report[13] == (1, 1, 2)

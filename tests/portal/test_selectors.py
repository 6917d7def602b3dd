"""Reads of the portal pages at their one home (apps/portal/selectors.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.portal.selectors import gap_rows
from tests.factories import make_initiative
from tests.ui.conftest import pm25

pytestmark = pytest.mark.django_db


def test_gap_flags_live_in_the_selector_and_the_page_shows_exactly_them(ui, planner_a, city, muni_a):
    make_initiative(
        muni_a, "기후 교육", title_en="Climate education", targets=("13.3",), groups=("older_people",)
    )
    pm25(muni_a, "L-3", {2015: 9.1, 2019: 9.3, 2023: 9.8}, targets=("3.6",), target_value=4.55)
    rows, _total = gap_rows(municipality=muni_a, user=planner_a)
    flags = {r.target.code: (r.unmeasured, r.deteriorating_unaddressed, r.flagged) for r in rows}
    assert flags["13.3"] == (True, False, True)  # an initiative, nothing measures it
    assert flags["3.6"] == (False, True, True)  # deteriorating, no initiative
    assert flags["11.6"] == (False, False, False)
    page = ui(planner_a).get(reverse("reports:gap_matrix", args=["11260"]), {"only": "flags"}).context["rows"]
    assert [r.target.code for r in page] == [r.target.code for r in rows if r.flagged]

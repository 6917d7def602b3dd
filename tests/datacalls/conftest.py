"""A city with owners: indicators and initiatives of 중랑구 in two departments, some reported
for 2025, one retired and one completed initiative (neither covered by a call)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from apps.initiatives.choices import Status
from apps.initiatives.models import ProgressUpdate
from apps.municipalities.choices import Role
from apps.municipalities.models import Membership
from tests.conftest import make_user
from tests.factories import make_indicator, make_initiative

KIM, LEE = "kim@example.org", "lee@example.org"


@pytest.fixture
def owners(muni_a):
    env = {"환경과": {"department": "환경과", "owner_name": "김환경", "owner_email": KIM}}
    welfare = {"department": "복지과", "owner_name": "이복지", "owner_email": LEE}
    items = {
        "reported": make_indicator(muni_a, "L-1", {2024: 1.0, 2025: 2.0}, **env["환경과"]),
        "missing": make_indicator(muni_a, "L-2", {2024: 1.0}, **env["환경과"]),
        "early": make_indicator(muni_a, "L-3", {}, report_due=date(2026, 3, 15), **welfare),
        "retired": make_indicator(muni_a, "L-4", {}, retired_at=timezone.now(), **welfare),
        "ini_reported": make_initiative(muni_a, "돌봄 사업", status=Status.ONGOING, **welfare),
        "ini_missing": make_initiative(muni_a, "숲 가꾸기", status=Status.ONGOING),
        "ini_done": make_initiative(muni_a, "끝난 사업", status=Status.COMPLETED, **welfare),
    }
    ProgressUpdate.objects.create(initiative=items["ini_reported"], date=date(2025, 11, 2), text="절반")
    ProgressUpdate.objects.create(initiative=items["ini_missing"], date=date(2024, 11, 2), text="작년")
    return items


@pytest.fixture
def lead_a(muni_a):
    user = make_user("lead_a", email="lead_a@example.org")
    Membership.objects.create(user=user, municipality=muni_a, role=Role.PLANNER, is_lead=True)
    return user

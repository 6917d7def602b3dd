"""The admin applies the initiative service's rules too (real admin pages, CSRF enforced)."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.indicators.models import LocalIndicator
from apps.initiatives.models import Initiative
from apps.sdg.models import Target

ADD = "/admin/initiatives/initiative/add/"


def _post(client, data: dict):
    client.get(ADD)
    base = {
        "title_ko": "태양광",
        "kind": "programme",
        "status": "planned",
        "target_links-TOTAL_FORMS": "0",
        "target_links-INITIAL_FORMS": "0",
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
    }
    return client.post(ADD, {**base, **data})


def _targets(*rows):
    data = {"target_links-TOTAL_FORMS": str(len(rows))}
    for n, (code, primary) in enumerate(rows):
        data[f"target_links-{n}-target"] = Target.objects.get(code=code).pk
        if primary:
            data[f"target_links-{n}-is_primary"] = "on"
    return data


@pytest.fixture
def staff(admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    return client


@pytest.mark.django_db
def test_admin_refuses_an_initiative_without_a_primary_target_or_with_another_citys_indicator(
    staff, muni_a, muni_b
):
    no_target = _post(staff, {"municipality": muni_a.pk})
    assert no_target.status_code == 200 and "choose at least one SDG target" in no_target.content.decode()
    theirs = LocalIndicator.objects.create(
        municipality=muni_b, code="B-1", name_ko="b", name_en="b", unit="%"
    )
    foreign = _post(
        staff, {"municipality": muni_a.pk, "local_indicators": [theirs.pk], **_targets(("7.2", True))}
    )
    assert foreign.status_code == 200 and "indicators of another municipality cannot be linked: B-1" in (
        foreign.content.decode()
    )
    assert not Initiative.objects.exists()
    saved = _post(staff, {"municipality": muni_a.pk, **_targets(("7.2", True), ("13.2", False))})
    assert saved.status_code == 302
    assert list(Initiative.objects.get().target_links.values_list("target__code", "is_primary")) == [
        ("7.2", True),
        ("13.2", False),
    ]

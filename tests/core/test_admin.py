"""Every model is in the admin, searchable in Korean and English, with history."""

import pytest
from django.contrib import admin
from django.urls import reverse

from apps.indicators.models import LocalIndicator
from apps.portal.demo import demo_seed

ADMIN_MODELS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in {"sdg", "municipalities", "indicators", "initiatives", "evidence", "vlr"}
)


def test_every_domain_model_is_registered():
    from django.apps import apps

    ours = {
        (m._meta.app_label, m._meta.model_name)
        for m in apps.get_models()
        if m._meta.app_label in {"sdg", "municipalities", "indicators", "initiatives", "evidence", "vlr"}
        and not m.__name__.startswith("Historical")
        and not m._meta.auto_created
    }
    # Alignments, initiative targets and an indicator's KOSIS link are edited inline under their parent.
    inline_only = {
        ("indicators", "indicatoralignment"),
        ("indicators", "kosislink"),
        ("initiatives", "initiativetarget"),
        ("vlr", "editionsection"),
        ("vlr", "editiontransition"),
    }
    # Derived rows, written only by progress_refresh (and rebuilt by rebuild_progress).
    derived = {("indicators", "progressrecord"), ("indicators", "seriesprogressrecord")}
    assert ours - inline_only - derived <= set(ADMIN_MODELS)


@pytest.mark.django_db
@pytest.mark.parametrize("app_label, model_name", ADMIN_MODELS)
@pytest.mark.parametrize("query", ["중랑", "Jungnang", "탄소"])
def test_changelists_search_in_both_languages(client, admin, app_label, model_name, query):
    client.force_login(admin)
    response = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"), {"q": query})
    assert response.status_code == 200


@pytest.mark.django_db
def test_korean_and_english_search_find_the_same_goal(client, admin):
    client.force_login(admin)
    for query in ("기후", "Climate"):
        response = client.get(reverse("admin:sdg_goal_changelist"), {"q": query})
        assert "Climate action" in response.content.decode()


@pytest.mark.django_db
def test_change_page_shows_inlines_and_history(client, admin):
    demo_seed()
    client.force_login(admin)
    indicator = LocalIndicator.objects.filter(municipality__code="11260").first()
    page = client.get(reverse("admin:indicators_localindicator_change", args=[indicator.pk])).content.decode()
    assert "observations" in page.lower() and str(indicator.observations.first().year) in page
    history = client.get(reverse("admin:indicators_localindicator_history", args=[indicator.pk]))
    assert history.status_code == 200


@pytest.mark.django_db
def test_reference_data_is_read_only_in_the_admin(client, admin):
    client.force_login(admin)
    assert client.get(reverse("admin:sdg_goal_add")).status_code == 403

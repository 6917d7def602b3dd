"""The city profile (population, area, budget, languages, the figures' year) that the VLR
submission pack carries: planners of the municipality set it on a page and through the API, one
service behind both."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from apps.core.exceptions import PermissionDeniedError
from apps.municipalities.services import municipality_profile_update
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

PROFILE = {
    "population": "385000",
    "area_km2": "18.5",
    "budget_krw": "1020000000000",
    "languages": "KO, en, ko",
    "profile_year": "2024",
}


def logged_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.cookies["csrftoken"].value


def test_a_planner_saves_the_profile_on_its_page_with_csrf(muni_a, planner_a):
    client = logged_in(planner_a)
    url = reverse("municipalities:profile", args=[muni_a.code])
    assert client.post(url, PROFILE).status_code == 403  # no CSRF token: refused
    response = client.post(url, {**PROFILE, "csrfmiddlewaretoken": csrf(client, url)})
    assert response.status_code == 302
    muni_a.refresh_from_db()
    assert (muni_a.population, muni_a.area_km2, muni_a.budget_krw, muni_a.profile_year) == (
        385000,
        18.5,
        1020000000000,
        2024,
    )
    assert muni_a.languages == "ko, en"  # tidied: lower case, once each
    record = muni_a.history.first()
    assert record.history_user == planner_a and record.history_change_reason == "profile"
    # the dashboard links the page for those who may edit it
    assert url in client.get(reverse("municipalities:dashboard", args=[muni_a.code])).content.decode()


def test_bad_profile_values_get_a_bilingual_error_and_nothing_is_saved(muni_a, planner_a):
    client = logged_in(planner_a)
    url = reverse("municipalities:profile", args=[muni_a.code])
    token = csrf(client, url)
    response = client.post(
        url,
        {**PROFILE, "languages": "Korean", "profile_year": "1800", "csrfmiddlewaretoken": token},
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "ISO 639" in page and "languages are ISO 639 codes" in page
    assert "the profile year must be 1945-2100" in page
    response = client.post(url, {**PROFILE, "population": "-5", "csrfmiddlewaretoken": token})
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    muni_a.refresh_from_db()
    assert muni_a.population is None and muni_a.languages == "ko"


def test_other_cities_viewers_and_the_public_cannot_edit_the_profile(muni_a, planner_b, viewer_a):
    url = reverse("municipalities:profile", args=[muni_a.code])
    for user in (planner_b, viewer_a):
        client = logged_in(user)
        assert client.get(url).status_code == 404
        assert client.post(url, PROFILE).status_code in (403, 404)
    assert Client().get(url).status_code == 404  # as every edit page answers the public
    with pytest.raises(PermissionDeniedError):
        municipality_profile_update(municipality=muni_a, actor=planner_b, population=1)
    muni_a.refresh_from_db()
    assert muni_a.population is None


def test_the_service_runs_the_models_rules(muni_a, planner_a):
    with pytest.raises(ValidationError) as error:
        municipality_profile_update(municipality=muni_a, actor=planner_a, area_km2=-1.0)
    assert "area_km2" in error.value.message_dict


def test_the_api_sets_the_profile_for_the_citys_planners_only(muni_a, planner_a, planner_b):
    url = f"/api/v1/municipalities/{muni_a.code}/profile/"
    response = client_for(planner_a).patch(url, {"population": 385000, "languages": "ko,en"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["population"] == 385000 and response.json()["languages"] == "ko, en"
    assert client_for(planner_a).get(f"/api/v1/municipalities/{muni_a.code}/").json()["population"] == 385000
    bad = client_for(planner_a).patch(url, {"languages": "한국어"}, format="json")
    assert bad.status_code == 400 and "ISO 639" in bad.content.decode()
    assert client_for(planner_b).patch(url, {"population": 1}, format="json").status_code == 403
    assert client_for(None).patch(url, {"population": 1}, format="json").status_code in (401, 403)
    muni_a.refresh_from_db()
    assert muni_a.population == 385000

"""Junk in free text is refused with a clear bilingual error, through the API and the web form
(real HTTP, CSRF enforced for the form session), never stored and never a 500."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.indicators.models import LocalIndicator, Observation
from apps.initiatives.models import Initiative
from apps.vlr.models import EditionSection
from apps.vlr.services import edition_create, section_update

RLO = "\u202e"


def _token_client(user) -> APIClient:
    return APIClient(
        enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}"
    )


@pytest.mark.django_db
def test_an_18_mb_observation_note_is_refused_with_its_limit(muni_a, planner_a):
    indicator = LocalIndicator.objects.create(
        municipality=muni_a, code="A-1", name_ko="a", name_en="a", unit="%"
    )
    body = json.dumps(
        {"local_indicator": indicator.pk, "year": 2024, "value": 1.5, "note": "가" * (18 * 1024 * 1024 // 3)}
    )
    assert len(body.encode()) > 18 * 1024 * 1024 - 100
    response = _token_client(planner_a).post("/api/v1/observations/", body, content_type="application/json")
    assert response.status_code == 400
    [message] = response.json()["errors"]["note"]
    assert message.startswith("너무 깁니다: 최대 2,000자") and "too long: at most 2,000 characters" in message
    assert not Observation.objects.exists()
    ok = _token_client(planner_a).post(
        "/api/v1/observations/",
        {"local_indicator": indicator.pk, "year": 2024, "value": 1.5, "note": "가" * 2000},
        format="json",
    )
    assert ok.status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u2066", "\u2069"])
def test_bidi_control_characters_in_a_title_are_refused_through_the_api(planner_a, char):
    response = _token_client(planner_a).post(
        "/api/v1/initiatives/",
        {
            "municipality": "11260",
            "title_ko": f"사업{char}txt.exe",
            "targets": [{"target": "11.6", "is_primary": True}],
        },
        format="json",
    )
    assert response.status_code == 400
    [message] = response.json()["errors"]["title_ko"]
    assert (
        f"U+{ord(char):04X}" in message
        and "방향 제어 문자" in message
        and "text-direction control" in message
    )
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_the_web_form_refuses_a_right_to_left_override_in_a_title(planner_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(planner_a)
    path = "/m/11260/initiatives/new/"
    client.get(path)
    response = client.post(
        path,
        {
            "title_ko": f"미세먼지{RLO}저감",
            "kind": "programme",
            "status": "planned",
            "primary_target": "11.6",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 200
    assert "invisible text-direction control characters (U+202E) are not allowed" in response.content.decode()
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_the_right_to_left_mark_and_long_enough_texts_are_fine(muni_a, planner_a):
    edition = edition_create(municipality=muni_a, year=2025, actor=planner_a)
    section = EditionSection.objects.filter(edition=edition).first()
    section_update(section=section, actor=planner_a, title_ko="도입\u200f", body_ko="가" * 200_000)
    section.refresh_from_db()
    assert len(section.body_ko) == 200_000
    with pytest.raises(ValidationError, match="at most 200,000 characters"):
        section_update(section=section, actor=planner_a, body_ko="가" * 200_001)
    with pytest.raises(ValidationError, match="NUL"):
        section_update(section=section, actor=planner_a, body_en="a\x00b")

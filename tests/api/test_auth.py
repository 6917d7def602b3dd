"""Token and session authentication, CSRF for cookie sessions, /me/ (login throttling:
tests/core/test_login_security.py)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

API = "/api/v1"


@pytest.mark.django_db
def test_a_token_from_username_and_password_authenticates(planner_a):
    response = APIClient().post(
        f"{API}/auth/token/", {"username": "planner_a", "password": "pw-planner_a"}, format="json"
    )
    assert response.status_code == 200
    client = APIClient(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = client.get(f"{API}/me/").json()
    assert me["username"] == "planner_a"
    assert me["memberships"][0]["municipality"] == "11260"
    assert me["edit"]["municipality_ids"] == [planner_a.memberships.get().municipality_id]


@pytest.mark.django_db
def test_wrong_password_is_400_and_a_bad_token_is_401(planner_a):
    wrong = APIClient().post(
        f"{API}/auth/token/", {"username": "planner_a", "password": "nope"}, format="json"
    )
    assert wrong.status_code == 400 and set(wrong.json()) == {"detail", "code", "errors"}
    bad = APIClient(HTTP_AUTHORIZATION="Token 0000").get(f"{API}/initiatives/")
    assert bad.status_code == 401 and bad.json()["code"] == "authentication_failed"


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(planner_a):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(planner_a)
    assert client.get(f"{API}/me/").status_code == 200  # reads need no token
    refused = client.post(
        f"{API}/initiatives/",
        {"municipality": "11260", "title_ko": "x", "targets": [{"target": "11.6", "is_primary": True}]},
        format="json",
    )
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    client.get("/admin/login/")  # any page that sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        f"{API}/initiatives/",
        {"municipality": "11260", "title_ko": "x", "targets": [{"target": "11.6", "is_primary": True}]},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert accepted.status_code == 201


@pytest.mark.django_db
def test_token_writes_need_no_csrf_token(planner_a):
    token = (
        APIClient()
        .post(f"{API}/auth/token/", {"username": "planner_a", "password": "pw-planner_a"})
        .json()["token"]
    )
    client = APIClient(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {token}")
    assert (
        client.post(
            f"{API}/initiatives/",
            {"municipality": "11260", "title_ko": "x", "targets": [{"target": "11.6", "is_primary": True}]},
            format="json",
        ).status_code
        == 201
    )

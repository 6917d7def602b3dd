"""The token shortcut (``fast_path("token")``, apps/core/api/authentication.py) answers as DRF's
``TokenAuthentication`` does: the same user, token and scopes for every role, the same refusals
(unknown key, inactive user, malformed header) in both languages, and like DRF's it checks no
password, so a django-axes lockout of the login forms does not touch a token already issued."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.core.api.authentication import TokenAuthentication
from apps.core.permissions import Action, municipality_scope
from apps.municipalities.models import CoordinatorScope
from tests.conftest import make_user

from .test_fast_paths import token_client

API = "/api/v1"
MODES = {"shortcut": {"token"}, "DRF's": frozenset()}


def _fields(instance) -> list:
    return [getattr(instance, field.attname) for field in instance._meta.concrete_fields]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who", ["planner_a", "viewer_a", "coordinator", "coordinator_all", "admin", "nobody"]
)
def test_it_reads_the_same_user_token_and_scopes_as_drf(who, request, muni_b, settings):
    user = make_user("nobody") if who == "nobody" else request.getfixturevalue(who)
    if who == "planner_a":  # also coordinates another city: membership and scope rows together
        CoordinatorScope.objects.create(user=user, network="test").municipalities.set([muni_b])
    key = Token.objects.create(user=user).key
    fresh = get_user_model().objects.get(pk=user.pk)
    expected = {action: municipality_scope(fresh, action) for action in Action.values}

    answers = {}
    for label, mode in MODES.items():
        settings.API_FAST_PATHS = mode
        found_user, token = TokenAuthentication().authenticate_credentials(key)
        assert token.user is found_user
        scopes = {action: municipality_scope(found_user, action) for action in Action.values}
        answers[label] = (type(found_user), _fields(found_user), _fields(token), scopes)
    assert answers["shortcut"] == answers["DRF's"]
    assert answers["shortcut"][1] == _fields(fresh)
    assert answers["shortcut"][3] == expected


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ko", "en"])
def test_unknown_keys_inactive_users_and_bad_headers_are_refused_alike(language, planner_a, settings):
    key = Token.objects.create(user=planner_a).key
    inactive = make_user("inactive", is_active=False)
    headers = {
        "unknown key": "Token " + "0" * 40,
        "inactive user": f"Token {Token.objects.create(user=inactive).key}",
        "no key": "Token",
        "spaces": f"Token {key} {key}",
        "good": f"Token {key}",
    }
    answers = {}
    for label, mode in MODES.items():
        settings.API_FAST_PATHS = mode
        for case, header in headers.items():
            response = APIClient(HTTP_AUTHORIZATION=header, HTTP_ACCEPT_LANGUAGE=language).get(
                f"{API}/observations/"
            )
            answers[label, case] = (response.status_code, response.get("WWW-Authenticate"), response.content)
    for case in headers:
        assert answers["shortcut", case] == answers["DRF's", case], case
    assert [answers["shortcut", case][0] for case in headers] == [401, 401, 401, 401, 200]
    refusal = answers["shortcut", "inactive user"][2].decode()
    assert (
        "계정이 중지되었거나 삭제되었습니다" if language == "ko" else "User inactive or deleted."
    ) in refusal


@pytest.mark.django_db
def test_a_login_lockout_does_not_touch_an_issued_token_on_either_path(planner_a, settings):
    """django-axes guards the logins that hand out tokens (tests/core/test_login_security.py);
    DRF's token check asks no password and so no lockout, and neither does the shortcut."""
    client = token_client(planner_a)
    for n in range(settings.AXES_FAILURE_LIMIT + 1):
        APIClient().post(
            f"{API}/auth/token/", {"username": "planner_a", "password": f"guess-{n}"}, format="json"
        )
    locked = APIClient().post(f"{API}/auth/token/", {"username": "planner_a", "password": "pw-planner_a"})
    assert locked.status_code == 429
    for mode in MODES.values():
        settings.API_FAST_PATHS = mode
        assert client.get(f"{API}/observations/").status_code == 200

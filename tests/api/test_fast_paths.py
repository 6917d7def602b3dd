"""The speed shortcuts behind ``API_FAST_PATHS`` (``apps/core/api/fast.py``) change nothing a client sees.

Every list endpoint, and the detail of its first row, is read with every shortcut off (stock
Django, DRF and django-filter), with all on, with each one alone off and each one alone on;
each answer must be the same bytes as the stock one. Any part can be bypassed without the
others breaking. The clients log in with a real API token, as API clients do, so the token
and scope shortcuts are on the path (tests/api/test_token_auth.py: the token's refusals).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.core.api.fast import PARTS, fast_path

from . import factories as f
from .test_ordering import ENDPOINTS

API = "/api/v1"
IN_REQUEST = sorted(PARTS - {"timestamp", "gc"})  # the other two act per connection and per process
MODES = [True] + [PARTS - {part} for part in IN_REQUEST] + [frozenset({part}) for part in IN_REQUEST]


def _label(mode) -> str:
    if mode is True:
        return "all on"
    return f"only {min(mode)} on" if len(mode) == 1 else f"all but {min(PARTS - mode)}"


def _answers(client, paths: list[str]) -> dict[str, bytes]:
    out = {}
    for path in paths:
        response = client.get(path, {"page_size": 200})
        assert response.status_code == 200, (path, response.content[:300])
        out[path] = response.content
    return out


def token_client(user) -> APIClient:
    """A client sending ``Authorization: Token …`` for ``user`` (anonymous for None)."""
    if user is None:
        return APIClient()
    return APIClient(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin", "planner_a", "anon"])
def test_every_list_and_detail_reads_the_same_with_any_shortcut_off(who, request, muni_a, muni_b, settings):
    f.every_list(muni_a, muni_b)
    client = token_client(None if who == "anon" else request.getfixturevalue(who))
    settings.API_FAST_PATHS = False
    lists, details = [], []
    for name, viewset in sorted(ENDPOINTS.items()):
        lists.append(f"{API}/{name}/")
        rows = json.loads(client.get(lists[-1]).content)["results"]
        if rows:
            key = "id" if viewset.lookup_field == "pk" else viewset.lookup_field
            details.append(f"{API}/{name}/{rows[0][key]}/")
    assert len(details) >= (13 if who == "admin" else 4)
    stock = _answers(client, lists + details)

    for mode in MODES:
        settings.API_FAST_PATHS = mode
        answers = _answers(client, lists + details)
        for path in stock:
            assert answers[path] == stock[path], (_label(mode), path)


def test_the_switch_names_known_parts_only(settings):
    settings.API_FAST_PATHS = {"plan"}
    assert fast_path("plan") and not fast_path("orjson")
    with pytest.raises(ValueError):
        fast_path("serialiser")


def test_it_is_on_unless_the_environment_turns_it_off():
    probe = "from django.conf import settings; print(settings.API_FAST_PATHS)"
    outputs = {}
    for value in (None, "0", "1", "off"):
        env = {key: val for key, val in os.environ.items() if key != "API_FAST_PATHS"}
        env["DJANGO_SETTINGS_MODULE"] = "vlrtracker.settings"
        if value is not None:
            env["API_FAST_PATHS"] = value
        out = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {probe}"],
            cwd=django_settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs[value] = out.stdout.strip()
    assert outputs == {None: "True", "0": "False", "1": "True", "off": "False"}


@pytest.mark.django_db
def test_off_is_the_stock_path_with_its_own_queries(
    muni_a, muni_b, planner_a, settings, django_assert_num_queries
):
    """The switch really switches: with it off, the token is DRF's lookup and the scopes a
    query of their own, the page total is Django's separate COUNT and an initiative's links
    come from prefetch_related, one query per relation."""
    f.every_list(muni_a, muni_b)
    client = token_client(planner_a)
    for mode, observations, initiatives in ((True, 2, 3), (False, 4, 9)):
        settings.API_FAST_PATHS = mode
        # on: token + user + scopes, rows with their total; off: token + user, scopes, COUNT, rows
        with django_assert_num_queries(observations):
            assert client.get(f"{API}/observations/").status_code == 200
        # on: token + user + scopes, rows with their total, one UNION of the links; off: token +
        # user, scopes, COUNT, rows, target links, their targets, groups served, local indicators,
        # framework nodes
        with django_assert_num_queries(initiatives):
            assert client.get(f"{API}/initiatives/").status_code == 200

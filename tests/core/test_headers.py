"""Content-Security-Policy, Permissions-Policy and cookie flags, read from real responses."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/public/", "/api/v1/goals/", "/admin/login/"])
def test_pages_and_api_answers_carry_csp_and_permissions_policy(path):
    response = Client().get(path)
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip()
    )
    assert policy["default-src"] == "'self'" and policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy["style-src-elem"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


def _templates() -> list[Path]:
    return sorted([*ROOT.glob("templates/**/*.html"), *ROOT.glob("apps/*/templates/**/*.html")])


def test_our_templates_need_no_inline_script_or_style_element():
    """What the policy forbids: inline <script> bodies, on* handlers, javascript: URLs and
    <style> elements (inline style *attributes* are allowed: style-src-attr)."""
    offences = []
    for template in _templates():
        text = template.read_text(encoding="utf-8")
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"\son[a-z]+\s*=",
            r"javascript:",
            r"<style\b",
            r"hx-on[:-]",
        ):
            offences += [
                f"{template.relative_to(ROOT)}: {m.group(0)}" for m in re.finditer(pattern, text, re.I)
            ]
    assert len(_templates()) > 20 and offences == []


def test_api_docs_pages_get_their_own_looser_policy():
    response = Client().get("/api/docs/")
    assert response.status_code == 200 and "'unsafe-inline'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def _production_settings(**env) -> dict:
    """Cookie settings as the settings module computes them with DEBUG=0 (a fresh interpreter)."""
    names = [
        f"{kind}_COOKIE_{flag}"
        for kind in ("SESSION", "CSRF", "LANGUAGE")
        for flag in ("SECURE", "HTTPONLY", "SAMESITE")
    ]
    code = (
        f"import json, vlrtracker.settings as s; print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    )
    environment = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "vlr.example.org",
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_in_production_every_cookie_is_secure_http_only_and_same_site_lax():
    values = _production_settings()
    assert {k: v for k, v in values.items() if k.endswith("SECURE")} == dict.fromkeys(
        ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE"], True
    )
    assert {v for k, v in values.items() if k.endswith("HTTPONLY")} == {True}
    assert {v for k, v in values.items() if k.endswith("SAMESITE")} == {"Lax"}


@pytest.mark.django_db
def test_the_language_cookie_is_sent_with_the_production_flags(settings):
    for name, value in _production_settings().items():
        setattr(settings, name, value)
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/", "csrfmiddlewaretoken": token},
        secure=True,
        HTTP_REFERER="https://testserver/",
    )
    cookie = response.cookies["django_language"]
    assert response.status_code == 302 and cookie.value == "en"
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["secure"] and client.cookies["csrftoken"]["httponly"]

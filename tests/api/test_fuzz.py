"""Schemathesis against the live OpenAPI schema, as an authenticated planner (bounded run).

No operation may answer 5xx, and every answer (status, content type, headers, body) must be
what the schema says. Deterministic (``derandomize``) and small enough for CI; the unbounded
run is in the README:

    .venv/bin/python manage.py runserver 127.0.0.1:8000 &
    TOKEN=$(curl -s -X POST -d username=planner -d password=... http://127.0.0.1:8000/api/v1/auth/token/ | jq -r .token)
    .venv/bin/schemathesis run http://127.0.0.1:8000/api/schema/ -H "Authorization: Token $TOKEN" \\
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from . import factories as f

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# A few writes with bodies worth fuzzing (nested lists, codes, dates, numbers).
POSTS = ["/api/v1/initiatives/", "/api/v1/observations/", "/api/v1/local-indicators/", "/api/v1/comments/"]
# Reads: the coverage phase (boundary values of every parameter, schema-valid ones only) plus
# fuzzing; it found nullable fields documented as strings. Writes: fuzzing only, valid and
# invalid bodies. Both bounded to stay well inside CI's budget (~20 s together).
READ_CONFIG = schemathesis.Config.from_dict({"generation": {"mode": "positive"}})
WRITE_CONFIG = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})
FUZZ = settings(
    max_examples=6,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _load(muni, config):
    # Something to find: drafts and public objects of the planner's city.
    f.initiative(muni)
    f.initiative(muni, public=True)
    f.observation(muni)
    f.edition(muni)
    f.evidence_link(muni)
    return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), config=config)


@pytest.fixture
def _keep_test_connection():
    """Requests go through the real WSGI handler, which closes the database connection when
    a request ends; inside a test that would close the test's transaction (PostgreSQL), so do
    what Django's test client does and keep it open."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def read_schema(db, muni_a, planner_a, _keep_test_connection):
    return _load(muni_a, READ_CONFIG)


@pytest.fixture
def write_schema(db, muni_a, planner_a, _keep_test_connection):
    return _load(muni_a, WRITE_CONFIG)


@pytest.fixture
def planner_token(planner_a) -> str:
    return Token.objects.create(user=planner_a).key


reads = schemathesis.pytest.from_fixture("read_schema").include(method="GET")
writes = schemathesis.pytest.from_fixture("write_schema").include(method="POST", path=POSTS)


@reads.parametrize()
@FUZZ
def test_reads_conform_to_the_schema(case, planner_token):
    case.call_and_validate(headers={"Authorization": f"Token {planner_token}"}, checks=CHECKS)


@writes.parametrize()
@settings(FUZZ, max_examples=15)
def test_writes_conform_to_the_schema(case, planner_token):
    case.call_and_validate(headers={"Authorization": f"Token {planner_token}"}, checks=CHECKS)

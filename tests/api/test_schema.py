"""The OpenAPI schema is valid, warning-free and complete; the docs page renders."""

from __future__ import annotations

from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

EXPECTED_PATHS = {
    "/api/v1/goals/",
    "/api/v1/targets/",
    "/api/v1/indicators/",
    "/api/v1/municipalities/",
    "/api/v1/local-indicators/",
    "/api/v1/local-indicators/opendata/",
    "/api/v1/local-indicators/{id}/opendata/",
    "/api/v1/observations/",
    "/api/v1/observations/import/",
    "/api/v1/initiatives/",
    "/api/v1/progress-updates/",
    "/api/v1/documents/",
    "/api/v1/documents/ingest/",
    "/api/v1/evidence-links/",
    "/api/v1/evidence-links/{id}/confirm/",
    "/api/v1/evidence-links/{id}/reject/",
    "/api/v1/editions/",
    "/api/v1/editions/{id}/submit/",
    "/api/v1/editions/{id}/request-changes/",
    "/api/v1/editions/{id}/approve/",
    "/api/v1/editions/{id}/publish/",
    "/api/v1/editions/{id}/reopen/",
    "/api/v1/editions/{id}/workbook/",
    "/api/v1/editions/{id}/report/",
    "/api/v1/editions/{id}/submission/",
    "/api/v1/edition-sections/",
    "/api/v1/comments/",
    "/api/v1/data-calls/",
    "/api/v1/data-calls/{id}/close/",
    "/api/v1/data-calls/{id}/completeness/",
    "/api/v1/me/",
    "/api/v1/auth/token/",
}


def test_spectacular_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(out),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    schema = yaml.safe_load(out.read_text())
    assert set(schema["paths"]) >= EXPECTED_PATHS


def test_every_operation_documents_the_error_shape(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(out), stdout=StringIO(), stderr=StringIO())
    schema = yaml.safe_load(out.read_text())
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"detail", "code", "errors"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404"):
                assert status in operation["responses"], f"{method.upper()} {path} lacks {status}"
            if method in ("post", "put", "patch", "delete"):
                assert "409" in operation["responses"], f"{method.upper()} {path} lacks 409"


@pytest.mark.django_db
def test_schema_and_docs_are_served():
    client = APIClient()
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    assert client.get("/api/redoc/").status_code == 200


@pytest.mark.django_db
def test_docs_pages_load_their_assets_from_our_static_files_not_a_cdn():
    client = APIClient()
    for url in ("/api/docs/", "/api/redoc/"):
        page = client.get(url).content.decode()
        assert "/static/drf_spectacular_sidecar/" in page, url
        assert "cdn.jsdelivr" not in page and "unpkg.com" not in page, url

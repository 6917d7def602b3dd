"""Every upload endpoint, driven as a client would: real multipart HTTP through Django's test
client with CSRF enforced (a token for the API, the session and its CSRF token for the UI form).

An *endpoint* here is a function ``(client, filename, content, fields) -> Answer``; ``ENDPOINTS``
names each one with the kind of file it takes. Two checks hold for every answer:
``assert_api_answer`` (never a 5xx; any error is the API's one JSON shape) and
``assert_ui_answer`` (never a 5xx; every error message shown is bilingual, 국문 / English).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.authtoken.models import Token

from apps.indicators.models import LocalIndicator, Observation

MAX_ERROR_BYTES = 64 * 1024  # an error names the problem; it never echoes a file back
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
UI_ERRORS = re.compile(r'<li class="msg error">(.*?)</li>', re.DOTALL)


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes
    ui_errors: list[str] = field(default_factory=list)  # UI only: the error messages shown after the redirect

    def json(self) -> dict:
        return json.loads(self.body)


def is_bilingual(message: str) -> bool:
    return bool(HANGUL.search(message) and LATIN_WORD.search(message))


def assert_api_answer(answer: Answer) -> None:
    assert answer.status < 500, (answer.status, answer.body[:500])
    if answer.status >= 400:
        assert answer.content_type.startswith("application/json"), (answer.status, answer.content_type)
        assert len(answer.body) <= MAX_ERROR_BYTES, f"{len(answer.body)}-byte error body"
        body = answer.json()
        assert set(body) == {"detail", "code", "errors"}, body
        assert isinstance(body["detail"], str) and body["detail"] and isinstance(body["code"], str), body
        assert isinstance(body["errors"], dict), body
        assert all(
            isinstance(v, list) and all(isinstance(m, str) for m in v) for v in body["errors"].values()
        ), body


def assert_ui_answer(answer: Answer, *, bilingual: bool = True) -> None:
    assert answer.status < 500, (answer.status, answer.body[:500])
    for message in answer.ui_errors:
        assert len(message) <= MAX_ERROR_BYTES, f"{len(message)}-character message"
        assert is_bilingual(message) or not bilingual, message


# ----------------------------------------------------------------------------- the endpoints


def _api(client: Client, url: str, filename: str, content: bytes, fields: dict) -> Answer:
    data = {**fields, "file": SimpleUploadedFile(filename, content)}
    response = client.post(url, data)
    return Answer(response.status_code, response.get("Content-Type", ""), response.content)


def api_observations_import(client, filename, content, fields) -> Answer:
    return _api(
        client, "/api/v1/observations/import/", filename, content, {"municipality": "11260", **fields}
    )


def api_documents_ingest(client, filename, content, fields) -> Answer:
    return _api(client, "/api/v1/documents/ingest/", filename, content, {"municipality": "11260", **fields})


def ui_evidence_add(client, filename, content, fields) -> Answer:
    page = client.get("/m/11260/evidence/")
    assert page.status_code == 200
    data = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **fields}
    if filename is not None:
        data["file"] = SimpleUploadedFile(filename, content)
    response = client.post("/m/11260/evidence/add/", data)
    if response.status_code != 302:
        return Answer(response.status_code, response.get("Content-Type", ""), response.content)
    shown = client.get(response["Location"])
    errors = [
        html.unescape(re.sub(r"<[^>]+>", "", m)).strip() for m in UI_ERRORS.findall(shown.content.decode())
    ]
    return Answer(shown.status_code, shown.get("Content-Type", ""), shown.content, errors)


def api_local_indicators_import(client, filename, content, fields) -> Answer:
    return _api(
        client, "/api/v1/local-indicators/import/", filename, content, {"municipality": "11260", **fields}
    )


IMPORT_PAGE_ERRORS = re.compile(
    r'<p class="error" role="alert">(.*?)</p>|<ul class="errors">(.*?)</ul>|<ul class="errorlist"[^>]*>(.*?)</ul>',
    re.DOTALL,
)


def ui_observations_import(client, filename, content, fields) -> Answer:
    """The import page (a small file is imported in the request and its report shown there)."""
    page = client.get("/m/11260/import/")
    assert page.status_code == 200
    data = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, "kind": "observations_import", **fields}
    if filename is not None:
        data["file"] = SimpleUploadedFile(filename, content)
    response = client.post("/m/11260/import/", data)
    if response.status_code == 302:
        response = client.get(response["Location"])
    errors = []
    for match in IMPORT_PAGE_ERRORS.finditer(response.content.decode()):
        block = next(group for group in match.groups() if group is not None)
        items = re.findall(r"<li>(.*?)</li>", block, re.DOTALL) or [block]
        errors += [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]
    return Answer(response.status_code, response.get("Content-Type", ""), response.content, errors)


def api_observations_import_table(client, filename, content, fields) -> Answer:
    return _api(
        client, "/api/v1/observations/import-table/", filename, content, {"municipality": "11260", **fields}
    )


def ui_observations_import_table(client, filename, content, fields) -> Answer:
    """The table import page, first step (the upload and its preview)."""
    page = client.get("/m/11260/import/table/")
    assert page.status_code == 200
    data = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, "step": "preview", **fields}
    if filename is not None:
        data["file"] = SimpleUploadedFile(filename, content)
    response = client.post("/m/11260/import/table/", data)
    errors = []
    for match in IMPORT_PAGE_ERRORS.finditer(response.content.decode()):
        block = next(group for group in match.groups() if group is not None)
        items = re.findall(r"<li>(.*?)</li>", block, re.DOTALL) or [block]
        errors += [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]
    return Answer(response.status_code, response.get("Content-Type", ""), response.content, errors)


def api_framework_import(client, filename, content, fields) -> Answer:
    return _api(client, "/api/v1/frameworks/import/", filename, content, {"municipality": "11260", **fields})


def ui_framework_import(client, filename, content, fields) -> Answer:
    """The framework import page (apps.frameworks): the same report and error blocks."""
    page = client.get("/m/11260/framework/import/")
    assert page.status_code == 200
    data = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **fields}
    if filename is not None:
        data["file"] = SimpleUploadedFile(filename, content)
    response = client.post("/m/11260/framework/import/", data)
    errors = []
    for match in IMPORT_PAGE_ERRORS.finditer(response.content.decode()):
        block = next(group for group in match.groups() if group is not None)
        items = re.findall(r"<li>(.*?)</li>", block, re.DOTALL) or [block]
        errors += [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]
    return Answer(response.status_code, response.get("Content-Type", ""), response.content, errors)


def _approved_edition():
    """중랑구's approved 지방보고서 2026 (a submission needs one), made once per test."""
    from apps.municipalities.models import Municipality
    from apps.vlr.models import Edition

    edition, _ = Edition.objects.get_or_create(
        municipality=Municipality.objects.get(code="11260"),
        kind="local_report",
        period_start=2026,
        period_end=2026,
        defaults={"year": 2026, "status": "approved", "snapshot": {}},
    )
    return edition


def _panel():
    """A panel of 중랑구's 지속가능성 평가 2026 (the spreadsheet import of its ratings)."""
    from apps.municipalities.models import Municipality
    from apps.vlr.models import AssessmentPanel, Edition

    edition, _ = Edition.objects.get_or_create(
        municipality=Municipality.objects.get(code="11260"),
        kind="assessment",
        period_start=2026,
        period_end=2026,
        defaults={"year": 2026},
    )
    panel, _ = AssessmentPanel.objects.get_or_create(
        edition=edition, group="experts", defaults={"participants": 5}
    )
    return panel


def api_submissions_create(client, filename, content, fields) -> Answer:
    data = {"edition": _approved_edition().pk, "recipient": "지방의회", "sent_on": "2026-12-20", **fields}
    return _api(client, "/api/v1/submissions/", filename, content, data)


def _ui_post(client, page_url: str, url: str, filename, content, fields: dict) -> Answer:
    page = client.get(page_url)
    assert page.status_code == 200
    data = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **fields}
    if filename is not None:
        data["file"] = SimpleUploadedFile(filename, content)
    response = client.post(url, data)
    # The panel screen shows its errors on the page it answers with; the others redirect first.
    shown = client.get(response["Location"]) if response.status_code == 302 else response
    errors = [
        html.unescape(re.sub(r"<[^>]+>", "", m)).strip() for m in UI_ERRORS.findall(shown.content.decode())
    ]
    return Answer(shown.status_code, shown.get("Content-Type", ""), shown.content, errors)


def ui_submission_add(client, filename, content, fields) -> Answer:
    """The edition page's "record a submission" form."""
    edition = _approved_edition()
    data = {"recipient": "지방의회", "sent_on": "2026-12-20", **fields}
    return _ui_post(client, f"/vlr/{edition.pk}/", f"/vlr/{edition.pk}/submissions/", filename, content, data)


def ui_panel_import(client, filename, content, fields) -> Answer:
    """A panel's ratings from a spreadsheet (the panel screen's import form)."""
    panel = _panel()
    url = f"/vlr/{panel.edition_id}/assessment/panels/{panel.pk}/"
    if filename is None:  # the form's file box left empty is the ratings form with nothing typed
        filename, content = "empty.csv", b""
    return _ui_post(client, url, url, filename, content, fields)


# name → (kind of file it takes, function, "api" or "ui")
ENDPOINTS = {
    "api_observations_import": ("annex", api_observations_import, "api"),
    "api_documents_ingest": ("document", api_documents_ingest, "api"),
    "ui_evidence_add": ("document", ui_evidence_add, "ui"),
    "api_local_indicators_import": ("annex", api_local_indicators_import, "api"),
    "ui_observations_import": ("annex", ui_observations_import, "ui"),
    "api_observations_import_table": ("annex", api_observations_import_table, "api"),
    "ui_observations_import_table": ("annex", ui_observations_import_table, "ui"),
    "api_framework_import": ("annex", api_framework_import, "api"),
    "ui_framework_import": ("annex", ui_framework_import, "ui"),
    "api_submissions_create": ("document", api_submissions_create, "api"),
    "ui_submission_add": ("document", ui_submission_add, "ui"),
    "ui_panel_import": ("annex", ui_panel_import, "ui"),
}


def check(kind: str, answer: Answer, *, bilingual: bool = True) -> None:
    """The floor every answer stands on; ``bilingual=False`` leaves out the UI's language check."""
    if kind == "api":
        assert_api_answer(answer)
    else:
        assert_ui_answer(answer, bilingual=bilingual)


# ------------------------------------------------------------------------------------- cast


@pytest.fixture(autouse=True)
def _proof_files_in_tmp(settings, tmp_path_factory):
    """An accepted PDF/DOCX/HWPX/HWP is kept under MEDIA_ROOT: here, never inside the clone."""
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "hostile-media"


@pytest.fixture
def annex_indicator(muni_a):
    """중랑구's indicator JN-01 counted in 명, with a 2023 value and its source (what an import
    must neither lose nor overwrite with a value in another unit)."""
    indicator = LocalIndicator.objects.create(
        municipality=muni_a, code="JN-01", name_ko="등록 인구", name_en="Registered population", unit="명"
    )
    Observation.objects.create(local_indicator=indicator, year=2023, value=5.0, source="주민등록 통계")
    return indicator


@pytest.fixture
def clients(planner_a, annex_indicator):
    """``clients["api"]``: a token client; ``clients["ui"]``: a logged-in browser-like client.
    Both enforce CSRF as a real one would."""
    token = Token.objects.create(user=planner_a)
    api = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE="ko")
    ui = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="ko")
    ui.force_login(planner_a)
    return {"api": api, "ui": ui}

"""While the database is unavailable the app answers 503 with ``Retry-After``, never 500: the
API's JSON error shape under ``/api/``, a short bilingual page elsewhere.

For real: the production server (gunicorn, ``DEBUG=0``) is started with a database it cannot
open (an SQLite file in a directory that does not exist; a PostgreSQL port where nothing
listens) and asked over HTTP; and, on PostgreSQL, the server ends the connection of a running
test (``pg_terminate_backend``) before a request.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(port: int, method: str, path: str, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            method,
            path,
            body=b"{}" if method != "GET" else None,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def server_without_database(request, tmp_path):
    database_url = {
        "sqlite": f"sqlite:///{tmp_path / 'no-such-directory' / 'db.sqlite3'}",
        "postgresql": f"postgres://vlrtracker:vlrtracker@127.0.0.1:{_free_port()}/vlrtracker",
    }[request.param]
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vlrtracker.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "test-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "CRITICAL",
    }
    server = subprocess.Popen(
        [
            GUNICORN,
            "vlrtracker.wsgi",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "critical",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _request(port, "GET", "/api/v1/nothing-here/")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def _assert_api_503(status, headers, body, what):
    assert status == 503, (what, status, body[:300])
    assert headers["Retry-After"] == "30", what
    assert headers["Content-Type"] == "application/json", what
    answer = json.loads(body)
    assert answer["code"] == "service_unavailable" and answer["errors"] == {}, what
    assert " / the database is temporarily unavailable" in answer["detail"], what


def test_without_its_database_the_server_answers_503_with_retry_after(server_without_database):
    port = server_without_database
    for method, path, headers in [
        ("GET", "/api/v1/observations/", {}),
        ("GET", "/api/v1/goals/1/", {}),
        ("GET", "/api/v1/initiatives/", {"Authorization": "Token " + "0" * 40}),
        ("POST", "/api/v1/initiatives/", {"Authorization": "Token " + "0" * 40}),
    ]:
        _assert_api_503(*_request(port, method, path, headers), (method, path))

    # A page for someone with a session: reading the session needs the database.
    status, headers, body = _request(port, "GET", "/", {"Cookie": "sessionid=" + "x" * 32})
    assert status == 503 and headers["Retry-After"] == "30"
    assert headers["Content-Type"].startswith("text/html")
    page = body.decode()
    assert "잠시 후 다시 시도해 주세요" in page and "Please try again shortly" in page

    # Paths that need no database keep answering as usual.
    status, _, body = _request(port, "GET", "/api/v1/nothing-here/")
    assert status == 404 and json.loads(body)["code"] == "not_found"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_terminate_backend: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_terminated_gives_503_not_500(admin):
    import psycopg
    from django.test import Client

    client = Client(raise_request_exception=False)  # as a server would: the error view answers
    client.force_login(admin)
    assert client.get("/api/v1/goals/1/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    params = connection.get_connection_params()
    for name in ("context", "cursor_factory", "prepare_threshold"):
        params.pop(name, None)
    try:
        with psycopg.connect(**params, autocommit=True) as other:
            assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0] is True
        # The test client skips Django's per-request health check (close_old_connections), so
        # the request meets the ended session as one would between the check and its query.
        response = client.get("/api/v1/goals/2/")
        _assert_api_503(response.status_code, response.headers, response.content, "terminated")
        page = client.get("/")
        assert page.status_code == 503 and page["Retry-After"] == "30"
    finally:
        connection.close()  # the next query reconnects

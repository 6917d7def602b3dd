"""The PostgreSQL backend (apps.core.db.postgresql): timestamptz values read with psycopg's C
loader are exactly what Django's own loader gives (and Django's loader is used when the fast
paths are off); a connection the server ended is found by Django's own health check.

PostgreSQL only: on SQLite the project uses Django's SQLite backend unchanged (CI runs this
module against PostgreSQL).
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.postgresql.base import TIMESTAMPTZ_OID
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg import pq

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "apps.core.db.postgresql",
        reason="the project's PostgreSQL backend is only used on PostgreSQL (CI's second run)",
    ),
]

# Instants around the edges a parser gets wrong: epoch, before 1970, leap day, microseconds,
# the last microsecond of a year, a far future date.
TIMES = [
    "1970-01-01 00:00:00+00",
    "1900-03-01 12:34:56.5+00",
    "2024-02-29 23:59:59.999999+00",
    "2025-12-31 23:59:59.999999+09",
    "2026-06-15 08:00:00.000001-05:30",
    "9999-12-30 23:59:59+00",
]
SQL = "SELECT v::timestamptz FROM unnest(%s::text[]) AS v"


def _read(register_django_loader: bool) -> list[datetime.datetime]:
    connection.ensure_connection()
    with connection.cursor() as cursor:
        if register_django_loader:
            register_tzloader(connection.timezone, cursor.cursor)  # Django's stock loader
        cursor.execute(SQL, ["{" + ",".join(f'"{t}"' for t in TIMES) + "}"])
        return [row[0] for row in cursor.fetchall()]


def _loader_in_use():
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        return cursor.cursor._tx.get_loader(TIMESTAMPTZ_OID, pq.Format.TEXT)


def test_values_are_django_s_own_to_the_microsecond_and_tzinfo():
    fast, django_s = _read(False), _read(True)
    assert fast == django_s
    assert [value.tzinfo for value in fast] == [datetime.UTC] * len(TIMES)
    assert [value.isoformat() for value in fast] == [value.isoformat() for value in django_s]
    assert fast[3] == datetime.datetime(2025, 12, 31, 14, 59, 59, 999999, tzinfo=datetime.UTC)


def test_the_c_loader_does_the_parsing_in_a_utc_session():
    from psycopg import adapters

    loader = _loader_in_use()
    optimised = adapters.get_loader(TIMESTAMPTZ_OID, pq.Format.TEXT)
    assert pq.__impl__ in ("binary", "c")  # requirements install psycopg[binary]
    assert optimised.__module__.startswith(("psycopg_binary", "psycopg_c"))
    assert type(loader).__name__ == "UTCTimestamptzLoader"
    assert loader.timezone == connection.timezone == datetime.UTC
    assert getattr(loader.load, "__self__", None).__class__ is optimised  # psycopg's, C when installed


def test_a_session_moved_off_utc_falls_back_to_django_s_loader():
    """Somebody's raw ``SET TIME ZONE`` changes what psycopg would parse; the loader then does
    what Django's does instead of returning other tzinfo objects."""
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'Asia/Seoul'")
    try:
        assert "load" not in vars(_loader_in_use())  # the class's (Django's) load
        assert _read(False) == _read(True)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")


@pytest.mark.django_db(transaction=True)
def test_with_the_fast_paths_off_a_new_connection_keeps_django_s_loader(settings):
    settings.API_FAST_PATHS = False
    connection.close()
    try:
        loader = _loader_in_use()
        assert type(loader).__name__ != "UTCTimestamptzLoader" and "load" not in vars(loader)
        assert _read(False) == _read(True)
    finally:
        connection.close()  # the next connection registers the fast loader again


def test_model_datetimes_round_trip(muni_a):
    from apps.initiatives.models import Initiative

    item = Initiative.objects.create(municipality=muni_a, title_ko="시간", title_en="Time")
    stored = Initiative.objects.values_list("created_at", flat=True).get(pk=item.pk)
    assert stored == item.created_at and stored.tzinfo == datetime.UTC


# ----------------------------------------------------------------------------- health checks


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _other_connection():
    import psycopg

    params = connection.get_connection_params()
    params.pop("context", None)
    params.pop("cursor_factory", None)
    params.pop("prepare_threshold", None)
    return psycopg.connect(**params, autocommit=True)


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_ended_is_unusable_and_replaced():
    import time

    pid = _backend_pid()
    with _other_connection() as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0] is True
    deadline = time.monotonic() + 10
    while connection.is_usable() and time.monotonic() < deadline:  # the FATAL message is on its way
        time.sleep(0.05)
    assert connection.is_usable() is False

    # What Django does at the start of a request with CONN_HEALTH_CHECKS: close, then reconnect.
    assert connection.health_check_enabled
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    assert connection.connection is None
    assert _backend_pid() != pid


@pytest.mark.django_db(transaction=True)
def test_a_closed_connection_is_unusable():
    connection.ensure_connection()
    assert connection.is_usable() is True
    connection.connection.close()
    try:
        assert connection.is_usable() is False
    finally:
        connection.connection = None  # let Django reconnect for the test's teardown

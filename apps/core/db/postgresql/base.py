"""Django's PostgreSQL backend, with ``timestamptz`` values parsed by psycopg's C loader.

Django 5.2 reads every ``timestamptz`` with a loader that subclasses psycopg's pure-Python one
(Django ticket #36960), so each aware datetime is parsed in Python: the 100 ``created_at`` /
``updated_at`` values of a 50-row API page cost 0.5 ms of CPU, six times what psycopg's C
loader (psycopg[binary]) takes. That loader only puts ``tzinfo=timezone.utc`` on the value
psycopg parsed; in a session whose TimeZone is UTC, which Django sets up when USE_TZ is on,
psycopg's own loader already returns exactly that, so there it is used as it is. (Drop this
once the Django release in use reads timestamptz with psycopg's C loader itself.)

A speed shortcut like the API's others: ``fast_path("timestamp")`` (``apps.core.api.fast``)
switches it off, leaving Django's backend unchanged. Connection health checks are Django's own
(``CONN_HEALTH_CHECKS``).
"""

from __future__ import annotations

import datetime

from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from psycopg import adapters, pq

from apps.core.api.fast import fast_path

# psycopg's timestamptz loader: its C implementation when one is installed.
_PSYCOPG_LOADER = adapters.get_loader(base.TIMESTAMPTZ_OID, pq.Format.TEXT)


class UTCTimestamptzLoader(BaseTzLoader):
    """Django's loader for a UTC connection (``timezone`` is what Django's cursor checks),
    handing the parsing to psycopg's loader while the session's TimeZone is UTC."""

    timezone = datetime.UTC

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        connection = getattr(context, "connection", None)
        if connection is not None and connection.info.parameter_status("TimeZone") == "UTC":
            self.load = _PSYCOPG_LOADER(oid, context).load


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if self.timezone == datetime.UTC and fast_path("timestamp"):
            connection.adapters.register_loader(base.TIMESTAMPTZ_OID, UTCTimestamptzLoader)
        return connection

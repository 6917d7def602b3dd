"""Database pieces of the project: the PostgreSQL backend (``postgresql``) and what counts as the
database being unavailable (answered 503 with ``Retry-After``, never 500)."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError

# PostgreSQL SQLSTATEs for "the server cannot serve now": connection exceptions (class 08),
# insufficient resources such as too many connections (53), operator intervention: shutdown,
# crash, "cannot connect now" while starting (57P). A client-side failure (connection refused,
# server closed the connection) has no SQLSTATE.
_POSTGRESQL_UNAVAILABLE = ("08", "53", "57P")
# SQLite: a database file that cannot be opened or read, or a write lock held past the timeout.
_SQLITE_UNAVAILABLE = ("unable to open database file", "database is locked", "disk i/o error")


def database_unavailable(exc: BaseException | None) -> bool:
    """True when ``exc`` says the database cannot be reached or cannot serve now (the request may
    succeed if retried), not that a query is wrong (a missing table is still a bug: 500)."""
    if isinstance(exc, InterfaceError):  # the connection is already closed
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__ or exc
    if type(cause).__module__.startswith("psycopg"):
        sqlstate = getattr(cause, "sqlstate", None)
        return sqlstate is None or sqlstate.startswith(_POSTGRESQL_UNAVAILABLE)
    message = str(cause).lower()
    return any(text in message for text in _SQLITE_UNAVAILABLE)

"""The indicator services' SQL shortcuts for writing many rows (issue 16: an annex import of
100,000 rows within 1.5 × the time of reading its sheet), behind one switch:
``settings.IMPORT_SQL_BULK_UPDATE`` (on by default). Off, the same rows go through the ORM and
simple-history's bulk functions; tests run both ways and compare what is stored."""

from __future__ import annotations

import sqlite3

from django.conf import settings
from django.db import connection


def sql_bulk_writes() -> bool:
    """Whether the shortcuts are on: the switch, and not SQLite older than 3.33 (no ``UPDATE … FROM``)."""
    return getattr(settings, "IMPORT_SQL_BULK_UPDATE", True) and not (
        connection.vendor == "sqlite" and sqlite3.sqlite_version_info < (3, 33)
    )


def bulk_insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Insert many rows: PostgreSQL ``COPY`` (psycopg 3; ~7x faster than executemany there),
    else one parameterised ``executemany``. Values must be what the database takes: Python
    primitives (int, float, str, bool, None), which both sqlite3 and psycopg adapt, or values
    already adapted by the backend (``connection.ops``, a field's ``get_db_prep_save``)."""
    quote = connection.ops.quote_name
    names = ", ".join(map(quote, columns))
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql" and hasattr(raw, "copy"):
            with raw.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", rows
            )

"""Plain SQL for the few read paths that run on every API request.

Compiling a Django queryset costs more than running a small query (0.3-0.5 ms each), so the
per-request token and scope queries and the list pages' follow-up queries are written as SQL
text, with every table and column name read from the models and quoted for the database in
use. Each text is built once per (database vendor, name) and kept for the life of the process.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from django.db import connections, router

_TEXTS: dict[tuple, str] = {}


def sql_text(model, key: Hashable, build: Callable) -> str:
    """The SQL ``build(connection)`` for the database ``model`` is read from, built once.

    ``key`` names the text (include anything ``build`` depends on, e.g. a placeholder count).
    """
    connection = connections[router.db_for_read(model)]
    cache_key = (connection.vendor, key)
    sql = _TEXTS.get(cache_key)
    if sql is None:
        sql = _TEXTS[cache_key] = build(connection)
    return sql


def fetch_all(model, key: Hashable, build: Callable, params: Sequence) -> list[tuple]:
    """Rows of ``sql_text(model, key, build)`` run with ``params``."""
    sql = sql_text(model, key, build)
    with connections[router.db_for_read(model)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def table(connection, model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(connection, model, name: str) -> str:
    """Quoted column of field ``name`` (``pk`` for the primary key)."""
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    return connection.ops.quote_name(field.column)


def placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def vendor_of(model) -> str:
    return connections[router.db_for_read(model)].vendor


def any_of(vendor: str, count: int) -> str:
    """``= ANY(%s::bigint[])`` on PostgreSQL: one parameter, so the statement text (and the
    prepared statement) is the same for any number of ids. ``IN (%s, ...)`` elsewhere."""
    return "= ANY(%s::bigint[])" if vendor == "postgresql" else f"IN ({placeholders(count)})"


def any_of_params(vendor: str, ids: list) -> list:
    """The parameters of ``any_of(vendor, len(ids))``. On PostgreSQL the array is sent as its
    text literal (``{1,2,3}``): handed a Python list, psycopg inspects every element to choose
    an array type, which cost more CPU than running the query (bench/bench_api.py)."""
    if vendor == "postgresql":
        return ["{" + ",".join(str(int(pk)) for pk in ids) + "}"]
    return list(ids)


def model_columns(connection, model, alias: str) -> str:
    """``alias."col", …`` for every concrete field of ``model``, in ``instance_from_row`` order."""
    return ", ".join(f"{alias}.{connection.ops.quote_name(f.column)}" for f in model._meta.concrete_fields)


_CONVERTERS: dict[tuple, list] = {}


def instance_from_row(model, values: Sequence):
    """A model instance from the ``model_columns`` of a plain-SQL row, with the database's value
    converters applied as the ORM applies them (e.g. SQLite's datetimes and booleans)."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    fields = model._meta.concrete_fields
    converters = _CONVERTERS.get((connection.vendor, model))
    if converters is None:
        converters = _CONVERTERS[(connection.vendor, model)] = [
            [
                (convert, field.get_col(model._meta.db_table))
                for convert in (
                    *connection.ops.get_db_converters(field.get_col(model._meta.db_table)),
                    *field.get_db_converters(connection),
                )
            ]
            for field in fields
        ]
    converted = []
    for value, field_converters in zip(values, converters, strict=True):
        for convert, expression in field_converters:
            value = convert(value, expression, connection)
        converted.append(value)
    return model.from_db(alias, [f.attname for f in fields], converted)

#!/usr/bin/env python
"""Django's command-line utility for vlrtracker."""

import os
import sys


def database_unreachable() -> str | None:
    """Why the default database cannot be opened (missing database, server down, wrong password),
    or None when it can."""
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        connection.ensure_connection()
    except OperationalError as error:
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    finally:
        connection.close()
    return None


def refuse(reason: str) -> None:
    from django.db import connection

    settings = connection.settings_dict
    where = f"{connection.vendor} database {settings['NAME']!r}"
    if settings.get("HOST"):
        where += f" on {settings['HOST']}:{settings.get('PORT') or 'default port'}"
    hint = "Check DATABASE_URL"
    if connection.vendor == "postgresql":
        hint += (
            f"; for development, `make postgres PG_DB={settings['NAME']}` starts the server and creates the "
            "role and database (README, Development on PostgreSQL)"
        )
    sys.exit(
        f"데이터베이스에 연결할 수 없습니다 / cannot open the {where}: {reason}\n{hint}; "
        "without DATABASE_URL the development database is SQLite (db.sqlite3)."
    )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vlrtracker.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    if sys.argv[1:2] == ["runserver"]:
        # runserver meets the database in a thread of its reloader, where an error is a traceback
        # followed by a server that serves nothing: ask first.
        import django

        django.setup()
        if reason := database_unreachable():
            refuse(reason)
    try:
        execute_from_command_line(sys.argv)
    except OperationalError:
        # Only a database that cannot be opened at all becomes a message; any other database
        # error keeps its traceback.
        if reason := database_unreachable():
            refuse(reason)
        raise


if __name__ == "__main__":
    main()

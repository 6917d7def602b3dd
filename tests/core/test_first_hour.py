"""A new user's first hour: the Makefile's refusals, the database message at start, the hints the
app prints. Each runs the real command as a user would type it."""

import os
import re
import shlex
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)


def make(*args, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
    )


def manage(*args, database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DATABASE_URL": database_url},
        timeout=60,
    )


def test_make_names_the_interpreter_and_the_way_out_when_python_is_too_old(tmp_path):
    # The running interpreter stands in for an old one by raising the minimum past it.
    venv = tmp_path / "venv"
    result = make(f"VENV={venv}", f"PYTHON={sys.executable}", "PYTHON_MIN=3.99", f"{venv}/bin/python")
    assert result.returncode != 0
    version = ".".join(map(str, sys.version_info[:3]))
    assert f"vlrtracker needs Python 3.99+, but '{sys.executable}' is Python {version}." in result.stdout
    assert "make run PYTHON=python3.12" in result.stdout
    assert "AssertionError" not in result.stdout + result.stderr and not venv.exists()


def test_make_says_so_when_the_interpreter_does_not_exist(tmp_path):
    venv = tmp_path / "venv"
    result = make(f"VENV={venv}", "PYTHON=python-does-not-exist", f"{venv}/bin/python")
    assert result.returncode != 0
    assert (
        "'python-does-not-exist' could not be run" in result.stdout and "PYTHON=python3.12" in result.stdout
    )


@pytest.mark.parametrize("command", [["migrate", "--no-input"], ["runserver", "127.0.0.1:0", "--noreload"]])
def test_an_unreachable_postgresql_server_is_a_message_not_a_traceback(command):
    # Port 1 refuses connections on any machine, PostgreSQL installed or not.
    result = manage(*command, database_url="postgres://vlrtracker:vlrtracker@127.0.0.1:1/vlr_nowhere")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cannot open the postgresql database 'vlr_nowhere' on 127.0.0.1:1" in result.stderr
    assert "make postgres PG_DB=vlr_nowhere" in result.stderr


def test_a_missing_postgresql_database_is_a_message_not_a_traceback():
    if settings.DATABASES["default"]["ENGINE"] != "apps.core.db.postgresql":
        pytest.skip("needs the PostgreSQL server of a DATABASE_URL run (.ci/run's second pass)")
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/vlr_no_such_database"
    result = manage("migrate", "--no-input", database_url=url)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert 'database "vlr_no_such_database" does not exist' in result.stderr


def test_an_unopenable_sqlite_file_is_a_message_not_a_traceback(tmp_path):
    result = manage("migrate", "--no-input", database_url=f"sqlite:///{tmp_path}/no/such/folder/db.sqlite3")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "unable to open database file" in result.stderr


@pytest.mark.django_db
def test_the_reset_passwords_hint_works_as_typed():
    call_command("seed_demo", stdout=StringIO())
    again = StringIO()
    call_command("seed_demo", stdout=again)
    hint = re.search(r"new ones: `([^`]+)`", again.getvalue()).group(1)
    argv = shlex.split(hint)
    # As typed from the clone: the venv's interpreter, manage.py, then the command itself.
    assert os.access(ROOT / argv[0], os.X_OK) and argv[1] == "manage.py"
    out = StringIO()
    call_command(*argv[2:], stdout=out)
    logins = {
        line.split()[0]: line.split()[1] for line in out.getvalue().splitlines() if line.startswith("  ")
    }
    assert len(logins) == 6 and hint not in out.getvalue()
    for username, password in logins.items():
        assert authenticate(username=username, password=password) is not None, username

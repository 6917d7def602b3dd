import pytest
from django.core.exceptions import ImproperlyConfigured

from vlrtracker.settings import env_bool, env_list


def test_env_bool_reads_the_usual_spellings(monkeypatch):
    for raw, expected in [
        ("1", True),
        ("true", True),
        ("YES", True),
        ("0", False),
        ("off", False),
        ("", False),
    ]:
        monkeypatch.setenv("X_FLAG", raw)
        assert env_bool("X_FLAG", default=not expected) is expected


def test_env_bool_rejects_a_typo_instead_of_guessing(monkeypatch):
    monkeypatch.setenv("X_FLAG", "flase")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", default=True)


def test_env_bool_default_when_unset(monkeypatch):
    monkeypatch.delenv("X_FLAG", raising=False)
    assert env_bool("X_FLAG", default=True) is True


def test_env_list_splits_and_strips(monkeypatch):
    monkeypatch.setenv("X_HOSTS", " a.org, b.org ,,")
    assert env_list("X_HOSTS", "") == ["a.org", "b.org"]


def _database(**env) -> dict:
    """DATABASES['default'] ENGINE and OPTIONS as the settings module computes them under ``env``."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import json, vlrtracker.settings as s; d = s.DATABASES['default']; "
        "print(json.dumps({'ENGINE': d['ENGINE'], 'OPTIONS': d.get('OPTIONS', {})}))"
    )
    root = Path(__file__).resolve().parents[2]
    environment = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_PREPARED_STATEMENTS")
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**environment, **env},
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_postgresql_uses_prepared_statements_unless_turned_off():
    url = "postgres://u:p@db.example.org:5432/vlr"
    assert _database(DATABASE_URL=url)["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 5}
    assert _database(DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="0")["OPTIONS"] == {}
    # SQLite gets no prepared statements, only its larger page cache (see the next test).
    assert _database(DATABASE_URL="sqlite:////tmp/x.sqlite3")["OPTIONS"] == {
        "init_command": "PRAGMA cache_size=-64000"
    }


@pytest.mark.django_db
def test_sqlite_keeps_a_large_imports_transaction_in_memory():
    """A 64 MB page cache: a 5,000-series import (values, history, stored progress) does not
    spill into the file under an exclusive lock that fails every reader until it commits
    (tests/core/test_jobs.py reads the job's page during such an import)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the page cache setting is SQLite's")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -64000


def test_postgresql_urls_get_the_project_backend_and_sqlite_django_s():
    assert _database(DATABASE_URL="postgres://u:p@db.example.org/vlr")["ENGINE"] == "apps.core.db.postgresql"
    assert _database(DATABASE_URL="sqlite:////tmp/x.sqlite3")["ENGINE"] == "django.db.backends.sqlite3"

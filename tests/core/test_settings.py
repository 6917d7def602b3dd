import pytest
from django.core.exceptions import ImproperlyConfigured

from vlrtracker.settings import env_bool, env_list


def test_env_bool_reads_the_usual_spellings(monkeypatch):
    for raw, expected in [("1", True), ("true", True), ("YES", True), ("0", False), ("off", False), ("", False)]:
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

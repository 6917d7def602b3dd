import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command

from apps.indicators.models import LocalIndicator, Observation
from apps.initiatives.models import Initiative
from apps.municipalities.models import Municipality
from apps.vlr.models import Edition


@pytest.mark.django_db
def test_seed_demo_creates_users_data_and_prints_working_passwords_once():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "fictional" in text
    logins = {}
    for line in text.splitlines():
        parts = line.split()
        if parts and parts[0] in {"admin", "coordinator", "planner_jungnang", "planner_gwangmyeong", "planner_hanam", "planner_dangjin"}:
            logins[parts[0]] = parts[1]
    assert len(logins) == 6
    for username, password in logins.items():
        assert authenticate(username=username, password=password) is not None, username
    cities = Municipality.objects.filter(code__in=["11260", "41210", "41450", "44270"])
    assert all(city.is_sample_data for city in cities)
    assert Edition.objects.filter(municipality__in=cities, status="draft").count() == 4
    assert LocalIndicator.objects.filter(municipality__in=cities).count() == 24
    assert Initiative.objects.filter(municipality__in=cities).count() == 16
    counts = (Observation.objects.count(), Initiative.objects.count())

    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert "unchanged" in again.getvalue()
    assert (Observation.objects.count(), Initiative.objects.count()) == counts
    assert authenticate(username="coordinator", password=logins["coordinator"]) is not None


@pytest.mark.django_db
def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "-production-secret-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "vlr.example.org",
        "DATABASE_URL": "sqlite:////tmp/vlr-deploy-check.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {"DEBUG": "0"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr

"""The test cast (healthchecks' alice/bob/charlie idea, in our domain).

- ``muni_a`` 중랑구 11260 with ``planner_a``; ``muni_b`` 광명시 41210 with ``planner_b``;
- ``viewer_a`` reads 중랑구's drafts; ``coordinator`` reviews 중랑구, 광명시 (in scope) but
  not 하남시 (``muni_c``, ``planner_c``); ``coordinator_all`` reviews everything;
- ``admin`` is a superuser; ``anon`` is anonymous.
The SDG framework and local governments are loaded once per test session from fixtures/.
"""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from apps.municipalities.choices import Role
from apps.municipalities.models import CoordinatorScope, Membership, Municipality


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, tmp_path_factory):
    """On SQLite the test database is a file, not memory, so that a real worker process
    (``manage.py db_worker``, tests/core/test_jobs.py) can open the same database."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data is part of every test database, as it is of every installation."""
    with django_db_blocker.unblock():
        call_command("load_reference", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _reference_after_flush(request):
    """Transactional tests (threads, live_server) end by emptying every table; put the
    reference data back for the next one."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        from apps.sdg.models import Goal

        if not Goal.objects.exists():
            call_command("load_reference", stdout=io.StringIO())


def make_user(username: str, **extra):
    return get_user_model().objects.create_user(username=username, password="pw-" + username, **extra)


@pytest.fixture
def muni_a(db) -> Municipality:
    return Municipality.objects.get(code="11260")


@pytest.fixture
def muni_b(db) -> Municipality:
    return Municipality.objects.get(code="41210")


@pytest.fixture
def muni_c(db) -> Municipality:
    return Municipality.objects.get(code="41450")


@pytest.fixture
def planner_a(muni_a):
    user = make_user("planner_a", email="planner_a@example.org")
    Membership.objects.create(user=user, municipality=muni_a, role=Role.PLANNER)
    return user


@pytest.fixture
def planner_b(muni_b):
    user = make_user("planner_b", email="planner_b@example.org")
    Membership.objects.create(user=user, municipality=muni_b, role=Role.PLANNER)
    return user


@pytest.fixture
def planner_c(muni_c):
    user = make_user("planner_c", email="planner_c@example.org")
    Membership.objects.create(user=user, municipality=muni_c, role=Role.PLANNER)
    return user


@pytest.fixture
def viewer_a(muni_a):
    user = make_user("viewer_a")
    Membership.objects.create(user=user, municipality=muni_a, role=Role.VIEWER)
    return user


@pytest.fixture
def coordinator(muni_a, muni_b):
    user = make_user("coordinator", email="coordinator@example.org")
    scope = CoordinatorScope.objects.create(user=user, network="ICLEI Korea (test)")
    scope.municipalities.set([muni_a, muni_b])
    return user


@pytest.fixture
def coordinator_all(db):
    user = make_user("coordinator_all")
    CoordinatorScope.objects.create(user=user, all_municipalities=True)
    return user


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser(
        username="admin", password="pw-admin", email="a@example.org"
    )


@pytest.fixture
def anon():
    return AnonymousUser()

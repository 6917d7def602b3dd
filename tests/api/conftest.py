"""API test helpers: the out-of-scope coordinator and logged-in API clients."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.municipalities.models import CoordinatorScope
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Files the API keeps (submissions, proof files) go under a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def coordinator_c(muni_c):
    """A coordinator whose network is 하남시 only: out of scope for 중랑구 (muni_a)."""
    user = make_user("coordinator_c")
    scope = CoordinatorScope.objects.create(user=user, network="하남 네트워크 (test)")
    scope.municipalities.set([muni_c])
    return user


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None and user.is_authenticated:
        client.force_authenticate(user)
    return client


@pytest.fixture
def api():
    """``api(user)`` → an APIClient acting as ``user`` (anonymous for AnonymousUser/None)."""
    return client_for

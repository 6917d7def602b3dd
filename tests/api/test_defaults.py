"""Safe DRF defaults: a view is closed to anonymous users unless it says it is public."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView


class Undeclared(APIView):
    """A view that forgot to say who may use it."""

    def get(self, request):
        return Response({"secret": 42})


@pytest.mark.django_db
def test_a_view_that_declares_no_permission_needs_a_login(planner_a):
    factory = APIRequestFactory()
    anonymous = Undeclared.as_view()(factory.get("/api/v1/undeclared/"))
    assert anonymous.status_code == 401
    request = factory.get("/api/v1/undeclared/")
    force_authenticate(request, user=planner_a)
    assert Undeclared.as_view()(request).status_code == 200


def _api_views(patterns=None, prefix=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from _api_views(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and (prefix + str(entry.pattern)).startswith(("api/", "^api/")):
            view = getattr(entry.callback, "cls", None)
            if view is not None:
                yield prefix + str(entry.pattern), view


def test_every_api_view_says_who_may_use_it():
    views = dict(_api_views())
    assert len(views) > 20
    for route, view in views.items():
        owner = next(klass for klass in view.__mro__ if "permission_classes" in vars(klass))
        assert owner is not APIView, f"{route}: {view.__name__} relies on DEFAULT_PERMISSION_CLASSES"


@pytest.mark.django_db
def test_the_public_endpoints_stay_public(anon, api):
    client = api(anon)
    for path in (
        "/api/v1/goals/",
        "/api/v1/municipalities/",
        "/api/v1/initiatives/",
        "/api/schema/",
        "/api/docs/",
    ):
        assert client.get(path).status_code == 200, path
    assert client.get("/api/v1/me/").status_code == 401
    assert client.post("/api/v1/auth/token/", {"username": "nobody", "password": "x"}).status_code == 400

"""Which municipality a web page is about, for every app's pages (the switcher, the
navigation and the municipality pages).

Every page starts from ``Model.objects.for_user(request.user, action)``
(apps/core/permissions.py); these helpers only decide *which* municipality a page is about.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from apps.core.permissions import Action, municipality_scope

from .models import Municipality

SESSION_KEY = "municipality"


def user_municipalities(user) -> list[Municipality]:
    """The municipalities a user works on (member or coordinator), for the switcher; cached per
    request on the user object. Nobody's list for anonymous users."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = user.__dict__.get("_ui_municipalities")
    if cached is None:
        scope = municipality_scope(user, Action.VIEW)
        qs = Municipality.objects.only("id", "code", "name_ko", "name_en", "is_sample_data")
        cached = list(qs if scope.all else qs.filter(pk__in=scope.ids))
        user.__dict__["_ui_municipalities"] = cached
    return cached


def current_municipality_code(request: HttpRequest) -> str | None:
    """The municipality the user last chose or visited, else their first one."""
    code = request.session.get(SESSION_KEY)
    if code:
        return code
    mine = user_municipalities(request.user)
    return mine[0].code if mine else None


def municipality_for_page(request: HttpRequest, code: str, action: str = Action.VIEW) -> Municipality:
    """The municipality a page is about (404 unless the user may ``action`` it). Remembers it as
    the current one when the user works there, so the navigation follows them."""
    municipality = get_object_or_404(Municipality.objects.for_user(request.user, action), code=code)
    works_there = municipality_scope(request.user, Action.VIEW).allows(municipality.pk)
    if works_there and request.session.get(SESSION_KEY) != code:
        request.session[SESSION_KEY] = code
    return municipality

"""Pages and helpers shared by the whole web UI: home, municipality switcher, the navigation.

Every page starts from ``Model.objects.for_user(request.user, action)``
(apps/core/permissions.py); these helpers only decide *which* municipality a page is about.
"""
from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.permissions import Action, municipality_scope
from apps.municipalities.models import Municipality

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


def can_edit(user, municipality: Municipality) -> bool:
    return municipality_scope(user, Action.EDIT).allows(municipality.pk)


def can_review(user, municipality: Municipality) -> bool:
    return municipality_scope(user, Action.REVIEW).allows(municipality.pk)


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def home(request: HttpRequest) -> HttpResponse:
    """Where "/" leads: the current municipality's dashboard, the network view for
    coordinators without one, the published reviews for everybody else."""
    if request.user.is_authenticated:
        scope = municipality_scope(request.user, Action.REVIEW)
        code = request.session.get(SESSION_KEY)
        if not code and (scope.all or len(scope.ids) > 1):
            return redirect("municipalities:network")
        code = code or current_municipality_code(request)
        if code:
            return redirect("municipalities:dashboard", code=code)
    return redirect("vlr:public_list")


@require_POST
def switch_municipality(request: HttpRequest) -> HttpResponse:
    """The switcher in the header: only municipalities the user works on are accepted."""
    code = request.POST.get("municipality", "")
    allowed = {m.code for m in user_municipalities(request.user)}
    if code not in allowed:
        messages.error(request, _("You do not work on that municipality."))
        return redirect("core:home")
    request.session[SESSION_KEY] = code
    return redirect("municipalities:dashboard", code=code)

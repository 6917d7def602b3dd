"""Dashboard of one municipality (17 goal tiles) and the coordinators' network grid."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from apps.core.permissions import Action, municipality_scope
from apps.core.views import municipality_for_page
from apps.indicators import progress as engine
from apps.indicators.models import LocalIndicator
from apps.initiatives.models import Initiative
from apps.sdg.models import Goal

from .models import Municipality
from .selectors import goal_overview


def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    municipality = municipality_for_page(request, code)
    grid, overall = goal_overview(request.user, [municipality])
    cells, overall = grid[municipality.pk], overall[municipality.pk]
    context = {
        "municipality": municipality,
        "cells": list(cells.values()),
        "indicator_count": overall.total,
        "overall": overall,
    }
    return render(request, "municipalities/dashboard.html", context)


@login_required
def network(request: HttpRequest) -> HttpResponse:
    """Municipalities × goals for a coordinator's network (those with any data in scope)."""
    scope = municipality_scope(request.user, Action.REVIEW)
    if not (scope.all or scope.ids):
        raise Http404
    qs = Municipality.objects.for_user(request.user, Action.REVIEW)
    if scope.all:
        # All 243 local governments are in scope: list those with data, or the user would
        # scroll through empty rows.
        qs = qs.filter(pk__in=LocalIndicator.objects.values("municipality")) | qs.filter(
            pk__in=Initiative.objects.values("municipality")
        )
    municipalities = list(qs.distinct().order_by("code"))
    grid, _ = goal_overview(request.user, municipalities)
    rows = [(m, list(grid[m.pk].values())) for m in municipalities]
    return render(request, "municipalities/network.html", {
        "rows": rows, "goals": list(Goal.objects.all()), "statuses": list(engine.Status),
    })

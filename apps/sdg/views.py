"""The SDG target picker used by the initiative form (the goal page is in apps.portal)."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Target


def target_search(request: HttpRequest) -> HttpResponse:
    """The SDG target picker: code or words of the Korean or English title (htmx fragment)."""
    q = request.GET.get("q", "").strip()
    results = []
    if q:
        condition = Q(code__startswith=q) | Q(title_ko__icontains=q) | Q(title_en__icontains=q)
        results = list(Target.objects.filter(condition).select_related("goal")[:20])
    return render(
        request,
        "sdg/target_options.html",
        {
            "results": results,
            "q": q,
            "field": request.GET.get("field", "targets"),
        },
    )

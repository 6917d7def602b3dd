"""Goal page (targets -> local indicators and initiatives of one municipality) and the SDG
target picker used by the initiative form."""
from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from apps.core.views import municipality_for_page
from apps.indicators import progress as engine
from apps.indicators.models import IndicatorAlignment
from apps.indicators.selectors import indicator_progress, local_indicators_for
from apps.initiatives.models import Initiative, InitiativeTarget

from .models import Goal, Target


def goal_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    municipality = municipality_for_page(request, code)
    goal = get_object_or_404(Goal, number=number)
    targets = list(Target.objects.filter(goal=goal))
    indicators = local_indicators_for(municipality=municipality, user=request.user).filter(
        pk__in=IndicatorAlignment.objects.filter(target__goal=goal).values("local_indicator_id")
    )
    progresses = indicator_progress(indicators)
    by_target: dict[int, list] = defaultdict(list)
    for result in progresses:
        for alignment in result.indicator.alignments.all():
            if alignment.target.goal_id == goal.pk:
                by_target[alignment.target_id].append((result.indicator, result, alignment))
    links = (
        InitiativeTarget.objects.filter(
            target__goal=goal,
            initiative__in=Initiative.objects.for_user(request.user).filter(municipality=municipality),
        )
        .select_related("initiative")
    )
    initiatives_by_target: dict[int, list] = defaultdict(list)
    for link in links:
        initiatives_by_target[link.target_id].append(link)
    rows = [(t, by_target.get(t.pk, []), initiatives_by_target.get(t.pk, [])) for t in targets]
    context = {
        "municipality": municipality,
        "goal": goal,
        "rows": rows,
        "summary": engine.summarise(progresses),
        "prev": number - 1 if number > 1 else None,
        "next": number + 1 if number < 17 else None,
    }
    return render(request, "sdg/goal_detail.html", context)


def target_search(request: HttpRequest) -> HttpResponse:
    """The SDG target picker: code or words of the Korean or English title (htmx fragment)."""
    q = request.GET.get("q", "").strip()
    results = []
    if q:
        condition = Q(code__startswith=q) | Q(title_ko__icontains=q) | Q(title_en__icontains=q)
        results = list(Target.objects.filter(condition).select_related("goal")[:20])
    return render(request, "sdg/target_options.html", {
        "results": results, "q": q, "field": request.GET.get("field", "targets"),
    })

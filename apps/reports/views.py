"""Gap matrix of a municipality: SDG targets × initiatives, budget, groups served, aligned
indicators and their progress, with the gaps flagged."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.core.views import municipality_for_page
from apps.indicators import progress as engine
from apps.indicators.selectors import indicator_progress, local_indicators_for
from apps.initiatives.models import Initiative, InitiativeTarget
from apps.sdg.models import Target


@dataclass
class GapRow:
    target: Target
    initiatives: list = field(default_factory=list)
    indicators: list = field(default_factory=list)  # IndicatorProgress

    @property
    def budget(self) -> int:
        return sum(i.budget_krw or 0 for i in self.initiatives)

    @property
    def groups(self) -> list:
        seen = {}
        for initiative in self.initiatives:
            for group in initiative.groups_served.all():
                seen[group.pk] = group
        return list(seen.values())

    @property
    def summary(self) -> engine.Summary:
        return engine.summarise(self.indicators)

    @property
    def unmeasured(self) -> bool:
        """Initiatives but no indicator that can be assessed."""
        return bool(self.initiatives) and self.summary.assessed == 0

    @property
    def deteriorating_unaddressed(self) -> bool:
        """An aligned indicator deteriorates and no initiative works on the target."""
        return not self.initiatives and self.summary.counts[engine.Status.DETERIORATION] > 0


def gap_matrix(request: HttpRequest, code: str) -> HttpResponse:
    municipality = municipality_for_page(request, code)
    rows: dict[int, GapRow] = {}
    progresses = indicator_progress(local_indicators_for(municipality=municipality, user=request.user))
    for item in progresses:
        for alignment in item.indicator.alignments.all():
            rows.setdefault(alignment.target_id, GapRow(alignment.target)).indicators.append(item)
    initiatives = Initiative.objects.for_user(request.user).filter(municipality=municipality)
    links = InitiativeTarget.objects.filter(initiative__in=initiatives).select_related("target__goal").prefetch_related(
        Prefetch("initiative", queryset=Initiative.objects.prefetch_related("groups_served"))
    )
    for link in links:
        rows.setdefault(link.target_id, GapRow(link.target)).initiatives.append(link.initiative)
    ordered = sorted(rows.values(), key=lambda r: r.target.sort_key)
    only = request.GET.get("only") == "flags"
    if only:
        ordered = [r for r in ordered if r.unmeasured or r.deteriorating_unaddressed]
    return render(request, "reports/gap_matrix.html", {
        "municipality": municipality, "rows": ordered, "only_flags": only,
        "n_unmeasured": sum(r.unmeasured for r in rows.values()),
        "n_unaddressed": sum(r.deteriorating_unaddressed for r in rows.values()),
    })

"""Indicator page: trend chart, the numbers behind the status, observations with inline
add/edit (planners of the city only)."""
from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.permissions import Action, can_edit
from apps.core.templatetags.ui import is_english
from apps.indicators import progress as engine
from apps.municipalities.pages import municipality_for_page

from .forms import ObservationForm
from .models import LocalIndicator, Observation
from .selectors import IndicatorProgress, indicator_progress, local_indicators_for


def series_name(series) -> str:
    """Label of a disaggregation series in the active language."""
    return series.label_en if is_english() else series.label_ko


# --------------------------------------------------------------------------- SVG chart

W, H, PAD_L, PAD_R, PAD_T, PAD_B = 720, 300, 64, 24, 20, 40
SERIES_COLOURS = ["#1d4ed8", "#7c3aed", "#0e7490", "#be185d", "#4d7c0f", "#9a3412"]


def _nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = 10 ** int(f"{raw:e}".split("e")[1])
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = (lo // step) * step
    ticks, v = [start], start
    while ticks[-1] < hi - step * 1e-9:
        v += step
        ticks.append(round(v, 10))
    return ticks


def trend_chart(indicator: LocalIndicator, result: IndicatorProgress) -> dict | None:
    """Coordinates of a server-side SVG: every series, baseline, target point and line."""
    series = [(s, list(s.points)) for s in result.series]
    years = [y for _, pts in series for y, _ in pts]
    values = [v for _, pts in series for _, v in pts]
    if not years:
        return None
    if indicator.target_value is not None:
        years.append(indicator.target_year or engine.DEFAULT_TARGET_YEAR)
        values.append(indicator.target_value)
    if indicator.baseline_value is not None:
        values.append(indicator.baseline_value)
    y0, y1 = min(years), max(years)
    if y0 == y1:
        y0, y1 = y0 - 1, y1 + 1
    ticks = _nice_ticks(min(values), max(values))
    v0, v1 = ticks[0], ticks[-1] if ticks[-1] > ticks[0] else ticks[0] + 1

    def x(year: float) -> float:
        return round(PAD_L + (year - y0) / (y1 - y0) * (W - PAD_L - PAD_R), 1)

    def y(value: float) -> float:
        return round(H - PAD_B - (value - v0) / (v1 - v0) * (H - PAD_T - PAD_B), 1)

    lines = []
    for index, (item, pts) in enumerate(series):
        lines.append({
            "name": series_name(item),
            "colour": SERIES_COLOURS[index % len(SERIES_COLOURS)],
            "dashed": index > 0,
            "points": " ".join(f"{x(a)},{y(b)}" for a, b in pts),
            "dots": [{"x": x(a), "y": y(b), "year": a, "value": b} for a, b in pts],
        })
    step = max(1, (y1 - y0) // 10 + 1)
    chart = {
        "w": W, "h": H, "left": PAD_L, "right": W - PAD_R, "top": PAD_T, "bottom": H - PAD_B,
        "lines": lines,
        "xticks": [{"x": x(yr), "label": yr} for yr in range(y0, y1 + 1, step)],
        "yticks": [{"y": y(v), "label": v} for v in ticks],
        "target": None, "baseline": None,
    }
    if indicator.target_value is not None:
        ty = indicator.target_year or engine.DEFAULT_TARGET_YEAR
        chart["target"] = {"x": x(ty), "y": y(indicator.target_value), "year": ty, "value": indicator.target_value}
    if indicator.baseline_value is not None and indicator.baseline_year is not None:
        chart["baseline"] = {"x": x(indicator.baseline_year), "y": y(indicator.baseline_value),
                             "year": indicator.baseline_year, "value": indicator.baseline_value}
    return chart


# --------------------------------------------------------------------------- pages


def indicator_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """GET: the page; ``?edit=<id>`` turns one row into a form (htmx swaps only that row).
    POST: add (no ``observation`` field) or change one observation, then back to the page."""
    municipality = municipality_for_page(request, code)
    indicator = get_object_or_404(
        local_indicators_for(municipality=municipality, user=request.user), pk=pk
    )
    editable = can_edit(request.user, municipality)
    all_observations = list(Observation.objects.filter(local_indicator=indicator).order_by(
        "year", "quarter", "sex", "age_group", "district", "income_group", "disability"))
    edit_id = request.GET.get("edit")
    form = add_form = None
    status_code = 200
    if request.method == "POST":
        if not editable:
            raise Http404
        instance = None
        if request.POST.get("observation"):
            instance = get_object_or_404(
                Observation.objects.for_user(request.user, Action.EDIT).filter(local_indicator=indicator),
                pk=request.POST["observation"],
            )
        bound = ObservationForm(request.POST, instance=instance, indicator=indicator,
                               prefix="edit" if instance else None)
        if bound.is_valid():
            obs = bound.save(commit=False)
            obs.local_indicator = indicator
            obs._history_user = request.user
            obs.save()
            messages.success(request, _("Value saved: %(year)s = %(value)s") % {"year": obs.year, "value": f"{obs.value:g}"})
            return redirect(reverse("indicators:detail", args=[code, pk]) + "#observations")
        if instance is None:
            add_form = bound
        else:
            form, edit_id = bound, str(instance.pk)
    if editable and add_form is None:
        add_form = ObservationForm(indicator=indicator, initial={"year": _next_year(all_observations)})
    if editable and edit_id and form is None:
        instance = next((o for o in all_observations if str(o.pk) == edit_id), None)
        form = ObservationForm(instance=instance, indicator=indicator, prefix="edit") if instance else None
    result = indicator_progress([indicator])[0]
    context = {
        "municipality": municipality,
        "indicator": indicator,
        "result": result,
        "series": [(series_name(item), item.progress) for item in result.series],
        "chart": trend_chart(indicator, result),
        "observations": all_observations,
        "editable": editable,
        "edit_form": form,
        "edit_id": edit_id,
        "add_form": add_form,
        "escap_labels": engine.ESCAP_LABELS,
    }
    return render(request, "indicators/indicator_detail.html", context, status=status_code)


def _next_year(observations) -> int | None:
    years = [o.year for o in observations]
    return max(years) + 1 if years else None

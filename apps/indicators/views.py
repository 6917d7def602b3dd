"""Indicator pages: the list, create/edit/retire, and the indicator page (trend chart, the
numbers behind the status, observations with inline add/edit/delete, history with restore).
Writes are planners' of the city only and go through apps.indicators.services."""

from __future__ import annotations

import base64
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from apps.core.exceptions import ApplicationError
from apps.core.http import attachment
from apps.core.permissions import Action, can_edit
from apps.core.tables import ROLES, Layout
from apps.core.templatetags.ui import bilingual, is_english
from apps.indicators import progress as engine
from apps.indicators import services
from apps.indicators.services import tables
from apps.indicators.services.kosis import kosis_stale
from apps.municipalities.pages import municipality_for_page
from apps.sdg.models import Target

from .choices import Alignment, Direction, Disability, Sex
from .filtersets import LocalIndicatorFilterSet
from .forms import ImportForm, LocalIndicatorForm, ObservationForm, TableImportForm
from .models import KosisLink, LocalIndicator, Observation, TableMapping
from .opendata import indicator_csv, open_sdg_id
from .selectors import (
    IndicatorProgress,
    indicator_history,
    local_indicators_for,
    stored_indicator_progress,
)


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
        lines.append(
            {
                "name": series_name(item),
                "colour": SERIES_COLOURS[index % len(SERIES_COLOURS)],
                "dashed": index > 0,
                "points": " ".join(f"{x(a)},{y(b)}" for a, b in pts),
                "dots": [{"x": x(a), "y": y(b), "year": a, "value": b} for a, b in pts],
            }
        )
    step = max(1, (y1 - y0) // 10 + 1)
    chart = {
        "w": W,
        "h": H,
        "left": PAD_L,
        "right": W - PAD_R,
        "top": PAD_T,
        "bottom": H - PAD_B,
        "lines": lines,
        "xticks": [{"x": x(yr), "label": yr} for yr in range(y0, y1 + 1, step)],
        "yticks": [{"y": y(v), "label": v} for v in ticks],
        "target": None,
        "baseline": None,
    }
    if indicator.target_value is not None:
        ty = indicator.target_year or engine.DEFAULT_TARGET_YEAR
        chart["target"] = {
            "x": x(ty),
            "y": y(indicator.target_value),
            "year": ty,
            "value": indicator.target_value,
        }
    if indicator.baseline_value is not None and indicator.baseline_year is not None:
        by = y(indicator.baseline_value)
        # The label goes below the point unless it would sit on the x axis and its year labels.
        chart["baseline"] = {
            "x": x(indicator.baseline_year),
            "y": by,
            "label_y": by + 18 if by + 18 < H - PAD_B - 4 else by - 12,
            "year": indicator.baseline_year,
            "value": indicator.baseline_value,
        }
    return chart


# --------------------------------------------------------------------------- pages

PAGE_SIZE = 200
CHOICES = {
    "direction": Direction.choices,
    "alignment": Alignment.choices,
    "sex": Sex.choices,
    "disability": Disability.choices,
}
HISTORY_LABELS = {
    **LocalIndicatorForm.Meta.labels,
    **ObservationForm.Meta.labels,
    "value": _lazy("Value"),
    "alignment": _lazy("Alignment"),
    "retired_at": _lazy("Retired"),
}


def _editable_page(request: HttpRequest, code: str):
    """The municipality of a create page: 403 unless the user plans for it (municipalities
    themselves are public), the API's convention (apps/core/api/permissions.py)."""
    municipality = municipality_for_page(request, code)
    if not can_edit(request.user, municipality):
        raise PermissionDenied
    return municipality


def _indicator_for_edit(request: HttpRequest, code: str, pk: int) -> tuple:
    """(municipality, indicator) of a write page: 404 when the user cannot see the indicator,
    403 when they see it but may not edit it (coordinators, viewers, a public indicator of
    another city), as the API answers."""
    municipality = municipality_for_page(request, code)
    indicator = get_object_or_404(
        LocalIndicator.objects.for_user(request.user)
        .filter(municipality=municipality)
        .select_related("municipality"),
        pk=pk,
    )
    if not can_edit(request.user, municipality):
        raise PermissionDenied
    return municipality, indicator


def indicator_list(request: HttpRequest, code: str) -> HttpResponse:
    """The municipality's local indicators (the shared FilterSet), with status; retired ones last."""
    municipality = municipality_for_page(request, code)
    base = local_indicators_for(municipality=municipality, user=request.user, include_retired=True)
    filterset = LocalIndicatorFilterSet(request.GET, queryset=base)
    for name in ("municipality", "municipality_id", "code", "ordering"):
        filterset.form.fields.pop(name, None)
    rows = stored_indicator_progress(filterset.qs[:PAGE_SIZE]) if filterset.is_valid() else []
    return render(
        request,
        "indicators/indicator_list.html",
        {
            "municipality": municipality,
            "filterset": filterset,
            "page_size": PAGE_SIZE,
            "active": [r for r in rows if not r.indicator.is_retired],
            "retired": [r for r in rows if r.indicator.is_retired],
            "editable": can_edit(request.user, municipality),
            "truncated": len(rows) >= PAGE_SIZE,
        },
    )


def indicator_form(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    """Create (no ``pk``) or edit a local indicator, all fields and its SDG alignment. A new one
    may start aligned to ``?target=11.6`` (the goal page's "add an indicator" links)."""
    if pk is None:
        municipality, instance = _editable_page(request, code), None
    else:
        municipality, instance = _indicator_for_edit(request, code, pk)
    if instance is not None and instance.is_retired:
        messages.error(request, _("This indicator is retired; reinstate it before editing."))
        return redirect("indicators:detail", code=code, pk=pk)
    initial = {}
    if instance is None and request.GET.get("target"):
        initial["targets"] = list(
            Target.objects.filter(code=request.GET["target"]).values_list("pk", flat=True)
        )
    form = LocalIndicatorForm(
        request.POST or None, instance=instance, municipality=municipality, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            if instance is None:
                indicator = services.indicator_create(
                    municipality=municipality, actor=request.user, **form.service_arguments()
                )
            else:
                indicator = services.indicator_update(
                    indicator=instance, actor=request.user, **form.service_arguments()
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Indicator saved."))
            return redirect("indicators:detail", code=code, pk=indicator.pk)
    return render(
        request,
        "indicators/indicator_form.html",
        {
            "municipality": municipality,
            "form": form,
            "indicator": instance,
        },
    )


def indicator_retire(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """GET: what retiring means, and a confirm button. POST: retire (or ``reinstate``)."""
    municipality, indicator = _indicator_for_edit(request, code, pk)
    if request.method == "POST":
        reinstate = bool(request.POST.get("reinstate"))
        services.indicator_retire(indicator=indicator, actor=request.user, reinstate=reinstate)
        messages.success(request, _("Indicator reinstated.") if reinstate else _("Indicator retired."))
        return redirect("indicators:detail", code=code, pk=pk)
    return render(
        request,
        "indicators/confirm.html",
        {
            "municipality": municipality,
            "indicator": indicator,
            "what": "retire",
            "value_count": indicator.observations.count(),
        },
    )


def observation_delete(request: HttpRequest, code: str, pk: int, observation: int) -> HttpResponse:
    """GET: the value and a confirm button. POST: delete it (its history keeps it for restore)."""
    municipality, indicator = _indicator_for_edit(request, code, pk)
    obs = get_object_or_404(Observation.objects.filter(local_indicator=indicator), pk=observation)
    if request.method == "POST":
        try:
            services.observation_delete(observation=obs, actor=request.user)
        except ApplicationError as exc:  # e.g. the indicator was retired meanwhile
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Value deleted: %(year)s = %(value)s. The history below can restore it.")
                % {"year": obs.year, "value": f"{obs.value:g}"},
            )
        return redirect(reverse("indicators:detail", args=[code, pk]) + "#history")
    return render(
        request,
        "indicators/confirm.html",
        {
            "municipality": municipality,
            "indicator": indicator,
            "what": "delete",
            "observation": obs,
        },
    )


@require_POST
def history_restore(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Restore one version from the page's history: of the indicator or of one of its values."""
    _municipality, indicator = _indicator_for_edit(request, code, pk)
    try:
        history_id = int(request.POST.get("history_id", ""))
    except ValueError:
        raise Http404 from None
    try:
        if request.POST.get("kind") == "indicator":
            services.indicator_restore(indicator=indicator, history_id=history_id, actor=request.user)
        else:
            services.observation_restore(indicator=indicator, history_id=history_id, actor=request.user)
    except (ValidationError, ApplicationError) as exc:
        messages.error(request, _("Could not restore: %(reason)s") % {"reason": _error_text(exc)})
    else:
        messages.success(request, _("Previous version restored."))
    return redirect(reverse("indicators:detail", args=[code, pk]) + "#history")


def _error_text(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return exc.message


def indicator_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """GET: the page; ``?edit=<id>`` turns one row into a form (htmx swaps only that row).
    POST: add (no ``observation`` field) or change one observation through the services, then
    back to the page. A value that looks like a slip comes back with the warnings and a
    "save as it is" box; nothing is saved until the user confirms or corrects it."""
    municipality = municipality_for_page(request, code)
    indicator = get_object_or_404(
        local_indicators_for(municipality=municipality, user=request.user, include_retired=True), pk=pk
    )
    editable = can_edit(request.user, municipality)
    writable = editable and not indicator.is_retired
    all_observations = list(
        Observation.objects.filter(local_indicator=indicator)
        .select_related("imported_by")  # provenance: who stored each value, in the same query
        .order_by("year", "quarter", "sex", "age_group", "district", "income_group", "disability")
    )
    edit_id = request.GET.get("edit")
    form = add_form = None
    if request.method == "POST":
        if not editable:
            raise Http404
        instance = None
        if request.POST.get("observation"):
            instance = get_object_or_404(
                Observation.objects.for_user(request.user, Action.EDIT).filter(local_indicator=indicator),
                pk=request.POST["observation"],
            )
        bound = ObservationForm(
            request.POST, instance=instance, indicator=indicator, prefix="edit" if instance else None
        )
        if bound.is_valid():
            try:
                if instance is None:
                    obs = services.observation_create(
                        indicator=indicator, actor=request.user, **bound.service_arguments()
                    )
                else:
                    obs = services.observation_update(
                        observation=instance, actor=request.user, **bound.service_arguments()
                    )
            except services.PlausibilityWarning as warning:
                bound.warnings = warning.warnings
            except (ValidationError, ApplicationError) as exc:
                bound.add_error(None, _error_text(exc))
            else:
                messages.success(
                    request,
                    _("Value saved: %(year)s = %(value)s") % {"year": obs.year, "value": f"{obs.value:g}"},
                )
                return redirect(reverse("indicators:detail", args=[code, pk]) + "#observations")
        if instance is None:
            add_form = bound
        else:
            form, edit_id = bound, str(instance.pk)
    if writable and add_form is None:
        add_form = ObservationForm(indicator=indicator, initial={"year": _next_year(all_observations)})
    if writable and edit_id and form is None:
        instance = next((o for o in all_observations if str(o.pk) == edit_id), None)
        form = ObservationForm(instance=instance, indicator=indicator, prefix="edit") if instance else None
    result = stored_indicator_progress([indicator])[0]
    history = indicator_history(indicator) if editable else []
    kosis_link = KosisLink.objects.filter(indicator=indicator).select_related("refreshed_by").first()
    context = {
        "municipality": municipality,
        "indicator": indicator,
        "result": result,
        "series": [(series_name(item), item.progress) for item in result.series],
        "chart": trend_chart(indicator, result),
        "observations": all_observations,
        "editable": editable,
        "writable": writable,
        "edit_form": form,
        "edit_id": edit_id,
        "add_form": add_form,
        "history": history,
        "history_rows": [(entry, _readable_changes(entry)) for entry in history],
        "escap_labels": engine.ESCAP_LABELS,
        "kosis_link": kosis_link,
        "kosis_stale": kosis_stale(kosis_link, all_observations),
    }
    return render(request, "indicators/indicator_detail.html", context)


@require_POST
def kosis_refresh_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The indicator page's "refresh from KOSIS" button: a background job whose page shows its
    progress, then what was stored and what the source revised."""
    municipality = municipality_for_page(request, code, Action.EDIT)
    indicator = get_object_or_404(
        LocalIndicator.objects.for_user(request.user, Action.EDIT).filter(municipality=municipality), pk=pk
    )
    job = services.kosis_refresh_start(indicator=indicator, actor=request.user)
    return redirect("job", pk=job.pk)


def _readable_changes(entry) -> list[tuple[str, str, str]]:
    """(label, before, after) of one history entry, in the page's language."""

    def show(name, value) -> str:
        if value is None or value == "":
            return "–"
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if name in CHOICES:
            return bilingual(str(dict(CHOICES[name]).get(value, value)))
        if isinstance(value, float):
            return f"{value:,g}"
        if isinstance(value, datetime):
            return date_format(localtime(value), "Y-m-d H:i")
        return str(value)

    return [
        (str(HISTORY_LABELS.get(name, name)), show(name, old), show(name, new))
        for name, old, new in entry.changes
    ]


def _next_year(observations) -> int | None:
    years = [o.year for o in observations]
    return max(years) + 1 if years else None


def import_page(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a spreadsheet for this municipality. A small file is imported in the request and
    its report shown here; a large one (``IMPORT_BACKGROUND_BYTES``) becomes a background job
    whose page shows its progress, then the same report."""
    municipality = municipality_for_page(request, code, Action.EDIT)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        arguments = {
            "file": data["file"],
            "municipality": municipality,
            "actor": request.user,
            "dry_run": data["dry_run"],
        }
        try:
            if services.import_in_background(data["file"]):
                job = services.import_start(kind=data["kind"], **arguments)
                return redirect("job", pk=job.pk)
            service = (
                services.observations_import
                if data["kind"] == "observations_import"
                else services.indicators_import
            )
            report = service(**arguments).as_dict()
        except services.SpreadsheetImportError as exc:
            error, report = exc, exc.report.as_dict()
        except ApplicationError as exc:
            error = exc
    return render(
        request,
        "indicators/import.html",
        {"municipality": municipality, "form": form, "report": report, "error": error},
    )


def indicator_opendata_csv(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A public indicator's values as Open SDG's tidy CSV (apps.indicators.opendata), for
    anybody; a non-public indicator has no open data (404, whoever asks)."""
    indicator = get_object_or_404(
        LocalIndicator.objects.published().filter(municipality__code=code).select_related("municipality"),
        pk=pk,
    )
    return attachment(
        indicator_csv(indicator), "text/csv; charset=utf-8", f"indicator_{open_sdg_id(indicator.code)}.csv"
    )


def import_table_page(request: HttpRequest, code: str) -> HttpResponse:
    """Import a table as KOSIS or a department keeps it: upload, see how each column was
    understood (or apply a saved mapping), correct it, then the all-or-nothing import (or a dry
    run); the corrected mapping can be saved for next year's file."""
    municipality = municipality_for_page(request, code, Action.EDIT)
    indicators = LocalIndicator.objects.for_user(request.user, Action.EDIT).filter(municipality=municipality)
    mappings = TableMapping.objects.for_user(request.user, Action.EDIT).filter(municipality=municipality)
    form = TableImportForm(
        request.POST or None,
        request.FILES or None,
        indicators=indicators,
        mappings=mappings,
        initial={"step": "preview"},
    )
    context = {"municipality": municipality, "form": form, "roles": ROLES}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content = data["bytes"]
        context["content"] = base64.b64encode(content).decode()
        context["filename"] = data["filename"] or "upload"
        file = ContentFile(content, name=context["filename"])
        try:
            layout, rows = tables.table_layout(file=file)
            if data["step"] == "preview":
                if data["mapping"] is not None:
                    layout = Layout.from_dict(data["mapping"].layout)
            else:
                layout = data["layout"]
                if data["save_as"].strip():
                    tables.table_mapping_save(
                        municipality=municipality, name=data["save_as"], layout=layout, actor=request.user
                    )
                arguments = {
                    "file": file,
                    "municipality": municipality,
                    "indicator": data["indicator"],
                    "item": data["item"].strip(),
                    "layout": layout,
                    "actor": request.user,
                    "dry_run": data["dry_run"],
                }
                if services.import_in_background(file):
                    job = services.import_start(kind="observations_import_table", **arguments)
                    return redirect("job", pk=job.pk)
                context["report"] = tables.observations_import_table(**arguments).as_dict()
            context["layout"] = layout
            context["rows"] = [["" if v is None else str(v)[:40] for v in row] for row in rows[:12]]
        except services.SpreadsheetImportError as exc:
            context["error"], context["report"] = exc, exc.report.as_dict()
            context["layout"] = data["layout"]
        except (ApplicationError, ValidationError) as exc:
            context["error"] = exc
    return render(request, "indicators/import_table.html", context)

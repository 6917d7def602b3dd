"""Pages that span several apps: where "/" leads, the municipality switcher, a municipality's
dashboard (17 goal tiles), the coordinators' network grid, the goal page (targets -> local
indicators and initiatives of one municipality) and the gap matrix (SDG targets × initiatives,
budget, groups served, aligned indicators and their progress, with the gaps flagged).

They sit in the top app because each reads several apps; the apps below never import them.
URL names keep the namespaces they had before the move (apps/portal/urls.py).
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import PermissionDeniedError
from apps.core.models import Job
from apps.core.permissions import Action, municipality_scope, reviews_anywhere, sees_work_in_progress
from apps.datacalls.selectors import open_call_summaries
from apps.frameworks.choices import Kind
from apps.frameworks.models import Framework
from apps.frameworks.selectors import local_nodes_by_target
from apps.indicators import progress as engine
from apps.indicators.models import IndicatorAlignment, LocalIndicator
from apps.indicators.selectors import (
    aligned_targets,
    attach_crosswalk_targets,
    local_indicators_for,
    stored_indicator_progress,
)
from apps.initiatives.models import Initiative, InitiativeTarget
from apps.municipalities.choices import Level
from apps.municipalities.models import Municipality
from apps.municipalities.pages import (
    SESSION_KEY,
    current_municipality_code,
    municipality_for_page,
    user_municipalities,
)
from apps.sdg.models import Goal, Target
from apps.vlr.selectors import city_calendar, network_calendar, review_queue

from .selectors import (
    gap_rows,
    goal_overview,
    indicator_comparisons,
    local_goal_overview,
    network_grid,
    network_municipalities,
)
from .services import network_export_file, network_export_start


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


VIEW_KEY = "framework_view"  # the session remembers "local" (the city's own framework) or "un"


def framework_view(request: HttpRequest, municipality: Municipality):
    """The city's own framework when the user chose to see it (``?view=local``, remembered in
    the session until ``?view=un``) and may read one; else None (the UN SDG view)."""
    chosen = request.GET.get("view")
    if chosen in ("local", "un"):
        request.session[VIEW_KEY] = chosen
    framework = (
        Framework.objects.for_user(request.user)
        .filter(municipality=municipality, kind=Kind.LOCAL)
        .order_by("code")
        .first()
    )
    return framework, (framework if request.session.get(VIEW_KEY) == "local" else None)


def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    municipality = municipality_for_page(request, code)
    grid, overall = goal_overview(request.user, [municipality])
    cells, overall = grid[municipality.pk], overall[municipality.pk]
    local, shown = framework_view(request, municipality)
    context = {
        "municipality": municipality,
        "cells": list(cells.values()),
        "indicator_count": overall.total,
        "overall": overall,
        "local_framework": local,
        "by_local": shown is not None,
        "local_cells": local_goal_overview(request.user, municipality, shown)[0] if shown else [],
        # What the Act makes due, and the dates the city set (apps.vlr.selectors.cycle).
        "calendar": city_calendar(municipality, timezone.localdate()),
        # The open data call's completeness, for those who see the city's work (apps.datacalls).
        "data_calls": open_call_summaries(request.user, [municipality.pk])
        if sees_work_in_progress(request.user, municipality.pk)
        else None,
    }
    return render(request, "portal/dashboard.html", context)


NETWORK_PAGE_SIZE = 100  # municipalities per page: 243 Korean local governments fit in 3
# The comparison of indicators is made for at most this many municipalities (a province: the
# largest, Gyeonggi, has 31): on a page of 100 cities at national scale it listed thousands of
# rows (2.6 MB of HTML, 7 s), none of it at a glance.
COMPARE_LIMIT = 31


@login_required
def network(request: HttpRequest) -> HttpResponse:
    """The review queue (editions submitted or sent back, waiting since when) above
    municipalities × goals for a coordinator's network (those with any data in scope): each cell
    is coloured by the status most of the goal's indicators have, from the stored progress
    counted in the database. ``?province=<code>`` keeps one province and its municipalities;
    ``?page=`` pages through 100 municipalities at a time, so time and memory follow the page,
    not the network."""
    if not reviews_anywhere(request.user):
        raise Http404
    provinces = list(Municipality.objects.filter(level=Level.PROVINCE).order_by("code"))
    province = request.GET.get("province", "")
    qs = network_municipalities(request.user, province=province)
    page = Paginator(qs, NETWORK_PAGE_SIZE).get_page(request.GET.get("page"))
    municipalities = list(page.object_list)
    goals = list(Goal.objects.all())
    grid = network_grid(request.user, municipalities, goals)
    rows = [(m, grid[m.pk]) for m in municipalities]
    return render(
        request,
        "portal/network.html",
        {
            "rows": rows,
            "page": page,
            "provinces": provinces,
            "province": province,
            "goals": goals,
            "whole_network": municipality_scope(request.user, Action.REVIEW).all,
            "this_year": timezone.localdate().year,
            "queue": review_queue(request.user),
            "comparisons": indicator_comparisons(request.user, municipalities)
            if len(municipalities) <= COMPARE_LIMIT
            else None,
            "calendar": network_calendar(request.user, timezone.localdate()),
            "data_calls": open_call_summaries(request.user, [m.pk for m in municipalities]),
        },
    )


def goal_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    municipality = municipality_for_page(request, code)
    goal = get_object_or_404(Goal, number=number)
    targets = list(Target.objects.filter(goal=goal))
    # Aligned directly or through the city's own framework and the crosswalk (one selector).
    # Both subqueries within the city: over every city's rows they grew with the database.
    aligned = IndicatorAlignment.objects.filter(
        target__goal=goal, local_indicator__municipality=municipality
    ).values("local_indicator_id")
    through_nodes = LocalIndicator.framework_nodes.through.objects.filter(
        localindicator__municipality=municipality
    ).values("localindicator_id")
    indicators = local_indicators_for(municipality=municipality, user=request.user).filter(
        Q(pk__in=aligned) | Q(pk__in=through_nodes)
    )
    progresses = stored_indicator_progress(indicators)
    attach_crosswalk_targets([result.indicator for result in progresses])
    by_target: dict[int, list] = defaultdict(list)
    for result in progresses:
        direct = {a.target_id: a for a in result.indicator.alignments.all()}
        for target in aligned_targets(result.indicator):
            if target.goal_id == goal.pk:
                by_target[target.pk].append((result.indicator, result, direct.get(target.pk)))
    progresses = [r for r in progresses if any(t.goal_id == goal.pk for t in aligned_targets(r.indicator))]
    links = InitiativeTarget.objects.filter(
        target__goal=goal,
        initiative__in=Initiative.objects.for_user(request.user).filter(municipality=municipality),
    ).select_related("initiative")
    initiatives_by_target: dict[int, list] = defaultdict(list)
    for link in links:
        initiatives_by_target[link.target_id].append(link)
    local = local_nodes_by_target(municipality, request.user)
    rows = [
        (t, by_target.get(t.pk, []), initiatives_by_target.get(t.pk, []), local.get(t.pk, []))
        for t in targets
    ]
    context = {
        "municipality": municipality,
        "goal": goal,
        "rows": rows,
        "summary": engine.summarise(progresses),
        "prev": number - 1 if number > 1 else None,
        "next": number + 1 if number < 17 else None,
    }
    return render(request, "portal/goal_detail.html", context)


def gap_matrix(request: HttpRequest, code: str) -> HttpResponse:
    municipality = municipality_for_page(request, code)
    rows, budget_total = gap_rows(municipality=municipality, user=request.user)
    only = request.GET.get("only") == "flags"
    return render(
        request,
        "portal/gap_matrix.html",
        {
            "municipality": municipality,
            "rows": [r for r in rows if r.flagged] if only else rows,
            "only_flags": only,
            "n_unmeasured": sum(r.unmeasured for r in rows),
            "n_unaddressed": sum(r.deteriorating_unaddressed for r in rows),
            "budget_total": budget_total,
        },
    )


@login_required
@require_POST
def network_export(request: HttpRequest) -> HttpResponse:
    """Start the whole-network export (every city's VLR workbook for a year, one zip) as a
    background job and show the job's page, which follows its progress and offers the download."""
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        messages.error(request, _("Give a reporting year between 2000 and 2100."))
        return redirect("municipalities:network")
    try:
        job = network_export_start(year=year, actor=request.user)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    return redirect("job", job.pk)


@login_required
def network_export_download(request: HttpRequest, pk: int) -> FileResponse:
    """The zip of a finished whole-network export, for an all-municipality coordinator."""
    try:
        job = Job.objects.for_user(request.user).defer("payload").get(pk=pk)
        handle = network_export_file(job, request.user)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except (Job.DoesNotExist, FileNotFoundError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=job.file_name)

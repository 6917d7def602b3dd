"""The project's URLs plus bare Django views for bench/bench_api.py (never in production urls).

Each bare view returns the same page the API list returns (same filters, same 50 rows, the same
keys and values, related codes included) as a plain JSON list built by hand: ``.values()``
queries (one per relation, as the API needs too) and ``JsonResponse``, with no authentication,
scoping, pagination count, filterset or serializer. The API's cost is measured against it.
"""

import datetime
from collections import defaultdict

from django.db.models import F, Q
from django.http import JsonResponse
from django.urls import path

from apps.indicators.models import PROVENANCE_FIELDS, Observation
from apps.initiatives.models import Initiative, InitiativeTarget
from vlrtracker.urls import urlpatterns as project_urlpatterns

OBSERVATION_FIELDS = (
    "id",
    "local_indicator_id",
    "year",
    "quarter",
    "sex",
    "age_group",
    "district",
    "income_group",
    "disability",
    "value",
    "source",
    "is_provisional",
    "is_estimated",
    "note",
    # provenance (read-only in the API; ``imported_by`` is the user's name, joined below)
    *(name for name in PROVENANCE_FIELDS if name != "imported_by"),
)
INITIATIVE_FIELDS = (
    "id",
    "municipality_id",
    "title_ko",
    "title_en",
    "summary_ko",
    "summary_en",
    "kind",
    "status",
    "department",
    "start_date",
    "end_date",
    "budget_krw",
    "partners",
    "is_public",
    "created_at",
    "updated_at",
)


def _size(request) -> int:
    return min(int(request.GET.get("page_size", 50)), 200)


def _years(request) -> tuple[int | None, int | None]:
    """``year_min`` and ``year_max`` if given (``bench_api.py --new-lists`` names them)."""
    return tuple(int(request.GET[name]) if name in request.GET else None for name in ("year_min", "year_max"))


def bare_observations(request):
    rows = Observation.objects.filter(
        local_indicator__municipality__code=request.GET.get("municipality", "11260")
    )
    low, high = _years(request)
    if low is not None:
        rows = rows.filter(year__gte=low)
    if high is not None:
        rows = rows.filter(year__lte=high)
    rows = rows.values(
        *OBSERVATION_FIELDS,
        code=F("local_indicator__code"),
        municipality=F("local_indicator__municipality__code"),
        imported_by_username=F("imported_by__username"),
    )[: _size(request)]
    return JsonResponse(list(rows), safe=False)


def bare_initiatives(request):
    rows = Initiative.objects.filter(municipality__code=request.GET.get("municipality", "11260"))
    low, high = _years(request)  # as the API's filters: no end (start) date counts as running
    if low is not None:
        rows = rows.filter(Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(low, 1, 1)))
    if high is not None:
        rows = rows.filter(Q(start_date__isnull=True) | Q(start_date__lte=datetime.date(high, 12, 31)))
    rows = list(rows.values(*INITIATIVE_FIELDS, municipality_code=F("municipality__code"))[: _size(request)])
    ids = [row["id"] for row in rows]
    targets, groups, indicators = defaultdict(list), defaultdict(list), defaultdict(list)
    for initiative, code, primary in InitiativeTarget.objects.filter(initiative__in=ids).values_list(
        "initiative_id", "target__code", "is_primary"
    ):
        targets[initiative].append({"target": code, "is_primary": primary})
    for initiative, code in Initiative.groups_served.through.objects.filter(initiative__in=ids).values_list(
        "initiative_id", "populationgroup__code"
    ):
        groups[initiative].append(code)
    for initiative, indicator in Initiative.local_indicators.through.objects.filter(
        initiative__in=ids
    ).values_list("initiative_id", "localindicator_id"):
        indicators[initiative].append(indicator)
    for row in rows:
        row["targets"], row["groups_served"] = targets[row["id"]], groups[row["id"]]
        row["local_indicators"] = indicators[row["id"]]
    return JsonResponse(rows, safe=False)


urlpatterns = [
    path("bench/bare/observations/", bare_observations),
    path("bench/bare/initiatives/", bare_initiatives),
    *project_urlpatterns,
]

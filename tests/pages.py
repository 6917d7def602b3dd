"""Every page of a city, per role: the one list the browser sweep
(tests/browser/test_every_page.py) visits and the national-scale benchmark (bench/bench_scale.py)
times, so the two cannot drift apart. Plain code (no pytest): the benchmark imports it."""

from __future__ import annotations

import django_filters
from django.urls import resolve, reverse

from apps.evidence.models import Document
from apps.indicators.models import LocalIndicator
from apps.initiatives.models import Initiative

# The API lists that grow with the network (millions of observations at national scale).
BIG_LISTS = (
    "local-indicators",
    "observations",
    "initiatives",
    "progress-updates",
    "documents",
    "evidence-links",
)


def every_page(
    *,
    code,
    indicator,
    initiative,
    document,
    quiet,
    dismissed,
    job,
    draft,
    published,
    submitted,
    assessment,
    panel,
    framework,
    node,
    data_call,
) -> dict[str, list[str]]:
    """The URLs each role reads, for municipality ``code`` and its objects: ``quiet`` a document
    with no suggestion, ``dismissed`` a dismissed one, ``draft``/``submitted``/``published``
    editions in those states, ``assessment`` an assessment edition with its ``panel``,
    ``framework`` the city's own framework with its ``node``, ``job`` an import job."""
    planner = [
        reverse("municipalities:dashboard", args=[code]) + "?view=local",
        reverse("frameworks:list"),
        reverse("frameworks:detail", args=[framework.pk]),
        reverse("frameworks:node_edit", args=[node.pk]),
        reverse("frameworks:import", args=[code]),
        reverse("indicators:import_table", args=[code]),
        reverse("municipalities:dashboard", args=[code]),
        reverse("municipalities:profile", args=[code]),
        reverse("sdg:goal", args=[code, 11]),
        reverse("indicators:detail", args=[code, indicator.pk]),
        reverse("indicators:list", args=[code]),
        reverse("indicators:create", args=[code]),
        reverse("indicators:edit", args=[code, indicator.pk]),
        reverse("indicators:retire", args=[code, indicator.pk]),
        reverse(
            "indicators:observation_delete", args=[code, indicator.pk, indicator.observations.first().pk]
        ),
        reverse("initiatives:list", args=[code]),
        reverse("initiatives:detail", args=[code, initiative.pk]),
        reverse("initiatives:create", args=[code]),
        reverse("initiatives:edit", args=[code, initiative.pk]),
        reverse("indicators:import", args=[code]),
        reverse("job", args=[job.pk]),
        reverse("evidence:inbox", args=[code]),
        reverse("evidence:inbox", args=[code]) + "?status=none",
        reverse("evidence:inbox", args=[code]) + "?status=dismissed",
        reverse("evidence:document", args=[document.pk]),
        reverse("evidence:document", args=[quiet.pk]),
        reverse("evidence:document", args=[dismissed.pk]),
        reverse("vlr:edition_list", args=[code]),
        reverse("vlr:edition", args=[draft.pk]),
        reverse("vlr:preview", args=[draft.pk]),
        reverse("vlr:edition", args=[published.pk]),
        reverse("vlr:assessment", args=[assessment.pk]),
        reverse("vlr:panel", args=[assessment.pk, panel.pk]),
        reverse("reports:gap_matrix", args=[code]),
        reverse("notifications:list"),
        reverse("datacalls:list", args=[code]),
        reverse("datacalls:detail", args=[code, data_call.pk]),
        reverse("datacalls:owed", args=[code, data_call.pk]),
    ]
    public = [
        reverse("vlr:public_list"),
        reverse("vlr:public_edition", args=[published.pk]),
        reverse("login"),
        reverse("frameworks:list"),
    ]
    viewer = [
        reverse("municipalities:dashboard", args=[code]),
        reverse("evidence:inbox", args=[code]),
        reverse("vlr:edition", args=[draft.pk]),
        reverse("indicators:detail", args=[code, indicator.pk]),
    ]
    coordinator = [
        reverse("municipalities:network"),
        reverse("datacalls:list", args=[code]),
        reverse("datacalls:detail", args=[code, data_call.pk]),
        reverse("frameworks:detail", args=[framework.pk]),
        reverse("vlr:edition", args=[submitted.pk]),
        reverse("municipalities:dashboard", args=[code]),
        reverse("notifications:list"),
    ]
    return {"planner": planner, "public": public, "viewer": viewer, "coordinator": coordinator}


def downloads(*, draft, published) -> list[str]:
    """The files a page offers that a browser saves rather than shows: the VLR workbook of a
    draft and of an approved edition."""
    return [reverse("vlr:workbook", args=[draft.pk]), reverse("vlr:workbook", args=[published.pk])]


def _samples(muni) -> dict[str, str]:
    """A value for each filter name that needs one of this data (the rest come from the filter's
    kind: a choice, true, a year, a date)."""
    indicator = LocalIndicator.objects.filter(municipality=muni).order_by("pk").first()
    initiative = Initiative.objects.filter(municipality=muni).order_by("pk").first()
    document = Document.objects.filter(municipality=muni).order_by("pk").first()
    target = indicator.alignments.order_by("pk").first().target
    return {
        "municipality": muni.code,
        "municipality_id": str(muni.pk),
        "goal": str(target.goal.number),
        "target": target.code,
        "primary_target": target.code,
        "local_indicator": str(indicator.pk),
        "local_indicator_code": indicator.code,
        "code": indicator.code,
        "initiative": str(initiative.pk),
        "document": str(document.pk),
        "framework_node": "1",
        "group": "women",
        "language": "ko",
        "q": "2",
        "min_score": "0.4",
    }


def _value(name: str, flt, samples: dict[str, str]) -> str:
    if name in samples:
        return samples[name]
    if isinstance(flt, django_filters.ChoiceFilter | django_filters.MultipleChoiceFilter):
        return next(str(value) for value, _ in flt.extra["choices"] if value)
    if isinstance(flt, django_filters.BooleanFilter):
        return "true"
    if isinstance(flt, django_filters.DateFilter):
        return "2024-03-01"
    if isinstance(flt, django_filters.NumberFilter) and name.startswith("year"):
        return "2011"
    raise AssertionError(f"give the filter {name!r} ({type(flt).__name__}) a sample value in _samples")


def api_list_queries(muni, path: str, extra: dict | None = None):
    """(description, query) for every filter and ordering the API list at ``path`` declares (a
    new filter is covered the day it is added: one without a sample value fails), ``muni``'s
    first indicator, initiative and document giving the values: the EXPLAIN test of the lists
    (tests/api/test_filter_indexes.py) and the national-scale benchmark ask the same."""
    extra = extra or {}
    view = resolve(f"/api/v1/{path}/").func
    filterset = view.cls.filterset_class
    samples = _samples(muni)
    for name, flt in filterset.base_filters.items():
        if isinstance(flt, django_filters.OrderingFilter):
            for field in flt.param_map:
                yield f"ordering={field}", {**extra, "ordering": field}
                yield f"ordering=-{field}", {**extra, "ordering": f"-{field}"}
        else:
            yield f"{name}=", {**extra, name: _value(name, flt, samples)}

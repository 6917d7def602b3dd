"""Initiatives of a municipality: list (the shared FilterSet), detail, create and edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.filtersets import localize_filter_form
from apps.core.permissions import Action, can_edit
from apps.indicators.models import LocalIndicator
from apps.municipalities.pages import municipality_for_page

from .filtersets import InitiativeFilterSet
from .forms import InitiativeForm, ProgressUpdateForm
from .models import Initiative, InitiativeTarget
from .services import progress_update_create

PAGE_SIZE = 50


def _with_links(qs):
    return qs.prefetch_related(
        Prefetch("target_links", queryset=InitiativeTarget.objects.select_related("target__goal")),
        "groups_served",
    )


def initiative_list(request: HttpRequest, code: str) -> HttpResponse:
    municipality = municipality_for_page(request, code)
    base = Initiative.objects.for_user(request.user).filter(municipality=municipality)
    filterset = InitiativeFilterSet(request.GET, queryset=base, request=request)
    # The municipality comes from the URL; do not offer to filter by another one here.
    for name in ("municipality", "municipality_id"):
        filterset.form.fields.pop(name, None)
    localize_filter_form(filterset)
    rows = list(_with_links(filterset.qs)[:PAGE_SIZE]) if filterset.is_valid() else []
    return render(
        request,
        "initiatives/initiative_list.html",
        {
            "municipality": municipality,
            "filterset": filterset,
            "initiatives": rows,
            "editable": can_edit(request.user, municipality),
            "page_size": PAGE_SIZE,
        },
    )


def initiative_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    municipality = municipality_for_page(request, code)
    initiative = get_object_or_404(
        _with_links(Initiative.objects.for_user(request.user).filter(municipality=municipality))
        # Only indicators the reader may view: a public initiative names no private indicator.
        .prefetch_related(
            Prefetch("local_indicators", queryset=LocalIndicator.objects.for_user(request.user)), "updates"
        ),
        pk=pk,
    )
    # Through the reverse relation: evidence sits above initiatives (its links point at them),
    # so this app does not import it.
    evidence = (
        initiative.evidence_links.for_user(request.user).filter(status="confirmed").select_related("document")
    )
    return render(
        request,
        "initiatives/initiative_detail.html",
        {
            "municipality": municipality,
            "initiative": initiative,
            "evidence": evidence,
            "editable": can_edit(request.user, municipality),
            "update_form": ProgressUpdateForm(initial={"date": timezone.localdate()})
            if can_edit(request.user, municipality)
            else None,
        },
    )


@require_POST
def progress_update_add(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Add a progress update to an initiative (planners of its municipality), through
    ``services.progress_update_create``; a refused one comes back as the form's bilingual errors."""
    municipality = municipality_for_page(request, code, Action.EDIT)
    initiative = get_object_or_404(
        Initiative.objects.for_user(request.user, Action.EDIT).filter(municipality=municipality), pk=pk
    )
    form = ProgressUpdateForm(request.POST)
    if form.is_valid():
        try:
            progress_update_create(initiative=initiative, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(request, _("Progress update saved."))
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("initiatives:detail", args=[code, pk]) + "#updates")


def initiative_form(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    """Create (no ``pk``) or edit an initiative; planners of the municipality only."""
    municipality = municipality_for_page(request, code, Action.EDIT)
    instance = None
    if pk is not None:
        instance = get_object_or_404(
            Initiative.objects.for_user(request.user, Action.EDIT).filter(municipality=municipality), pk=pk
        )
    form = InitiativeForm(request.POST or None, instance=instance, municipality=municipality)
    if request.method == "POST" and form.is_valid() and (initiative := form.save(actor=request.user)):
        messages.success(request, _("Initiative saved."))
        return redirect("initiatives:detail", code=code, pk=initiative.pk)
    return render(
        request,
        "initiatives/initiative_form.html",
        {
            "municipality": municipality,
            "form": form,
            "initiative": instance,
        },
    )

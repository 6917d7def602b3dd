"""The municipality's own pages (the dashboard is a cross-app page in apps.portal)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.permissions import Action

from .forms import MunicipalityProfileForm
from .pages import municipality_for_page
from .services import municipality_profile_update


def profile_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The city profile (population, area, budget, languages, their year) that the VLR
    submission pack's registration card carries: planners of the municipality edit it."""
    municipality = municipality_for_page(request, code, Action.EDIT)
    form = MunicipalityProfileForm(request.POST or None, instance=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            municipality_profile_update(municipality=municipality, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("City profile saved."))
            return redirect("municipalities:profile", code=code)
    return render(request, "municipalities/profile_form.html", {"municipality": municipality, "form": form})

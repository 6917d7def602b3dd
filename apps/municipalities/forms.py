"""The city profile form (what a planner keeps for the VLR submission pack)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Municipality


class MunicipalityProfileForm(forms.ModelForm):
    class Meta:
        model = Municipality
        fields = list(Municipality.PROFILE_FIELDS)
        labels = {
            "population": _("Population"),
            "area_km2": _("Area (km²)"),
            "budget_krw": _("Annual budget (KRW)"),
            "languages": _("Languages"),
            "profile_year": _("Year of these figures"),
        }
        help_texts = {
            "languages": _("ISO 639 codes separated by commas, e.g. ko, en"),
            "budget_krw": _("In won, the whole annual budget (general and special accounts)"),
        }

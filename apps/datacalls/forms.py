"""The form that opens a data call; the write is ``services.data_call_open``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DataCall


class DataCallForm(forms.ModelForm):
    class Meta:
        model = DataCall
        fields = ["year", "due_date", "message"]
        labels = {
            "year": _("Year asked for"),
            "due_date": _("Due date"),
            "message": _("Message to the owners"),
        }
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "message": forms.Textarea(attrs={"rows": 3}),
        }

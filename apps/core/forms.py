"""Form helpers shared by every app's forms and the web UI's filter forms."""

from __future__ import annotations

from django import forms

from apps.core.models import one_language


def choices_in_one_language(form_fields) -> None:
    """Choice labels stored as "국문 / English" (model choices) shown in the active language.
    Model choice fields (names that exist in both languages, such as targets) are left alone."""
    for field in form_fields.values():
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            field.choices = [
                (value, label if isinstance(label, (list, tuple)) else one_language(label))
                for value, label in field.choices
            ]

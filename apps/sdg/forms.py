"""Form fields for choosing SDG targets: a native ``<select>`` (works without JavaScript)
that ``templates/includes/target_picker.html`` and ``static/js/picker.js`` turn into a
searchable bilingual picker. The select stays the source of truth, so every ticked target is
kept whatever is searched next."""

from __future__ import annotations

from django import forms

from .models import Target

INVALID = "목록에 없는 세부목표입니다. 목록에서 고르세요 / not an SDG target: choose one from the list"


def _label(target: Target) -> str:
    return f"{target.code} {target.title_ko} / {target.title_en}"


class TargetChoiceField(forms.ModelChoiceField):
    """One target, submitted by code (e.g. ``11.6``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Select(attrs={"data-picker": "single"}))
        super().__init__(
            queryset=Target.objects.only("code", "title_ko", "title_en"), to_field_name="code", **kwargs
        )
        self.error_messages["invalid_choice"] = INVALID

    def label_from_instance(self, obj: Target) -> str:
        return _label(obj)


class TargetMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several targets, submitted by id."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.SelectMultiple(attrs={"data-picker": "multiple", "size": 8}))
        kwargs.setdefault("required", False)
        super().__init__(queryset=Target.objects.only("code", "title_ko", "title_en"), **kwargs)
        self.error_messages["invalid_choice"] = INVALID

    def label_from_instance(self, obj: Target) -> str:
        return _label(obj)

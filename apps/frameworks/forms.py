"""Forms of the framework pages: a node, a crosswalk link (the shared searchable picker over a
native select of nodes) and the import upload. Forms parse; writes are services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Relation
from .models import FrameworkNode


class NodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=60)
    title_ko = forms.CharField(label=_("Title (Korean)"), required=False, max_length=2000)
    title_en = forms.CharField(label=_("Title (English)"), required=False, max_length=2000)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=60)
    source = forms.CharField(label=_("Source"), required=False, max_length=500)


class NodeChoiceField(forms.ModelChoiceField):
    """One framework node, shown as ``code title_ko / title_en [framework]`` for the picker
    (``templates/includes/target_picker.html`` + ``static/js/picker.js``)."""

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("widget", forms.Select(attrs={"data-picker": "single"}))
        super().__init__(queryset=queryset.select_related("framework"), **kwargs)
        self.error_messages["invalid_choice"] = (
            "목록에 없는 항목입니다. 목록에서 고르세요 / not a node you may link to: choose one from the list"
        )

    def label_from_instance(self, obj: FrameworkNode) -> str:
        titles = " / ".join(t for t in (obj.title_ko, obj.title_en) if t)
        return f"{obj.code} {titles} [{obj.framework.code}]"


class NodeMultipleChoiceField(NodeChoiceField, forms.ModelMultipleChoiceField):
    """Several framework nodes, for the multiple picker (an indicator's or initiative's alignment)."""

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("widget", forms.SelectMultiple(attrs={"data-picker": "multiple", "size": 8}))
        kwargs.setdefault("required", False)
        super().__init__(queryset, **kwargs)


class LinkForm(forms.Form):
    to_node = NodeChoiceField(FrameworkNode.objects.none(), label=_("Linked node (UN SDG, K-SDG …)"))
    relation = forms.ChoiceField(
        label=_("Relation"), choices=Relation.choices, initial=Relation.CONTRIBUTES_TO
    )
    note = forms.CharField(label=_("Basis or source"), required=False, max_length=500)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_node"].queryset = targets.select_related("framework")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (xlsx or csv)"))
    dry_run = forms.BooleanField(label=_("Check only, save nothing"), required=False)

"""Forms of the indicator pages: a local indicator (all its fields and its SDG alignment) and
one value. Forms parse and show errors; the writes are apps.indicators.services'."""

from __future__ import annotations

import base64
import binascii
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ApplicationError
from apps.core.forms import choices_in_one_language
from apps.core.tables import Layout
from apps.frameworks.forms import NodeMultipleChoiceField
from apps.frameworks.models import FrameworkNode
from apps.sdg.forms import TargetMultipleChoiceField

from .models import LocalIndicator, Observation
from .services.imports import parse_number


class LocalIndicatorForm(forms.ModelForm):
    """Every field of a local indicator; the SDG targets it measures come from the shared picker
    (a target kept keeps its exact/proxy kind and global indicator; a new one is a proxy)."""

    targets = TargetMultipleChoiceField(
        label=_("Aligned SDG targets"),
        help_text=_(
            "Search by code or by words of the Korean or English title; every ticked target is kept."
        ),
    )

    framework_nodes = NodeMultipleChoiceField(
        FrameworkNode.objects.none(),
        label=_("Aligned to our framework"),
        help_text=_(
            "Goals, strategies or targets of the city's own framework (or K-SDGs); the UN targets they "
            "map to in the crosswalk count too."
        ),
    )

    class Meta:
        model = LocalIndicator
        fields = list(LocalIndicator.EDITABLE_FIELDS)
        labels = {
            "code": _("Indicator code"),
            "name_ko": _("Name (Korean)"),
            "name_en": _("Name (English)"),
            "unit": _("Unit"),
            "direction": _("Direction"),
            "is_binary": _("Achieved-or-not indicator"),
            "baseline_year": _("Baseline year"),
            "baseline_value": _("Baseline value"),
            "target_year": _("Target year"),
            "target_value": _("Target value"),
            "target_note": _("Qualitative target"),
            "data_source": _("Data source"),
            "department": _("Responsible department"),
            "owner_name": _("Person responsible"),
            "owner_email": _("Their e-mail"),
            "report_due": _("Reporting due date"),
            "definition": _("Definition and method"),
            "is_public": _("Public (readable by anyone)"),
        }
        help_texts = {
            "code": _("e.g. L-11.6.1; unique in the municipality."),
            "is_public": _("Public indicators appear in published reviews and to visitors."),
            "is_binary": _("Reached or not, instead of a number."),
            "target_note": _("When the target is not a number, e.g. keep increasing."),
            "definition": "",
        }
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "report_due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "owner_email": forms.EmailInput,
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        choices_in_one_language(self.fields)  # direction: "Higher is better", not both languages
        self.instance.municipality = municipality
        if self.instance.pk and "targets" not in self.initial:
            self.initial["targets"] = [a.target_id for a in self.instance.alignments.all()]
        self.fields["framework_nodes"].queryset = (
            FrameworkNode.objects.filter(framework__municipality=municipality)
            | FrameworkNode.objects.filter(framework__code="K-SDG", framework__municipality__isnull=True)
        ).select_related("framework")
        if self.instance.pk and "framework_nodes" not in self.initial:
            self.initial["framework_nodes"] = [n.pk for n in self.instance.framework_nodes.all()]

    def _get_validation_exclusions(self):
        # The municipality comes from the URL; keep it so "code already used" is checked here.
        exclude = super()._get_validation_exclusions()
        exclude.discard("municipality")
        return exclude

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        return {
            "fields": {k: v for k, v in data.items() if k in LocalIndicator.EDITABLE_FIELDS},
            "alignments": [{"target": t} for t in data["targets"]],
            "framework_nodes": list(data["framework_nodes"]),
        }


# Where the number ends and a unit typed after it ("12.5 %", "1,234명") begins.
_NUMBER_AND_UNIT = re.compile(r"\s*([+\-]?[0-9.,]*(?:[eE][+\-]?[0-9]+)?)\s*(.*?)\s*")


class ValueField(forms.CharField):
    """A number as people type it, by the imports' one number rule (``1,234``, ``17.2``; a
    decimal comma is refused, not guessed), optionally followed by a unit (``12.5 %``).
    Returns (value, unit typed)."""

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        number, unit = _NUMBER_AND_UNIT.fullmatch(text).groups()
        try:
            return parse_number(number), unit
        except ValueError as exc:  # the import's own bilingual reason
            raise forms.ValidationError(str(exc), code="invalid") from None


class ObservationForm(forms.ModelForm):
    """One value for a year (quarter and disaggregation optional). The model's constraints give
    bilingual messages (e.g. a second value for the same period and disaggregation); the
    service's plausibility questions are answered with ``confirm``."""

    value = ValueField(label=_("Value"))
    confirm = forms.BooleanField(
        label=_("I checked: save this value as it is"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "confirm-warning"}),
    )

    class Meta:
        model = Observation
        fields = [
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
        ]
        labels = {
            "year": _("Year"),
            "quarter": _("Quarter (0 = whole year)"),
            "sex": _("Sex"),
            "age_group": _("Age group"),
            "district": _("District"),
            "income_group": _("Income group"),
            "disability": _("Disability"),
            "source": _("Source"),
            "is_provisional": _("Provisional"),
            "is_estimated": _("Estimated"),
            "note": _("Note"),
        }
        widgets = {"note": forms.TextInput()}

    def __init__(self, *args, indicator=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        choices_in_one_language(self.fields)  # disaggregation: "Female", not "여성 / female"
        self.warnings: list[str] = []
        if indicator is not None:
            self.instance.local_indicator = indicator
            if indicator.unit:
                self.fields["value"].label = f"{self.fields['value'].label} ({indicator.unit})"

    def clean_value(self):
        value, self.unit_typed = self.cleaned_data["value"]
        return value

    def _get_validation_exclusions(self):
        # The indicator is set by the view, not a form field; keep it so the "one value per
        # indicator + period + disaggregation" constraint is checked here, with its message.
        exclude = super()._get_validation_exclusions()
        exclude.discard("local_indicator")
        return exclude

    def service_arguments(self) -> dict:
        fields = {k: v for k, v in self.cleaned_data.items() if k in self._meta.fields}
        return {
            "fields": fields,
            "unit": self.unit_typed,
            "confirmed": self.cleaned_data.get("confirm", False),
        }


class ImportForm(forms.Form):
    """A spreadsheet to import into one municipality: the annex (observations) or the indicator
    metadata layout."""

    KINDS = [
        ("observations_import", _("Values (statistical annex layout)")),
        ("indicators_import", _("Indicators (indicator metadata layout)")),
    ]

    kind = forms.ChoiceField(label=_("What the file holds"), choices=KINDS)
    file = forms.FileField(
        label=_("Spreadsheet (xlsx or csv)"),
        # Django's own messages are in the active language only; import refusals are bilingual.
        error_messages={
            "required": "파일을 고르세요 / choose a file",
            "empty": "빈 파일입니다 / the submitted file is empty",
            "invalid": "파일이 아닙니다 / no file was submitted",
            "missing": "파일이 없습니다 / no file was submitted",
            "max_length": "파일 이름이 너무 깁니다 / the file name is too long",
        },
    )
    dry_run = forms.BooleanField(label=_("Check only, save nothing (dry run)"), required=False)


class TableImportForm(forms.Form):
    """A table as KOSIS or a department keeps it, in two steps: the upload (step ``preview``:
    the detected or a saved mapping is shown) and the checked mapping (step ``import``), which
    carries the file's bytes back in a hidden field (base64) so nothing is stored in between."""

    MAX_BYTES = 1_500_000  # base64 of this stays under DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)

    step = forms.ChoiceField(
        choices=[("preview", "preview"), ("import", "import")],
        widget=forms.HiddenInput,
        error_messages={
            "required": "단계가 없습니다 / the step is missing",
            "invalid_choice": "알 수 없는 단계 / unknown step",
        },
    )
    file = forms.FileField(
        label=_("Table (xlsx or csv, e.g. a KOSIS download)"),
        required=False,
        error_messages={
            "empty": "빈 파일입니다 / the submitted file is empty",
            "invalid": "파일이 아닙니다 / no file was submitted",
            "max_length": "파일 이름이 너무 깁니다 / the file name is too long",
        },
    )
    content = forms.CharField(required=False, widget=forms.HiddenInput)
    filename = forms.CharField(
        required=False,
        max_length=200,
        widget=forms.HiddenInput,
        error_messages={"max_length": "파일 이름이 너무 깁니다 / the file name is too long"},
    )
    indicator = forms.ModelChoiceField(
        label=_("Indicator the values belong to"),
        queryset=None,
        error_messages={
            "required": "지표를 고르세요 / choose the indicator",
            "invalid_choice": "이 지자체의 지표가 아닙니다 / not an indicator of this municipality",
        },
    )
    item = forms.CharField(
        label=_("Item (when the table holds several)"),
        required=False,
        max_length=100,
        error_messages={"max_length": "100자 이하여야 합니다 / at most 100 characters"},
    )
    mapping = forms.ModelChoiceField(
        label=_("Saved column mapping"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": "저장된 대응표가 아닙니다 / not a saved mapping"},
    )
    save_as = forms.CharField(
        label=_("Save this mapping as"),
        required=False,
        max_length=100,
        error_messages={"max_length": "100자 이하여야 합니다 / at most 100 characters"},
    )
    dry_run = forms.BooleanField(label=_("Check only, save nothing (dry run)"), required=False)

    def __init__(self, *args, indicators, mappings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["mapping"].queryset = mappings

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > self.MAX_BYTES:
                raise forms.ValidationError(
                    f"미리보기는 {self.MAX_BYTES:,} 바이트까지입니다. 큰 파일은 명령이나 API로 가져오세요 / the "
                    f"preview takes files up to {self.MAX_BYTES:,} bytes; import larger ones with the command or API"
                )
            data["bytes"] = upload.read()
            data["filename"] = upload.name
        elif data.get("content"):
            try:
                data["bytes"] = base64.b64decode(data["content"], validate=True)
            except (binascii.Error, ValueError):
                raise forms.ValidationError(
                    "파일 내용이 손상되었습니다 / the file's content was damaged"
                ) from None
        else:
            raise forms.ValidationError("파일을 고르세요 / choose a file")
        data["layout"] = None
        if data.get("step") == "import":
            try:
                data["layout"] = Layout.from_dict(self._posted_layout())
            except ApplicationError as exc:
                raise forms.ValidationError(
                    [exc.message, *[str(e) for e in exc.extra.get("errors", [])]]
                ) from None
        return data

    def _posted_layout(self) -> dict:
        """The mapping as the preview's fields post it (``col-3-role`` …)."""
        columns = []
        count = int(self.data.get("columns") or 0) if str(self.data.get("columns") or "0").isdigit() else 0
        for i in range(min(count, 1000)):
            columns.append(
                {
                    "index": i,
                    **{
                        k: self.data.get(f"col-{i}-{k}", "")
                        for k in ("header", "role", "period", "item", "unit", "region", "flag")
                    },
                }
            )
        return {
            "orientation": self.data.get("orientation", ""),
            "header_first": self.data.get("header_first", ""),
            "header_last": self.data.get("header_last", ""),
            "data_first": self.data.get("data_first", ""),
            "sheet": self.data.get("sheet", ""),
            "columns": columns,
        }

"""Initiative form: bilingual titles, SDG targets (one primary) chosen with the shared target
picker (code or words of the Korean or English title), groups served, related local indicators."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.forms import choices_in_one_language
from apps.frameworks.forms import NodeMultipleChoiceField
from apps.frameworks.models import FrameworkNode
from apps.indicators.models import LocalIndicator
from apps.sdg.forms import TargetChoiceField, TargetMultipleChoiceField

from .models import Initiative, PopulationGroup, ProgressUpdate
from .services import initiative_create, initiative_update

# Messages shown whatever the interface language: planners write in Korean, reviewers may
# read English (the model's own constraint messages are bilingual too).
BILINGUAL_ERRORS = {
    "required": "필수 항목입니다 / this field is required",
    "invalid": "값이 올바르지 않습니다 / enter a valid value",
    "invalid_choice": "선택지에 없는 값입니다 / select a valid choice",
    "invalid_list": "목록 형식이 아닙니다 / enter a list of values",
    "max_length": "너무 깁니다 / this value is too long",
    "min_value": "값이 너무 작습니다 / this value is too small",
}


class BilingualErrorsMixin:
    def _bilingual_errors(self):
        for field in self.fields.values():
            for code, message in BILINGUAL_ERRORS.items():
                if " / " in str(field.error_messages.get(code, "")):
                    continue  # the field's own bilingual message (e.g. the target picker's) says more
                if code in field.error_messages or code == "required":
                    field.error_messages[code] = message


class InitiativeForm(BilingualErrorsMixin, forms.ModelForm):
    primary_target = TargetChoiceField(label=_("Primary SDG target"))
    targets = TargetMultipleChoiceField(label=_("Other SDG targets"))
    framework_nodes = NodeMultipleChoiceField(
        FrameworkNode.objects.none(), label=_("Aligned to our framework")
    )

    class Meta:
        model = Initiative
        fields = [
            "title_ko",
            "title_en",
            "summary_ko",
            "summary_en",
            "kind",
            "status",
            "department",
            "owner_name",
            "owner_email",
            "report_due",
            "start_date",
            "end_date",
            "budget_krw",
            "partners",
            "groups_served",
            "local_indicators",
            "is_public",
        ]
        labels = {
            "title_ko": _("Title (Korean)"),
            "title_en": _("Title (English)"),
            "summary_ko": _("Summary (Korean)"),
            "summary_en": _("Summary (English)"),
            "kind": _("Kind"),
            "status": _("Status"),
            "department": _("Responsible department"),
            "owner_name": _("Person responsible"),
            "owner_email": _("Their e-mail"),
            "report_due": _("Reporting due date"),
            "start_date": _("Start date"),
            "end_date": _("End date"),
            "budget_krw": _("Budget (KRW)"),
            "partners": _("Partners (one per line)"),
            "groups_served": _("Groups served (leave no one behind)"),
            "local_indicators": _("Related local indicators"),
            "is_public": _("Public"),
        }
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "report_due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "owner_email": forms.EmailInput,
            "summary_ko": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "partners": forms.Textarea(attrs={"rows": 2}),
            "groups_served": forms.CheckboxSelectMultiple,
            # The shared searchable picker (static/js/picker.js), as for targets and nodes: a city
            # keeps 30-160 indicators, too many to tick in a list of boxes.
            "local_indicators": forms.SelectMultiple(attrs={"data-picker": "multiple", "size": 8}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self._bilingual_errors()
        choices_in_one_language(self.fields)  # kind and status: "Policy", not "정책 / policy"
        self.municipality = municipality
        self.instance.municipality = municipality
        self.fields["groups_served"].queryset = PopulationGroup.objects.all()
        self.fields["local_indicators"].queryset = LocalIndicator.objects.filter(municipality=municipality)
        self.fields["framework_nodes"].queryset = (
            FrameworkNode.objects.filter(framework__municipality=municipality)
            | FrameworkNode.objects.filter(framework__code="K-SDG", framework__municipality__isnull=True)
        ).select_related("framework")
        if self.instance.pk:
            self.initial.setdefault("framework_nodes", [n.pk for n in self.instance.framework_nodes.all()])
        if self.instance.pk:
            links = list(self.instance.target_links.select_related("target"))
            primary = next((link.target for link in links if link.is_primary), None)
            self.initial.setdefault("primary_target", primary.code if primary else "")
            self.initial.setdefault("targets", [link.target_id for link in links if not link.is_primary])

    def _get_validation_exclusions(self):
        # The municipality is set by the view; keep it in model validation.
        exclude = super()._get_validation_exclusions()
        exclude.discard("municipality")
        return exclude

    def save(self, *, actor) -> Initiative | None:
        """Create or update through the service (the API's path too). A rule the service
        refuses becomes an error of this form and ``None`` is returned; nothing is saved."""
        data = dict(self.cleaned_data)
        primary = data.pop("primary_target")
        others = [t for t in data.pop("targets") or [] if t.pk != primary.pk]
        links = {
            "targets": [(primary, True)] + [(t, False) for t in others],
            "groups_served": data.pop("groups_served"),
            "local_indicators": data.pop("local_indicators"),
            "framework_nodes": list(data.pop("framework_nodes")),
        }
        try:
            if self.instance.pk:
                return initiative_update(initiative=self.instance, actor=actor, **links, **data)
            return initiative_create(municipality=self.municipality, actor=actor, **links, **data)
        except ValidationError as error:
            self.add_error(None, error)
            return None


class ProgressUpdateForm(BilingualErrorsMixin, forms.ModelForm):
    """A progress update of an initiative: the date it speaks of and what happened."""

    class Meta:
        model = ProgressUpdate
        fields = ["date", "text"]
        labels = {"date": _("Date"), "text": _("What happened")}
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._bilingual_errors()

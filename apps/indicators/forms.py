"""Forms for local indicator values."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Observation


class ObservationForm(forms.ModelForm):
    """One value for a year (quarter and disaggregation optional). The model's constraints give
    bilingual messages (e.g. a second value for the same period and disaggregation)."""

    class Meta:
        model = Observation
        fields = ["year", "quarter", "sex", "age_group", "district", "income_group", "disability",
                  "value", "source", "is_provisional", "is_estimated", "note"]
        labels = {
            "year": _("Year"), "quarter": _("Quarter (0 = whole year)"), "sex": _("Sex"),
            "age_group": _("Age group"), "district": _("District"), "income_group": _("Income group"),
            "disability": _("Disability"), "value": _("Value"), "source": _("Source"),
            "is_provisional": _("Provisional"), "is_estimated": _("Estimated"), "note": _("Note"),
        }
        widgets = {"note": forms.TextInput()}

    def __init__(self, *args, indicator=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        if indicator is not None:
            self.instance.local_indicator = indicator
            if indicator.unit:
                self.fields["value"].label = f"{self.fields['value'].label} ({indicator.unit})"

    def _get_validation_exclusions(self):
        # The indicator is set by the view, not a form field; keep it so the "one value per
        # indicator + period + disaggregation" constraint is checked here, with its message.
        exclude = super()._get_validation_exclusions()
        exclude.discard("local_indicator")
        return exclude


class ImportForm(forms.Form):
    """A spreadsheet to import into one municipality: the annex (observations) or the indicator
    metadata layout."""

    KINDS = [("observations_import", _("Values (statistical annex layout)")),
             ("indicators_import", _("Indicators (indicator metadata layout)"))]

    kind = forms.ChoiceField(label=_("What the file holds"), choices=KINDS)
    file = forms.FileField(label=_("Spreadsheet (xlsx or csv)"))
    dry_run = forms.BooleanField(label=_("Check only, save nothing (dry run)"), required=False)

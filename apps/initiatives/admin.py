from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from apps.core.admin import TenantAdmin

from .models import Initiative, InitiativeTarget, PopulationGroup, ProgressUpdate
from .services import initiative_indicators_check, initiative_targets_check


class InitiativeAdminForm(forms.ModelForm):
    """The service's indicator rule (apps.initiatives.services), as a form error."""

    def clean(self):
        data = super().clean()
        municipality = data.get("municipality")
        if municipality is not None and data.get("local_indicators") is not None:
            initiative_indicators_check(municipality.pk, data["local_indicators"])
        return data


class InitiativeTargetFormSet(forms.BaseInlineFormSet):
    """The service's target rules (at least one, one primary, none twice) over the inline rows."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            initiative_targets_check([(row["target"], row.get("is_primary", False)) for row in rows])
        except ValidationError as error:  # by field → the formset's own (non-form) errors
            raise ValidationError(error.messages) from None


class InitiativeTargetInline(admin.TabularInline):
    model = InitiativeTarget
    formset = InitiativeTargetFormSet
    extra = 0
    autocomplete_fields = ["target"]


class ProgressUpdateInline(admin.StackedInline):
    model = ProgressUpdate
    extra = 0
    fields = ["date", "text", "author"]


@admin.register(Initiative)
class InitiativeAdmin(TenantAdmin):
    form = InitiativeAdminForm
    list_display = ["title_ko", "title_en", "municipality", "kind", "status", "budget_krw", "is_public"]
    list_filter = ["municipality", "kind", "status", "is_public", "groups_served", "targets__goal"]
    search_fields = ["title_ko", "title_en", "summary_ko", "summary_en", "department"]
    autocomplete_fields = ["municipality", "local_indicators"]
    filter_horizontal = ["groups_served"]
    inlines = [InitiativeTargetInline, ProgressUpdateInline]


@admin.register(PopulationGroup)
class PopulationGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ko", "name_en"]
    search_fields = ["code", "name_ko", "name_en"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(TenantAdmin):
    list_display = ["initiative", "date", "author"]
    search_fields = ["text", "initiative__title_ko", "initiative__title_en"]
    autocomplete_fields = ["initiative"]

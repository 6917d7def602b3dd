from django.contrib import admin

from apps.core.admin import TenantAdmin

from .models import Initiative, InitiativeTarget, PopulationGroup, ProgressUpdate


class InitiativeTargetInline(admin.TabularInline):
    model = InitiativeTarget
    extra = 0
    autocomplete_fields = ["target"]


class ProgressUpdateInline(admin.StackedInline):
    model = ProgressUpdate
    extra = 0
    fields = ["date", "text", "author"]


@admin.register(Initiative)
class InitiativeAdmin(TenantAdmin):
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

from django.contrib import admin

from apps.core.admin import TenantAdmin

from .models import IndicatorAlignment, KosisLink, LocalIndicator, Observation, TableMapping
from .services import progress_refresh


class AlignmentInline(admin.TabularInline):
    model = IndicatorAlignment
    extra = 0
    autocomplete_fields = ["target", "indicator"]


class ObservationInline(admin.TabularInline):
    model = Observation
    extra = 0
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
    ]


@admin.register(LocalIndicator)
class LocalIndicatorAdmin(TenantAdmin):
    list_display = ["code", "name_ko", "name_en", "municipality", "unit", "direction", "is_public"]
    list_filter = ["municipality", "direction", "is_public", "targets__goal"]
    search_fields = ["code", "name_ko", "name_en", "municipality__name_ko", "municipality__name_en"]
    autocomplete_fields = ["municipality"]
    inlines = [AlignmentInline, ObservationInline]

    def save_related(self, request, form, formsets, change):
        """After the inlines (values among them) are saved: the stored progress follows."""
        super().save_related(request, form, formsets, change)
        progress_refresh(indicator_ids=[form.instance.pk])


class KosisLinkInline(admin.StackedInline):
    """Where the indicator's values come from in KOSIS (README "KOSIS")."""

    model = KosisLink
    extra = 0
    fields = [
        "org_id",
        "tbl_id",
        "itm_id",
        "region_level",
        "region_code",
        "other_classifications",
        "period_kind",
        "start_year",
    ]


LocalIndicatorAdmin.inlines = [*LocalIndicatorAdmin.inlines, KosisLinkInline]


@admin.register(Observation)
class ObservationAdmin(TenantAdmin):
    list_display = ["local_indicator", "year", "quarter", "sex", "age_group", "value", "is_provisional"]
    list_filter = ["local_indicator__municipality", "year", "is_provisional", "is_estimated"]
    search_fields = ["local_indicator__code", "local_indicator__name_ko", "local_indicator__name_en"]
    autocomplete_fields = ["local_indicator"]
    list_select_related = ["local_indicator"]

    # The admin writes values directly, not through the services: the stored progress follows.
    def save_model(self, request, obj, form, change):
        moved_from = form.initial.get("local_indicator")
        super().save_model(request, obj, form, change)
        progress_refresh(indicator_ids={obj.local_indicator_id, *([moved_from] if moved_from else [])})

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        progress_refresh(indicator_ids=[obj.local_indicator_id])

    def delete_queryset(self, request, queryset):
        indicator_ids = set(queryset.values_list("local_indicator_id", flat=True))
        super().delete_queryset(request, queryset)
        progress_refresh(indicator_ids=indicator_ids)


@admin.register(TableMapping)
class TableMappingAdmin(TenantAdmin):
    """Column mappings saved from the table import preview (README "Tables as cities and KOSIS keep them")."""

    list_display = ["name", "municipality", "updated_by", "updated_at"]
    search_fields = ["name", "municipality__name_ko", "municipality__name_en"]
    autocomplete_fields = ["municipality"]

from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin

from .models import Goal, Indicator, Target


class TargetInline(admin.TabularInline):
    model = Target
    fields = ["code", "title_ko", "title_en"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ["code", "title_ko", "title_en", "tier"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Goal)
class GoalAdmin(ReadOnlyAdmin):
    list_display = ["number", "short_ko", "short_en", "colour"]
    search_fields = ["short_ko", "short_en", "title_ko", "title_en"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ["code", "title_ko", "title_en", "goal"]
    list_filter = ["goal"]
    search_fields = ["code", "title_ko", "title_en"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["code", "title_ko", "title_en", "tier", "unsd_code"]
    list_filter = ["tier", "target__goal"]
    search_fields = ["code", "title_ko", "title_en", "unsd_code"]

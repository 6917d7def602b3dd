from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CoordinatorScope, Membership, Municipality


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_ko", "name_en", "level", "kind", "parent", "is_sample_data"]
    list_filter = ["level", "kind", "country", "is_sample_data"]
    search_fields = ["code", "name_ko", "name_en"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "municipality", "role", "is_lead"]
    list_filter = ["role", "is_lead"]
    search_fields = ["user__username", "municipality__name_ko", "municipality__name_en", "municipality__code"]
    autocomplete_fields = ["user", "municipality"]


@admin.register(CoordinatorScope)
class CoordinatorScopeAdmin(SimpleHistoryAdmin):
    list_display = ["user", "network", "all_municipalities"]
    list_filter = ["all_municipalities"]
    search_fields = ["user__username", "network"]
    filter_horizontal = ["municipalities"]
